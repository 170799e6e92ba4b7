"""Inputs and outputs of solids, and how a composite maps its own onto its children's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.definitions.events import AssetKey
from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.utils import (
    DEFAULT_IO_MANAGER_KEY,
    DEFAULT_OUTPUT,
    NO_VALUE,
    check_valid_name,
)
from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.types import HeadwaterType, TypeCheckContext, resolve_headwater_type


def _asset_key_or_none(value: Any) -> AssetKey | None:
    return None if value is None or callable(value) else AssetKey.coerce(value)


class InputDefinition(FrozenDefinition):
    """An input of a solid.

    Args:
        name: The input's name (a parameter of the compute function unless typed Nothing).
        headwater_type: A Python type hint or a HeadwaterType; default Any.
        description: A human-readable description.
        default_value: Used when the input is neither connected nor given in config.
        root_manager_key: Resource key of a root input manager that loads this input when
            it is not connected.
        metadata: Free facts handed to IO managers (``context.metadata``).
        asset_key: The asset this input reads, for lineage.
    """

    __slots__ = ("_headwater_type_given", "asset_key", "default_value", "description",
                 "headwater_type", "metadata", "name", "root_manager_key")

    def __init__(self, name: str, headwater_type: Any = None, description: str | None = None,
                 default_value: Any = NO_VALUE, root_manager_key: str | None = None,
                 metadata: Mapping[str, Any] | None = None, asset_key: Any = None) -> None:
        self.name = check_valid_name(name, "input name")
        self._headwater_type_given = headwater_type is not None
        self.headwater_type: HeadwaterType = resolve_headwater_type(headwater_type)
        self.description = description
        self.default_value = default_value
        self.root_manager_key = root_manager_key
        self.metadata = dict(metadata or {})
        self.asset_key = _asset_key_or_none(asset_key)
        if self.has_default_value:
            check = self.headwater_type.type_check(TypeCheckContext(), default_value)
            if not check.success:
                raise HeadwaterInvalidDefinitionError(
                    f'The default value {default_value!r} of input "{name}" does not pass the '
                    f'type check of its type "{self.headwater_type.display_name}": '
                    f"{check.description}"
                )

    @property
    def has_default_value(self) -> bool:
        return self.default_value is not NO_VALUE

    @property
    def is_nothing(self) -> bool:
        return self.headwater_type.is_nothing

    def mapping_to(self, solid_name: str, input_name: str,
                   fan_in_index: int | None = None) -> InputMapping:
        """Map this composite input onto ``solid_name``'s input ``input_name``."""
        return InputMapping(self, InputPointer(solid_name, input_name, fan_in_index))

    def merged_with_inferred(self, inferred: InputDefinition) -> InputDefinition:
        """This explicit definition, filling what it left out from the signature's hint."""
        return InputDefinition(
            name=self.name,
            headwater_type=(self.headwater_type if self._headwater_type_given
                            else inferred.headwater_type),
            description=self.description,
            default_value=(self.default_value if self.has_default_value
                           else inferred.default_value),
            root_manager_key=self.root_manager_key,
            metadata=self.metadata,
            asset_key=self.asset_key,
        )

    def __repr__(self) -> str:
        return f"InputDefinition({self.name!r}, {self.headwater_type.display_name})"


class OutputDefinition(FrozenDefinition):
    """An output of a solid.

    Args:
        headwater_type: A Python type hint or a HeadwaterType; default Any.
        name: The output's name, default ``"result"``.
        description: A human-readable description.
        is_required: When False the solid may skip producing it; steps that need it are
            then skipped.
        io_manager_key: Resource key of the IO manager that stores it and loads it downstream.
        metadata: Free facts handed to IO managers (``context.metadata``).
        asset_key: The asset this output writes, for lineage.
    """

    __slots__ = ("_headwater_type_given", "asset_key", "description", "headwater_type",
                 "io_manager_key", "is_required", "metadata", "name")
    is_dynamic = False

    def __init__(self, headwater_type: Any = None, name: str = DEFAULT_OUTPUT,
                 description: str | None = None, is_required: bool = True,
                 io_manager_key: str = DEFAULT_IO_MANAGER_KEY,
                 metadata: Mapping[str, Any] | None = None, asset_key: Any = None) -> None:
        self.name = check_valid_name(name, "output name")
        self._headwater_type_given = headwater_type is not None
        self.headwater_type: HeadwaterType = resolve_headwater_type(headwater_type)
        self.description = description
        self.is_required = bool(is_required)
        self.io_manager_key = io_manager_key
        self.metadata = dict(metadata or {})
        self.asset_key = _asset_key_or_none(asset_key)

    def mapping_from(self, solid_name: str, output_name: str = DEFAULT_OUTPUT) -> OutputMapping:
        """Map ``solid_name``'s output ``output_name`` onto this composite output."""
        return OutputMapping(self, OutputPointer(solid_name, output_name))

    def merged_with_inferred(self, inferred_type: Any) -> OutputDefinition:
        """This definition, typed from the return annotation when it gave no type itself."""
        if self._headwater_type_given or inferred_type is None:
            return self
        return type(self)(inferred_type, self.name, self.description, self.is_required,
                          self.io_manager_key, self.metadata, self.asset_key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.headwater_type.display_name}, name={self.name!r})"


class DynamicOutputDefinition(OutputDefinition):
    """An output that yields many ``DynamicOutput`` values, each with its own mapping key.

    In a composition function, ``.map(fn)`` runs downstream solids once per value and
    ``.collect()`` gathers the mapped results into one list.
    """

    __slots__ = ()
    is_dynamic = True


@dataclass(frozen=True)
class InputPointer:
    solid_name: str
    input_name: str
    fan_in_index: int | None = None


@dataclass(frozen=True)
class OutputPointer:
    solid_name: str
    output_name: str = DEFAULT_OUTPUT


@dataclass(frozen=True)
class InputMapping:
    """A composite input feeding a child solid's input."""

    definition: InputDefinition
    maps_to: InputPointer


@dataclass(frozen=True)
class OutputMapping:
    """A child solid's output exposed as a composite output."""

    definition: OutputDefinition
    maps_from: OutputPointer


def check_unique_names(defs: Sequence[InputDefinition] | Sequence[OutputDefinition],
                       what: str, owner: str) -> None:
    seen: set[str] = set()
    for definition in defs:
        if definition.name in seen:
            raise HeadwaterInvalidDefinitionError(
                f'{owner} has two {what}s named "{definition.name}". Names must be unique.'
            )
        seen.add(definition.name)
