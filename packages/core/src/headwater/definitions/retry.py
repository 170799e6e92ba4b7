"""Retry policies: how often a failing step is tried again, and how long to wait between."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from headwater.errors import HeadwaterInvalidDefinitionError


class Backoff(enum.Enum):
    """How the wait grows with each attempt."""

    LINEAR = "LINEAR"
    """``attempt * delay``"""
    EXPONENTIAL = "EXPONENTIAL"
    """``(2 ** attempt - 1) * delay``"""


class Jitter(enum.Enum):
    """Randomness added to the wait, so that many retries do not arrive together."""

    FULL = "FULL"
    """A random wait between 0 and the backoff delay."""
    PLUS_MINUS = "PLUS_MINUS"
    """The backoff delay plus or minus up to ``delay``."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retry a step that raised, up to ``max_retries`` times.

    Args:
        max_retries: How many times to retry after the first attempt fails.
        delay: Seconds to wait before a retry (required for ``backoff`` and ``jitter``).
        backoff: How the wait grows with each attempt.
        jitter: Randomness applied to the wait.

    Example:
        >>> RetryPolicy(max_retries=3, delay=0.5, backoff=Backoff.EXPONENTIAL)
    """

    max_retries: int = 1
    delay: float | None = None
    backoff: Backoff | None = None
    jitter: Jitter | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise HeadwaterInvalidDefinitionError(
                f"RetryPolicy max_retries must be a non-negative int, got {self.max_retries!r}."
            )
        if self.delay is not None and self.delay < 0:
            raise HeadwaterInvalidDefinitionError(
                f"RetryPolicy delay must be >= 0 seconds, got {self.delay!r}."
            )
        if (self.backoff or self.jitter) and self.delay is None:
            raise HeadwaterInvalidDefinitionError(
                "RetryPolicy backoff and jitter need a delay: set delay=<seconds>."
            )

    def calculate_delay(self, attempt_num: int) -> float:
        """Seconds to wait before attempt ``attempt_num`` (1 for the first retry)."""
        if self.delay is None:
            return 0.0
        if self.backoff is Backoff.LINEAR:
            wait = attempt_num * self.delay
        elif self.backoff is Backoff.EXPONENTIAL:
            wait = ((2**attempt_num) - 1) * self.delay
        else:
            wait = self.delay
        import random  # here: most policies have no jitter, and most runs no retry

        if self.jitter is Jitter.FULL:
            wait = random.random() * wait
        elif self.jitter is Jitter.PLUS_MINUS:
            wait = max(0.0, wait + (2 * random.random() * self.delay) - self.delay)
        return wait
