"""Collection types built from other types: List, Optional, Dict, Set and Tuple.

Each constructor is cached on its inner types, so ``List[int]`` and ``List[Int]`` are one
object however often they are spelled.
"""

from __future__ import annotations

import functools
import typing

from headwater.types.loaders import DICT_LOADER, list_loader, nullable_loader
from headwater.types.runtime import (
    HeadwaterType,
    HeadwaterTypeKind,
    TypeCheckFn,
    describe_failure,
)
from headwater.types.type_check import TypeCheck

if typing.TYPE_CHECKING:
    from headwater.types.context import TypeCheckContext


@functools.cache
def list_of(item_type: HeadwaterType) -> HeadwaterType:
    """``List[item_type]``: a list whose every item passes ``item_type``."""
    name = f"List[{item_type.display_name}]"
    return HeadwaterType(
        _homogeneous_check(name, list, item_type, positional=True),
        name=name,
        description=f"A list whose items are all of type {item_type.display_name}.",
        loader=list_loader(item_type.loader) if item_type.loader else None,
        kind=HeadwaterTypeKind.LIST,
        typing_type=list[item_type.typing_type],
        inner_types=(item_type,),
    )


@functools.cache
def set_of(item_type: HeadwaterType) -> HeadwaterType:
    """``Set[item_type]``: a set whose every item passes ``item_type``."""
    name = f"Set[{item_type.display_name}]"
    return HeadwaterType(
        _homogeneous_check(name, set, item_type, positional=False),
        name=name,
        description=f"A set whose items are all of type {item_type.display_name}.",
        typing_type=set[item_type.typing_type],
        inner_types=(item_type,),
    )


@functools.cache
def variadic_tuple_of(item_type: HeadwaterType) -> HeadwaterType:
    """``Tuple[item_type, ...]``: a tuple of any length whose every item passes ``item_type``."""
    name = f"Tuple[{item_type.display_name}, ...]"
    return HeadwaterType(
        _homogeneous_check(name, tuple, item_type, positional=True),
        name=name,
        description=f"A tuple whose items are all of type {item_type.display_name}.",
        typing_type=tuple[item_type.typing_type, ...],
        inner_types=(item_type,),
    )


@functools.cache
def tuple_of(*item_types: HeadwaterType) -> HeadwaterType:
    """``Tuple[A, B, ...]``: a tuple with one item per type, each passing its own type."""
    name = f"Tuple[{', '.join(item_type.display_name for item_type in item_types)}]"

    def check(context: TypeCheckContext, value: typing.Any) -> bool | TypeCheck:
        if not isinstance(value, tuple):
            return TypeCheck(False, description=describe_failure(value, name, "tuple"))
        if len(value) != len(item_types):
            return TypeCheck(False, description=(
                f"{name} expects a tuple of {len(item_types)} items, received one of "
                f"{len(value)}."
            ))
        for index, (item_type, item) in enumerate(zip(item_types, value, strict=True)):
            item_check = item_type.type_check(context, item)
            if not item_check.success:
                return _part_failure(name, f"item {index}", item_check)
        return True

    return HeadwaterType(
        check,
        name=name,
        description=(f"A tuple of {len(item_types)} items, of types "
                     f"{', '.join(item_type.display_name for item_type in item_types)}."),
        typing_type=tuple[tuple(item_type.typing_type for item_type in item_types)],
        inner_types=item_types,
    )


@functools.cache
def dict_of(key_type: HeadwaterType, value_type: HeadwaterType) -> HeadwaterType:
    """``Dict[key_type, value_type]``: a dict whose keys and values pass their types."""
    name = f"Dict[{key_type.display_name}, {value_type.display_name}]"
    # A Dict[Any, Any] check is a bare isinstance: there is nothing to check per entry.
    check_entries = not (key_type.kind is value_type.kind is HeadwaterTypeKind.ANY)

    def check(context: TypeCheckContext, value: typing.Any) -> bool | TypeCheck:
        if not isinstance(value, dict):
            return TypeCheck(False, description=describe_failure(value, name, "dict"))
        if check_entries:
            for key, item in value.items():
                key_check = key_type.type_check(context, key)
                if not key_check.success:
                    return _part_failure(name, f"key {key!r}", key_check)
                item_check = value_type.type_check(context, item)
                if not item_check.success:
                    return _part_failure(name, f"the value at key {key!r}", item_check)
        return True

    return HeadwaterType(
        check,
        name=name,
        description=(f"A dict with keys of type {key_type.display_name} and values of type "
                     f"{value_type.display_name}."),
        loader=DICT_LOADER,
        typing_type=dict[key_type.typing_type, value_type.typing_type],
        inner_types=(key_type, value_type),
    )


@functools.cache
def optional_of(inner_type: HeadwaterType) -> HeadwaterType:
    """``Optional[inner_type]``: None, or a value passing ``inner_type``.

    ``Optional`` of an optional type is that type: both accept exactly the same values.
    """
    if inner_type.kind is HeadwaterTypeKind.NULLABLE:
        return inner_type
    name = f"Optional[{inner_type.display_name}]"

    # A value that is not None passes or fails exactly as the inner type says, so the inner
    # result (its description and metadata) is the whole answer.
    def check(context: TypeCheckContext, value: typing.Any) -> bool | TypeCheck:
        return value is None or inner_type.type_check(context, value)

    return HeadwaterType(
        check,
        name=name,
        description=f"None, or a value of type {inner_type.display_name}.",
        loader=nullable_loader(inner_type.loader) if inner_type.loader else None,
        kind=HeadwaterTypeKind.NULLABLE,
        typing_type=typing.Optional[inner_type.typing_type],  # noqa: UP045
        inner_types=(inner_type,),
    )


def _homogeneous_check(name: str, container: type, item_type: HeadwaterType,
                       positional: bool) -> TypeCheckFn:
    # Items of type Any always pass: skipping them keeps List[Any] as cheap as isinstance.
    check_items = item_type.kind is not HeadwaterTypeKind.ANY

    def check(context: TypeCheckContext, value: typing.Any) -> bool | TypeCheck:
        if not isinstance(value, container):
            return TypeCheck(False, description=describe_failure(value, name,
                                                                 container.__name__))
        if check_items:
            for index, item in enumerate(value):
                item_check = item_type.type_check(context, item)
                if not item_check.success:
                    where = f"item {index}" if positional else f"item {item!r}"
                    return _part_failure(name, where, item_check)
        return True

    return check


def _part_failure(name: str, where: str, part_check: TypeCheck) -> TypeCheck:
    reason = f": {part_check.description}" if part_check.description else "."
    return TypeCheck(False, description=f"{name}: {where} failed type check{reason}",
                     metadata=part_check.metadata)
