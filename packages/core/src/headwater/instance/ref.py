"""A reference to an instance that another process can open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.serdes import serializable

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


@serializable
@dataclass(frozen=True)
class InstanceRef:
    """How to open the same instance elsewhere: its home and its settings as written.

    The settings are kept unprocessed, so that secrets given as ``{env: VAR}`` are read
    from the environment of the process that opens the instance, never stored here.

    Attributes:
        home: The instance's folder.
        settings: The settings (``headwater.yaml``'s content, or the overrides given).
    """

    home: str
    settings: dict[str, Any] = field(default_factory=dict)

    def open(self) -> Instance:
        """Open the instance this refers to (in this process)."""
        from headwater.instance.instance import Instance

        return Instance.from_ref(self)
