"""What a type check function receives, and checking a value outside of a run."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from types import SimpleNamespace

from headwater.errors import HeadwaterInvalidInvocationError
from headwater.records import quick_init
from headwater.types.python_mapping import resolve_headwater_type
from headwater.types.type_check import TypeCheck


def _headwater_logger() -> typing.Any:
    import logging  # here: a check run outside a run is rare, and logging is ~8 ms to load

    return logging.getLogger("headwater")


@quick_init
@dataclass(frozen=True, slots=True)
class TypeCheckContext:
    """The ``context`` argument of a type check function.

    Execution builds one per step; every field has a default so that a test can build one
    with only what its check uses.

    Args:
        resources: The resources of the run, by attribute (``context.resources.database``).
            Only the keys in the type's ``required_resource_keys`` are guaranteed.
        run_id: The id of the run, or None outside a run.
        log: A ``logging.Logger``-like object for messages from the check.

    Example:
        >>> context = TypeCheckContext(resources=SimpleNamespace(schema_registry=registry))
        >>> context.check_headwater_type(Order, {"id": 3}).success
        True
    """

    resources: typing.Any = field(default_factory=SimpleNamespace)
    run_id: str | None = None
    log: typing.Any = field(default_factory=_headwater_logger)

    def check_headwater_type(self, headwater_type: typing.Any, value: typing.Any) -> TypeCheck:
        """Check ``value`` against a type (or a hint standing for one) with this context.

        Args:
            headwater_type: A HeadwaterType or any hint ``resolve_headwater_type`` accepts.
            value: The value to check.

        Returns:
            The result of the type's check. Exceptions the check raises propagate.
        """
        return resolve_headwater_type(headwater_type).type_check(self, value)


def check_headwater_type(headwater_type: typing.Any, value: typing.Any) -> TypeCheck:
    """Check ``value`` against a type outside of any run, e.g. in a unit test.

    Args:
        headwater_type: A HeadwaterType or any hint ``resolve_headwater_type`` accepts.
        value: The value to check.

    Returns:
        The result of the type's check. Exceptions the check raises propagate.

    Raises:
        HeadwaterInvalidInvocationError: The type's check needs resources; build a
            ``TypeCheckContext`` with them and call its ``check_headwater_type``.

    Example:
        >>> check_headwater_type(List[int], [1, 2]).success
        True
    """
    resolved = resolve_headwater_type(headwater_type)
    if resolved.required_resource_keys:
        raise HeadwaterInvalidInvocationError(
            f'check_headwater_type cannot check Headwater type "{resolved.display_name}": its '
            f"check needs the resources {sorted(resolved.required_resource_keys)}. Build a "
            "TypeCheckContext(resources=...) holding them and call its check_headwater_type."
        )
    return TypeCheckContext().check_headwater_type(resolved, value)
