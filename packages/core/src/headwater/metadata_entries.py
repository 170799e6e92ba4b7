"""The legacy metadata entries: ``EventMetadataEntry`` and its ``*MetadataEntryData`` values.

Headwater records metadata as a ``{label: value}`` dict (:mod:`headwater.metadata`); these
classes are the legacy way of writing it, accepted wherever a ``metadata`` dict is. They live
in a module of their own, loaded on first use, so that a module which only defines pipelines
does not pay for a dozen dataclasses it never uses.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.metadata import AssetKey, MetadataValue


class MetadataEntryData:
    """The value of a legacy :class:`EventMetadataEntry`; each subclass is one kind."""

    def to_metadata_value(self) -> MetadataValue:
        """The :class:`MetadataValue` Headwater records for this value."""
        raise NotImplementedError


@dataclass(frozen=True)
class TextMetadataEntryData(MetadataEntryData):
    """Plain text."""

    text: str

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.text(self.text)


@dataclass(frozen=True)
class UrlMetadataEntryData(MetadataEntryData):
    """A link."""

    url: str

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.url(self.url)


@dataclass(frozen=True)
class PathMetadataEntryData(MetadataEntryData):
    """A path on a file system."""

    path: str

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.path(self.path)


@dataclass(frozen=True)
class JsonMetadataEntryData(MetadataEntryData):
    """A JSON-serializable dict or list."""

    data: Any

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.json(self.data)


@dataclass(frozen=True)
class MarkdownMetadataEntryData(MetadataEntryData):
    """Markdown text."""

    md_str: str

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.md(self.md_str)


@dataclass(frozen=True)
class PythonArtifactMetadataEntryData(MetadataEntryData):
    """A Python class or function, by module and name."""

    module: str
    name: str

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue("python_artifact", f"{self.module}.{self.name}")


@dataclass(frozen=True)
class FloatMetadataEntryData(MetadataEntryData):
    """A float."""

    value: float

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.float(self.value)


@dataclass(frozen=True)
class IntMetadataEntryData(MetadataEntryData):
    """An int."""

    value: int

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.int(self.value)


@dataclass(frozen=True)
class PipelineRunMetadataEntryData(MetadataEntryData):
    """The id of a run."""

    run_id: str

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.pipeline_run(self.run_id)


@dataclass(frozen=True)
class AssetMetadataEntryData(MetadataEntryData):
    """A reference to an asset."""

    asset_key: AssetKey

    def __post_init__(self) -> None:
        object.__setattr__(self, "asset_key", AssetKey.coerce(self.asset_key))

    def to_metadata_value(self) -> MetadataValue:
        return MetadataValue.asset(self.asset_key)


def entry_data(value: MetadataValue) -> MetadataEntryData:
    """The legacy entry data for a recorded value (the inverse of ``to_metadata_value``)."""
    kind, data = value.kind, value.value
    if kind == "python_artifact":
        module, _, name = str(data).rpartition(".")
        return PythonArtifactMetadataEntryData(module, name)
    if kind == "asset":
        return AssetMetadataEntryData(AssetKey(str(data).split("/")))
    by_kind: dict[str, type[Any]] = {
        "text": TextMetadataEntryData, "url": UrlMetadataEntryData,
        "path": PathMetadataEntryData, "json": JsonMetadataEntryData,
        "md": MarkdownMetadataEntryData, "float": FloatMetadataEntryData,
        "int": IntMetadataEntryData, "pipeline_run": PipelineRunMetadataEntryData,
    }
    entry_class = by_kind.get(kind, JsonMetadataEntryData)
    result: MetadataEntryData = entry_class(data)
    return result


@dataclass(frozen=True)
class EventMetadataEntry:
    """The legacy form of one piece of metadata: a label, a description and a typed value.

    Headwater records metadata as a ``{label: value}`` dict; a list of entries given as
    ``metadata_entries=[...]`` is turned into that dict. An entry's description is not
    recorded.

    Args:
        label: The metadata's label.
        description: A description of the entry (accepted, not recorded).
        entry_data: The typed value, e.g. ``TextMetadataEntryData("...")``.

    Example:
        >>> Output(rows, metadata_entries=[EventMetadataEntry.int(len(rows), "row count")])
    """

    label: str
    description: str | None
    entry_data: MetadataEntryData

    def __post_init__(self) -> None:
        if not isinstance(self.label, str):
            raise HeadwaterInvalidDefinitionError(
                f"The label of an EventMetadataEntry must be a string, received {self.label!r}.")
        if not isinstance(self.entry_data, MetadataEntryData):
            raise HeadwaterInvalidDefinitionError(
                f'EventMetadataEntry "{self.label}" has entry_data {self.entry_data!r}; use one '
                "of the *MetadataEntryData classes or a constructor such as "
                "EventMetadataEntry.text(text, label).")

    @staticmethod
    def text(text: str, label: str, description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, TextMetadataEntryData(text))

    @staticmethod
    def url(url: str, label: str, description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, UrlMetadataEntryData(url))

    @staticmethod
    def path(path: str | os.PathLike[str], label: str,
             description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, PathMetadataEntryData(os.fspath(path)))

    @staticmethod
    def fspath(path: str | os.PathLike[str], label: str | None = None,
               description: str | None = None) -> EventMetadataEntry:
        """A path, labelled with its last component unless ``label`` is given."""
        text = os.fspath(path)
        return EventMetadataEntry(label or os.path.basename(text.rstrip("/\\")) or text,
                                  description, PathMetadataEntryData(text))

    @staticmethod
    def json(data: Any, label: str, description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, JsonMetadataEntryData(data))

    @staticmethod
    def md(md_str: str, label: str, description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, MarkdownMetadataEntryData(md_str))

    @staticmethod
    def python_artifact(python_artifact: Any, label: str,
                        description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, PythonArtifactMetadataEntryData(
            python_artifact.__module__, python_artifact.__qualname__))

    @staticmethod
    def float(value: float, label: str, description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, FloatMetadataEntryData(value))

    @staticmethod
    def int(value: int, label: str, description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, IntMetadataEntryData(value))

    @staticmethod
    def pipeline_run(run_id: str, label: str,
                     description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description, PipelineRunMetadataEntryData(run_id))

    @staticmethod
    def asset(asset_key: AssetKey | str | Sequence[str], label: str,
              description: str | None = None) -> EventMetadataEntry:
        return EventMetadataEntry(label, description,
                                  AssetMetadataEntryData(AssetKey.coerce(asset_key)))
