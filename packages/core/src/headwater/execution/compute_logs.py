"""Keeping what a step prints: the recorder's compute log manager, around each step.

A run recorded in an instance keeps each step's stdout and stderr with the instance's
compute log manager; a run without one (recorded in memory) captures nothing.
"""

from __future__ import annotations

import contextlib
from types import TracebackType
from typing import Any

from headwater.errors import HeadwaterInvariantViolationError


def step_output_captured(recorder: Any, run_id: str,
                         step_key: str) -> contextlib.AbstractContextManager[Any]:
    """While on, what this process prints is kept as the step's compute logs.

    Capture works on the process's file descriptors, one step at a time per process: a step
    that starts while another run in the same process (another thread) is capturing runs
    uncaptured rather than failing.
    """
    manager = getattr(recorder, "compute_log_manager", None)
    if manager is None:
        return contextlib.nullcontext()
    return _CaptureUnlessBusy(manager.capture(run_id, step_key))


class _CaptureUnlessBusy:
    __slots__ = ("_capture", "_on")

    def __init__(self, capture: contextlib.AbstractContextManager[Any]) -> None:
        self._capture = capture
        self._on = False

    def __enter__(self) -> None:
        with contextlib.suppress(HeadwaterInvariantViolationError):
            self._capture.__enter__()
            self._on = True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> bool | None:
        return self._capture.__exit__(exc_type, exc, traceback) if self._on else None
