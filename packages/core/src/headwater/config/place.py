"""Where settings come from, so that an error about them can say what to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigPlace:
    """Where a client's settings come from, so that errors can say what to fix.

    Attributes:
        owner: What was configured, e.g. ``the "s3" resource``.
        path: Where its config keys are, e.g. ``resources.s3.config``.
    """

    owner: str
    path: str
