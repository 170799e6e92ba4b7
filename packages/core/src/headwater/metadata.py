"""Metadata recorded on events: asset keys, typed metadata values, and the legacy entries.

A ``metadata={label: value}`` dict is the one form Headwater stores. The legacy form, a list
of ``EventMetadataEntry`` (``metadata_entries=[...]``), is accepted wherever a ``metadata``
dict is, and turned into that dict by :func:`merge_metadata_entries`; the entries can be read
back from an event's metadata with :func:`metadata_to_entries`, so legacy tests that look at
``event.metadata_entries[0].entry_data.text`` keep working.

This module sits just above ``errors``: the type system's ``TypeCheck`` and the definitions'
events both use it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.serdes import serializable

if TYPE_CHECKING:
    from headwater.metadata_entries import EventMetadataEntry


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
    def pipeline_run(cls, run_id: str) -> MetadataValue:
        return cls("pipeline_run", str(run_id))

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
        elif ("headwater.metadata_entries" in sys.modules
              and isinstance(value, _entries_module().MetadataEntryData)):
            normalized[label] = value.to_metadata_value()
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




def _entries_module() -> Any:
    from headwater import metadata_entries

    return metadata_entries


def is_entry_list(value: Any) -> bool:
    """Whether ``value`` is a legacy list of entries given where a metadata dict goes.

    Legacy signatures put ``metadata_entries`` where Headwater puts ``metadata``
    (``Output(value, "out", [entry])``); such a list is taken as entries.
    """
    if not isinstance(value, (list, tuple)) or "headwater.metadata_entries" not in sys.modules:
        return False  # no entry can exist before the module that defines them is loaded
    entry_class = _entries_module().EventMetadataEntry
    return all(isinstance(item, entry_class) for item in value)


def merge_metadata_entries(metadata: Any, entries: Sequence[EventMetadataEntry] | None,
                           where: str) -> Any:
    """``metadata`` with the legacy ``entries`` added (a ``metadata`` label wins).

    Returns ``metadata`` unchanged when there are no entries, so the common path costs
    nothing.
    """
    if is_entry_list(metadata):
        metadata, entries = None, [*metadata, *(entries or ())]
    if not entries:
        return metadata
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Sequence):
        raise HeadwaterInvalidDefinitionError(
            f"metadata_entries of {where} must be a list of EventMetadataEntry, "
            f"received {entries!r}.")
    merged: dict[str, Any] = {}
    entry_class = _entries_module().EventMetadataEntry
    for entry in entries:
        if not isinstance(entry, entry_class):
            raise HeadwaterInvalidDefinitionError(
                f"metadata_entries of {where} must be a list of EventMetadataEntry, received "
                f"{entry!r} in it; build one with e.g. EventMetadataEntry.text(text, label).")
        merged[entry.label] = entry.entry_data.to_metadata_value()
    if metadata:
        if not isinstance(metadata, Mapping):
            raise HeadwaterInvalidDefinitionError(
                f"metadata of {where} must be a dict of label to value, received {metadata!r}.")
        merged.update(metadata)
    return merged


def metadata_to_entries(metadata: Mapping[str, Any] | None) -> list[EventMetadataEntry]:
    """The legacy entries for a metadata dict, in its order (descriptions are ``None``)."""
    entries = _entries_module()
    return [entries.EventMetadataEntry(label, None, entries.entry_data(value))
            for label, value in normalize_metadata(metadata, "an event").items()]


_Event = TypeVar("_Event")


def with_metadata_entries(cls: type[_Event]) -> type[_Event]:
    """Give a class with a ``metadata`` dict the legacy read-only ``metadata_entries``.

    Applied after ``@dataclass``: an event's constructor takes an init-only
    ``metadata_entries`` argument of the same name, and the property must replace the class
    attribute that argument's default leaves behind.
    """
    def metadata_entries(self: Any) -> list[EventMetadataEntry]:
        return metadata_to_entries(self.metadata)

    metadata_entries.__doc__ = "The metadata as legacy ``EventMetadataEntry`` values."
    setattr(cls, "metadata_entries", property(metadata_entries))  # noqa: B010
    return cls
