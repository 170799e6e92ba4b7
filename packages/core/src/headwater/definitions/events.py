"""What a solid's compute function returns, yields or raises besides plain values.

``Output`` and ``DynamicOutput`` carry values; ``AssetMaterialization`` and
``ExpectationResult`` record facts about the outside world and about data quality. Every
one of them is a small immutable value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.definitions.utils import DEFAULT_OUTPUT, check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.serdes import serializable


@serializable
@dataclass(frozen=True)
class AssetKey:
    """The hierarchical name of a data asset, e.g. ``AssetKey(["warehouse", "orders"])``.

    Args:
        path: A string, or a list/tuple of strings.
    """

    path: tuple[str, ...]

    def __init__(self, path: str | Sequence[str]) -> None:
        if isinstance(path, str):
            parts: tuple[str, ...] = (path,)
        elif isinstance(path, Sequence) and path and all(isinstance(p, str) for p in path):
            parts = tuple(path)
        else:
            raise HeadwaterInvalidDefinitionError(
                f"An AssetKey is a string or a non-empty list of strings, received {path!r}."
            )
        object.__setattr__(self, "path", parts)

    def to_string(self) -> str:
        """A readable form: the path parts joined by ``/``."""
        return "/".join(self.path)

    def to_db_string(self) -> str:
        """The stored form: a JSON list of the path parts."""
        return json.dumps(list(self.path))

    @staticmethod
    def from_db_string(text: str) -> AssetKey:
        """Read back what :meth:`to_db_string` wrote."""
        return AssetKey(json.loads(text))

    @staticmethod
    def coerce(value: AssetKey | str | Sequence[str]) -> AssetKey:
        """Accept an AssetKey, a string or a list of strings."""
        return value if isinstance(value, AssetKey) else AssetKey(value)

    def __str__(self) -> str:
        return self.to_string()


@serializable
@dataclass(frozen=True)
class MetadataValue:
    """A typed piece of metadata: ``kind`` says how tools should show ``value``.

    Build one with the class methods (``MetadataValue.url("https://...")``) or pass plain
    values in a ``metadata`` dict: strings become text, numbers stay numbers, dicts and lists
    become JSON.
    """

    kind: str
    value: Any

    @classmethod
    def text(cls, text: str) -> MetadataValue:
        return cls("text", str(text))

    @classmethod
    def url(cls, url: str) -> MetadataValue:
        return cls("url", str(url))

    @classmethod
    def path(cls, path: str | os.PathLike[str]) -> MetadataValue:
        return cls("path", os.fspath(path))

    @classmethod
    def json(cls, data: Any) -> MetadataValue:
        return cls("json", data)

    @classmethod
    def md(cls, markdown: str) -> MetadataValue:
        return cls("md", str(markdown))

    @classmethod
    def float(cls, number: float) -> MetadataValue:
        return cls("float", float(number))

    @classmethod
    def int(cls, number: int) -> MetadataValue:
        return cls("int", int(number))

    @classmethod
    def python_artifact(cls, artifact: Any) -> MetadataValue:
        return cls("python_artifact",
                   f"{getattr(artifact, '__module__', '?')}.{getattr(artifact, '__qualname__', artifact)}")

    @classmethod
    def asset(cls, asset_key: AssetKey | str | Sequence[str]) -> MetadataValue:
        return cls("asset", AssetKey.coerce(asset_key).to_string())


EventMetadata = MetadataValue


def normalize_metadata(metadata: Mapping[str, Any] | None, where: str) -> dict[str, MetadataValue]:
    """Turn a user's ``metadata`` dict into ``{label: MetadataValue}``."""
    if not metadata:
        return {}
    if not isinstance(metadata, Mapping):
        raise HeadwaterInvalidDefinitionError(
            f"metadata of {where} must be a dict of label to value, received {metadata!r}."
        )
    normalized: dict[str, MetadataValue] = {}
    for label, value in metadata.items():
        if isinstance(value, MetadataValue):
            normalized[label] = value
        elif isinstance(value, bool):
            normalized[label] = MetadataValue("json", value)
        elif isinstance(value, int):
            normalized[label] = MetadataValue.int(value)
        elif isinstance(value, float):
            normalized[label] = MetadataValue.float(value)
        elif isinstance(value, str):
            normalized[label] = MetadataValue.text(value)
        elif isinstance(value, (dict, list)):
            normalized[label] = MetadataValue.json(value)
        elif isinstance(value, os.PathLike):
            normalized[label] = MetadataValue.path(value)
        else:
            raise HeadwaterInvalidDefinitionError(
                f'metadata "{label}" of {where} has value {value!r} of type '
                f"{type(value).__name__}; use a string, number, dict, list or MetadataValue."
            )
    return normalized


@dataclass(frozen=True, slots=True)
class Output:
    """A value produced by a solid for one of its outputs.

    Args:
        value: The value.
        output_name: Which output it is for (default ``"result"``).
        metadata: Facts about the value, recorded on the output event.
    """

    value: Any
    output_name: str = DEFAULT_OUTPUT
    metadata: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class DynamicOutput:
    """One of many values produced for a dynamic output, keyed by ``mapping_key``.

    Downstream steps mapped over the output run once per mapping key.
    """

    value: Any
    mapping_key: str
    output_name: str = DEFAULT_OUTPUT
    metadata: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        check_valid_name(self.mapping_key, "mapping_key of a DynamicOutput")


@serializable
@dataclass(frozen=True)
class AssetMaterialization:
    """Records that a solid wrote (materialized) a data asset.

    Args:
        asset_key: The asset's key (string, list of strings or AssetKey).
        description: A human-readable description.
        metadata: Facts about what was written (``{label: value}``).
        partition: The partition written, if the asset is partitioned.
        tags: Extra tags for the materialization.
    """

    asset_key: AssetKey
    description: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    partition: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "asset_key", AssetKey.coerce(self.asset_key))
        object.__setattr__(self, "metadata",
                           normalize_metadata(self.metadata, "an AssetMaterialization"))
        object.__setattr__(self, "tags", dict(self.tags or {}))

    @staticmethod
    def file(path: str | os.PathLike[str], description: str | None = None,
             asset_key: AssetKey | str | Sequence[str] | None = None) -> AssetMaterialization:
        """A materialization of a local file, keyed by its path unless ``asset_key`` is given."""
        fspath = os.fspath(path)
        return AssetMaterialization(
            asset_key=asset_key if asset_key is not None else fspath,
            description=description,
            metadata={"path": MetadataValue.path(fspath)},
        )


@serializable
@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of a data-quality check made inside a solid.

    Args:
        success: Whether the expectation held.
        label: A short name for the expectation.
        description: A human-readable description.
        metadata: Facts about the check.
    """

    success: bool
    label: str | None = None
    description: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata",
                           normalize_metadata(self.metadata, "an ExpectationResult"))
