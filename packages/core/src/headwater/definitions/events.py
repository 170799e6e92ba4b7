"""What a solid's compute function returns, yields or raises besides plain values.

``Output`` and ``DynamicOutput`` carry values; ``AssetMaterialization`` and
``ExpectationResult`` record facts about the outside world and about data quality. Every
one of them is a small immutable value.

Each also takes the legacy ``metadata_entries=[EventMetadataEntry...]`` (merged into
``metadata``) and reads it back as ``.metadata_entries``; ``Materialization`` is the legacy
label-keyed form of ``AssetMaterialization``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.definitions.utils import DEFAULT_OUTPUT, check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.metadata import (
    AssetKey,
    EventMetadata,
    MetadataValue,
    merge_metadata_entries,
    normalize_metadata,
    with_metadata_entries,
)
from headwater.records import quick_init
from headwater.serdes import serializable

if TYPE_CHECKING:
    from headwater.metadata_entries import EventMetadataEntry

__all__ = [
    "AssetKey", "AssetMaterialization", "DynamicOutput", "EventMetadata", "ExpectationResult",
    "Materialization", "MetadataValue", "Output", "normalize_metadata",
]

@with_metadata_entries
@quick_init
@dataclass(frozen=True, slots=True)
class Output:
    """A value produced by a solid for one of its outputs.

    Args:
        value: The value.
        output_name: Which output it is for (default ``"result"``).
        metadata: Facts about the value, recorded on the output event.
        metadata_entries: The legacy form of ``metadata``, merged into it.
    """

    value: Any
    output_name: str = DEFAULT_OUTPUT
    metadata: Mapping[str, Any] | None = None
    metadata_entries: InitVar[Sequence[EventMetadataEntry] | None] = None

    def __post_init__(self, metadata_entries: Sequence[EventMetadataEntry] | None) -> None:
        object.__setattr__(self, "metadata", merge_metadata_entries(
            self.metadata, metadata_entries, f'Output "{self.output_name}"'))


@with_metadata_entries
@quick_init
@dataclass(frozen=True, slots=True)
class DynamicOutput:
    """One of many values produced for a dynamic output, keyed by ``mapping_key``.

    Downstream steps mapped over the output run once per mapping key.
    """

    value: Any
    mapping_key: str
    output_name: str = DEFAULT_OUTPUT
    metadata: Mapping[str, Any] | None = None
    metadata_entries: InitVar[Sequence[EventMetadataEntry] | None] = None

    def __post_init__(self, metadata_entries: Sequence[EventMetadataEntry] | None) -> None:
        check_valid_name(self.mapping_key, "mapping_key of a DynamicOutput")
        object.__setattr__(self, "metadata", merge_metadata_entries(
            self.metadata, metadata_entries, f'DynamicOutput "{self.mapping_key}"'))


@with_metadata_entries
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
        metadata_entries: The legacy form of ``metadata``, merged into it.
    """

    asset_key: AssetKey
    description: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    partition: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    metadata_entries: InitVar[Sequence[EventMetadataEntry] | None] = None

    def __post_init__(self, metadata_entries: Sequence[EventMetadataEntry] | None) -> None:
        object.__setattr__(self, "asset_key", AssetKey.coerce(self.asset_key))
        where = f'the AssetMaterialization of "{self.asset_key}"'
        object.__setattr__(self, "metadata", normalize_metadata(
            merge_metadata_entries(self.metadata, metadata_entries, where), where))
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

    @property
    def label(self) -> str:
        """The legacy label: the asset key's path parts joined by spaces."""
        return " ".join(self.asset_key.path)


def Materialization(
        label: str | None = None, description: str | None = None,
        metadata_entries: Sequence[EventMetadataEntry] | None = None,
        asset_key: AssetKey | str | Sequence[str] | None = None,
        partition: str | None = None, tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None) -> AssetMaterialization:
    """The legacy, label-keyed materialization: an :class:`AssetMaterialization`.

    Args:
        label: Names the asset when ``asset_key`` is not given.
        description: A human-readable description.
        metadata_entries: Legacy metadata entries.
        asset_key: The asset's key; defaults to ``label``.
        partition: The partition written.
        tags: Extra tags.
        metadata: Facts about what was written (``{label: value}``).
    """
    key = asset_key if asset_key is not None else label
    if key is None:
        raise HeadwaterInvalidDefinitionError(
            "Materialization needs a label or an asset_key; give "
            'Materialization(label="my_table") or use AssetMaterialization(asset_key=...).')
    return AssetMaterialization(asset_key=key, description=description,
                                metadata=dict(metadata or {}), partition=partition,
                                tags=dict(tags or {}), metadata_entries=metadata_entries)


@with_metadata_entries
@serializable
@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of a data-quality check made inside a solid.

    Args:
        success: Whether the expectation held.
        label: A short name for the expectation.
        description: A human-readable description.
        metadata: Facts about the check.
        metadata_entries: The legacy form of ``metadata``, merged into it.
    """

    success: bool
    label: str | None = None
    description: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    metadata_entries: InitVar[Sequence[EventMetadataEntry] | None] = None

    def __post_init__(self, metadata_entries: Sequence[EventMetadataEntry] | None) -> None:
        object.__setattr__(self, "metadata", normalize_metadata(
            merge_metadata_entries(self.metadata, metadata_entries, "an ExpectationResult"),
            "an ExpectationResult"))
