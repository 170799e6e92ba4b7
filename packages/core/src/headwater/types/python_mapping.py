"""From Python type hints to Headwater types.

``resolve_headwater_type`` is what definitions call on every ``headwater_type`` argument and
annotation. It is cached: a hint is resolved once per process.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable

from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.types import builtins
from headwater.types.generics import (
    dict_of,
    list_of,
    optional_of,
    set_of,
    tuple_of,
    variadic_tuple_of,
)
from headwater.types.loaders import HeadwaterTypeLoader
from headwater.types.runtime import HeadwaterType, PythonObjectHeadwaterType

ClassT = typing.TypeVar("ClassT", bound=type)
_Builder = Callable[[tuple[typing.Any, ...]], HeadwaterType]

_ACCEPTED = (
    "Accepted are a HeadwaterType; None, typing.Any or object (for Any); int, float, str, "
    "bool; a Python class; or list/set/dict/tuple and their typing forms such as List[int], "
    "Optional[str] or Dict[str, int]"
)

_CLASSES: dict[type, HeadwaterType] = {
    object: builtins.Any,
    inspect.Parameter.empty: builtins.Any,
    int: builtins.Int,
    float: builtins.Float,
    str: builtins.String,
    bool: builtins.Bool,
    type(None): builtins.Nothing,
}
_registered: dict[type, HeadwaterType] = {}
_inferred: dict[type, HeadwaterType] = {}
_resolved: dict[typing.Any, HeadwaterType] = {}


def resolve_headwater_type(hint: typing.Any) -> HeadwaterType:
    """The Headwater type that a type hint (or a HeadwaterType) stands for.

    ========================================  =====================================
    hint                                      type
    ========================================  =====================================
    a ``HeadwaterType``                       itself
    ``None``, no annotation, ``typing.Any``,  ``Any``
    ``object``
    ``int``, ``float``, ``str``, ``bool``     ``Int``, ``Float``, ``String``, ``Bool``
    ``type(None)``                            ``Nothing``
    ``list``, ``List[T]``, ``list[T]``        ``List[T]`` (``List[Any]`` when bare)
    ``Optional[T]``, ``T | None``             ``Optional[T]``
    ``dict``, ``Dict[K, V]``, ``dict[K, V]``  ``Dict[K, V]`` (``Dict[Any, Any]`` when bare)
    ``set``, ``Set[T]``, ``set[T]``           ``Set[T]`` (``Set[Any]`` when bare)
    ``tuple``, ``Tuple[A, B]``,               ``Tuple[A, B]``, ``Tuple[T, ...]``
    ``Tuple[T, ...]``                         (``Tuple[Any, ...]`` when bare)
    a class registered with                   its registered type
    ``usable_as_headwater_type``
    any other class                           an isinstance type named after the class
    ========================================  =====================================

    Args:
        hint: The hint, e.g. an annotation or a definition's ``headwater_type`` argument.

    Raises:
        HeadwaterInvalidDefinitionError: The hint stands for no Headwater type (e.g. the
            number 5, a string, ``Union[int, str]``).

    Example:
        >>> resolve_headwater_type(typing.List[typing.Optional[int]]).display_name
        'List[Optional[Int]]'
    """
    if isinstance(hint, HeadwaterType):
        return hint
    try:
        return _resolved[hint]
    except KeyError:
        resolved = _resolve_uncached(hint)
    except TypeError:
        raise _unresolvable(hint, "it is not hashable, so it is no type hint") from None
    _resolved[hint] = resolved
    return resolved


def make_python_type_usable_as_headwater_type(python_type: type,
                                              headwater_type: HeadwaterType) -> None:
    """Make ``python_type`` used as a hint resolve to ``headwater_type``.

    Use it for classes you do not own; decorate your own with ``usable_as_headwater_type``.

    Args:
        python_type: The class.
        headwater_type: The type hints of that class stand for.

    Raises:
        HeadwaterInvalidDefinitionError: ``python_type`` is not a class, is one of the classes
            with a builtin mapping, or is already registered to another type.

    Example:
        >>> make_python_type_usable_as_headwater_type(pandas.DataFrame, DataFrameType)
    """
    if not isinstance(python_type, type):
        raise HeadwaterInvalidDefinitionError(
            f"make_python_type_usable_as_headwater_type needs a class, received "
            f"{python_type!r}."
        )
    if not isinstance(headwater_type, HeadwaterType):
        raise HeadwaterInvalidDefinitionError(
            f"make_python_type_usable_as_headwater_type({python_type.__name__}, ...) needs a "
            f"HeadwaterType, received {headwater_type!r}."
        )
    if python_type in _CLASSES or python_type in _GENERIC_BUILDERS:
        raise HeadwaterInvalidDefinitionError(
            f"{python_type.__name__} already stands for the builtin type "
            f"{resolve_headwater_type(python_type).display_name} and cannot be registered "
            f"as {headwater_type.display_name}; register a subclass of it instead."
        )
    registered = _registered.get(python_type)
    if registered is not None and registered is not headwater_type:
        raise HeadwaterInvalidDefinitionError(
            f"{python_type.__qualname__} is already usable as Headwater type "
            f"{registered.display_name}; it cannot also be {headwater_type.display_name}."
        )
    _registered[python_type] = headwater_type
    # Resolutions made before (of the class, or of List[cls] ...) used the inferred type.
    _resolved.clear()


@typing.overload
def usable_as_headwater_type(name: ClassT) -> ClassT: ...


@typing.overload
def usable_as_headwater_type(
    name: str | None = None,
    description: str | None = None,
    loader: HeadwaterTypeLoader | None = None,
) -> Callable[[ClassT], ClassT]: ...


def usable_as_headwater_type(
    name: typing.Any = None,
    description: str | None = None,
    loader: HeadwaterTypeLoader | None = None,
) -> typing.Any:
    """Class decorator: hints of the class stand for an isinstance type of the class.

    Usable bare (``@usable_as_headwater_type``) or called. The class itself is returned
    unchanged.

    Args:
        name: The type's name; defaults to the class name.
        description: What a valid value is.
        loader: How an unconnected input of the type is built from run config.

    Example:
        >>> @usable_as_headwater_type(description="A row count and a sample.")
        ... class TableSummary:
        ...     ...
        >>> resolve_headwater_type(TableSummary).name
        'TableSummary'
    """
    if isinstance(name, type):
        return _register_class(name, None, None, None)

    def decorator(cls: ClassT) -> ClassT:
        return _register_class(cls, name, description, loader)

    return decorator


def _register_class(cls: ClassT, name: str | None, description: str | None,
                    loader: HeadwaterTypeLoader | None) -> ClassT:
    make_python_type_usable_as_headwater_type(
        cls,
        PythonObjectHeadwaterType(cls, name=name or cls.__name__, description=description,
                                  loader=loader),
    )
    return cls


class _TypeFactory:
    """A subscriptable name such as ``List``: ``List[int]`` builds ``List[Int]``."""

    __slots__ = ("_build", "_name")

    def __init__(self, name: str, build: _Builder) -> None:
        self._name = name
        self._build = build

    def __getitem__(self, parameters: typing.Any) -> HeadwaterType:
        return self._build(parameters if isinstance(parameters, tuple) else (parameters,))

    def bare(self) -> HeadwaterType:
        """The type the unsubscripted name stands for, e.g. ``List[Any]`` for ``List``."""
        return self._build(())

    def __repr__(self) -> str:
        return f"headwater.types.{self._name}"


def _parameters(name: str, arguments: tuple[typing.Any, ...], count: int
                ) -> tuple[HeadwaterType, ...]:
    if not arguments:
        return (builtins.Any,) * count
    if len(arguments) != count:
        example = ", ".join(["int", "str"][:count])
        raise HeadwaterInvalidDefinitionError(
            f"{name}[...] takes {count} type{'s' if count > 1 else ''}, e.g. "
            f"{name}[{example}]; received {len(arguments)}: {arguments!r}."
        )
    return tuple(resolve_headwater_type(argument) for argument in arguments)


def _build_list(arguments: tuple[typing.Any, ...]) -> HeadwaterType:
    return list_of(*_parameters("List", arguments, 1))


def _build_set(arguments: tuple[typing.Any, ...]) -> HeadwaterType:
    return set_of(*_parameters("Set", arguments, 1))


def _build_dict(arguments: tuple[typing.Any, ...]) -> HeadwaterType:
    return dict_of(*_parameters("Dict", arguments, 2))


def _build_tuple(arguments: tuple[typing.Any, ...]) -> HeadwaterType:
    if not arguments:
        return variadic_tuple_of(builtins.Any)
    if len(arguments) == 2 and arguments[1] is Ellipsis:
        return variadic_tuple_of(resolve_headwater_type(arguments[0]))
    return tuple_of(*(resolve_headwater_type(argument) for argument in arguments))


def _build_optional(arguments: tuple[typing.Any, ...]) -> HeadwaterType:
    if not arguments:
        raise HeadwaterInvalidDefinitionError(
            "Optional needs the type it makes optional, e.g. Optional[int]."
        )
    return optional_of(*_parameters("Optional", arguments, 1))


_GENERIC_BUILDERS: dict[type, _Builder] = {
    list: _build_list,
    set: _build_set,
    dict: _build_dict,
    tuple: _build_tuple,
}

List = _TypeFactory("List", _build_list)
Set = _TypeFactory("Set", _build_set)
Dict = _TypeFactory("Dict", _build_dict)
Tuple = _TypeFactory("Tuple", _build_tuple)
Optional = _TypeFactory("Optional", _build_optional)


def _resolve_uncached(hint: typing.Any) -> HeadwaterType:
    if hint is None or hint is typing.Any:
        return builtins.Any
    if isinstance(hint, _TypeFactory):
        return hint.bare()
    origin = typing.get_origin(hint)
    if origin is None and isinstance(hint, type):
        return _resolve_class(hint)
    arguments = typing.get_args(hint)
    if origin in _GENERIC_BUILDERS:
        return _GENERIC_BUILDERS[origin](arguments)
    if origin is typing.Union or origin is types.UnionType:
        members = [argument for argument in arguments if argument is not type(None)]
        if len(members) == 1:
            return _build_optional((members[0],))
        raise _unresolvable(hint, "the only union Headwater resolves is Optional[T] "
                                  "(T | None); for values of one of several classes use "
                                  "PythonObjectHeadwaterType((A, B))")
    if isinstance(hint, str):
        raise _unresolvable(hint, "a string is not resolved; if it is a postponed "
                                  "annotation, evaluate it first with typing.get_type_hints")
    if origin is not None:
        raise _unresolvable(hint, "this generic is not supported; the bare class (e.g. "
                                  "collections.abc.Sequence) gives an isinstance type")
    raise _unresolvable(hint, "it is neither a class nor a type hint")


def _resolve_class(cls: type) -> HeadwaterType:
    if cls in _CLASSES:
        return _CLASSES[cls]
    if cls in _GENERIC_BUILDERS:
        return _GENERIC_BUILDERS[cls](())
    if cls in _registered:
        return _registered[cls]
    inferred = _inferred.get(cls)
    if inferred is None:
        # setdefault keeps one type per class even if two threads infer it at once.
        inferred = _inferred.setdefault(cls, PythonObjectHeadwaterType(
            cls, description=f"An instance of {cls.__module__}.{cls.__qualname__}.",
        ))
    return inferred


def _unresolvable(hint: typing.Any, reason: str) -> HeadwaterInvalidDefinitionError:
    return HeadwaterInvalidDefinitionError(
        f"Cannot use {hint!r} (of type {type(hint).__name__}) as a Headwater type: {reason}. "
        f"{_ACCEPTED}."
    )
