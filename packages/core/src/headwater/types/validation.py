"""Construction-time checks shared by types and loaders, so both reject mistakes alike."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterable

from headwater.errors import HeadwaterInvalidDefinitionError

CONTEXT_PARAMETER_NAMES = ("context", "_", "_context", "context_")


def check_context_function(fn: Callable[..., typing.Any], role: str, second_parameter: str,
                           *, context_name_required: bool = True) -> None:
    """Fail unless ``fn`` can be called as ``fn(context, <second_parameter>)``.

    The first parameter must be named like a context so that a function written for another
    calling convention (e.g. ``fn(value)``) is caught when the definition is built rather
    than on the first run.

    Args:
        fn: The user's function.
        role: What the function is, for the error, e.g. 'The type check function of
            Headwater type "Foo"'.
        second_parameter: The conventional name of the second argument.
        context_name_required: Whether the first parameter's name is checked. Type checks
            do not check it: legacy code names it freely (``def check(_ctx, value)``), and
            taking exactly two positional arguments already catches ``fn(value)``.

    Raises:
        HeadwaterInvalidDefinitionError: ``fn`` is not callable or has the wrong signature.
    """
    expected = f"fn({CONTEXT_PARAMETER_NAMES[0]}, {second_parameter})"
    if not callable(fn):
        raise HeadwaterInvalidDefinitionError(
            f"{role} must be a function {expected}, received {fn!r}."
        )
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError) as error:
        raise HeadwaterInvalidDefinitionError(
            f"{role} ({fn!r}) has no inspectable signature; wrap it in a function {expected}."
        ) from error
    try:
        signature.bind(None, None)
    except TypeError as error:
        raise HeadwaterInvalidDefinitionError(
            f"{role} ({_function_name(fn)}{signature}) must take exactly two positional "
            f"arguments: {expected}."
        ) from error
    first = next(iter(signature.parameters.values()))
    if context_name_required and first.kind is not inspect.Parameter.VAR_POSITIONAL and (
        first.name not in CONTEXT_PARAMETER_NAMES
    ):
        allowed = ", ".join(f'"{name}"' for name in CONTEXT_PARAMETER_NAMES)
        raise HeadwaterInvalidDefinitionError(
            f'{role} ({_function_name(fn)}{signature}) names its first parameter "{first.name}"; '
            f"the first parameter receives the context and must be named one of {allowed}: "
            f"{expected}."
        )


def resource_key_set(keys: Iterable[str] | None, owner: str) -> frozenset[str]:
    """The resource keys a type or loader declares, as a frozenset.

    Args:
        keys: The declared keys, or None for none.
        owner: What declares them, for the error, e.g. 'Headwater type "Foo"'.

    Raises:
        HeadwaterInvalidDefinitionError: ``keys`` is a bare string (which would be read as a
            set of characters) or holds something other than strings.
    """
    if keys is None:
        return frozenset()
    error = HeadwaterInvalidDefinitionError(
        f"The required_resource_keys of {owner} must be a collection of resource key "
        f"strings, e.g. {{'database'}}; received {keys!r}."
    )
    if isinstance(keys, str):
        raise error
    try:
        key_set = frozenset(keys)
    except TypeError:
        raise error from None
    if not all(isinstance(key, str) for key in key_set):
        raise error
    return key_set


def _function_name(fn: Callable[..., typing.Any]) -> str:
    return getattr(fn, "__qualname__", type(fn).__name__)
