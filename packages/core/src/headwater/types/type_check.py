"""The result of a type check."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import InitVar, dataclass

from headwater.errors import HeadwaterInvariantViolationError
from headwater.metadata import merge_metadata_entries, with_metadata_entries

if typing.TYPE_CHECKING:
    from headwater.metadata_entries import EventMetadataEntry


@with_metadata_entries
@dataclass(frozen=True, slots=True)
class TypeCheck:
    """What a type check function may return instead of a plain bool.

    Args:
        success: Whether the value is a valid instance of the type.
        description: Why the check failed (or passed), in words a user can act on.
        metadata: Facts about the value recorded on the type check event
            (``{label: value}``), e.g. a row count.
        metadata_entries: The legacy form of ``metadata``, merged into it.

    Example:
        >>> def non_empty(_context, value):
        ...     if not value:
        ...         return TypeCheck(False, description="The list is empty.")
        ...     return TypeCheck(True, metadata={"length": len(value)})
    """

    success: bool
    description: str | None = None
    metadata: dict[str, typing.Any] | None = None
    metadata_entries: InitVar[Sequence[EventMetadataEntry] | None] = None

    def __post_init__(self, metadata_entries: Sequence[EventMetadataEntry] | None) -> None:
        # A truthy non-bool (e.g. a non-empty string) would silently pass a failing value.
        if not isinstance(self.success, bool):
            raise HeadwaterInvariantViolationError(
                f"TypeCheck(success=...) must be a bool, received {self.success!r} "
                f"of type {type(self.success).__name__}."
            )
        object.__setattr__(self, "metadata", merge_metadata_entries(
            self.metadata, metadata_entries, "a TypeCheck"))
        if self.metadata is not None:
            # Copied so that a caller mutating its dict afterwards cannot rewrite the result.
            object.__setattr__(self, "metadata", dict(self.metadata))



PASSED = TypeCheck(True)
"""The shared result of every check whose function returned ``True``."""
