"""Canceling a run: ``instance.cancel_run(run_id)`` and ``headwater run cancel ID``.

A run not started yet (QUEUED, NOT_STARTED) is marked CANCELED. A run in progress is
marked CANCELING and its process asked to stop (SIGTERM, through the run launcher): the
process stops its executor (a multiprocess executor terminates its workers) and records
PIPELINE_CANCELED. A process on this host that is still alive after the grace period is
killed (SIGKILL), and the run marked CANCELED for it. A process on another host sees the
request at its next heartbeat.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from headwater.errors import HeadwaterRunNotFoundError
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.run_process import RunProcess

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

DEFAULT_GRACE_SECONDS = 10.0
_POLL_SECONDS = 0.1


def cancel_run(instance: Instance, run_id: str, grace_seconds: float = DEFAULT_GRACE_SECONDS,
               on_wait: Callable[[float], None] | None = None) -> PipelineRun:
    """Cancel a run; returns it as it stands afterwards (CANCELED, or still CANCELING when
    its process is on another host and has not answered within the grace period).

    A run that already ended is returned as it is.

    Args:
        instance: The run's instance.
        run_id: The run.
        grace_seconds: How long the run's process has to stop before it is killed.
        on_wait: Called with the seconds waited so far, while waiting for the process.

    Raises:
        HeadwaterRunNotFoundError: no such run.
    """
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise HeadwaterRunNotFoundError(
            f'No run "{run_id}" in the instance at {instance.home}. `headwater run list` shows '
            "the runs it has.", run_id)
    if run.is_finished:
        return run
    if run.status in (PipelineRunStatus.QUEUED, PipelineRunStatus.NOT_STARTED):
        instance.report_run_canceled(run, f"Run {run_id} was canceled before it started.")
        return _current(instance, run)
    if run.status is not PipelineRunStatus.CANCELING:
        instance.report_run_canceling(run)
    process = RunProcess.of(run)
    asked = instance.run_launcher.terminate(instance, run)
    if process is None and not asked:
        instance.report_run_canceled(
            run, f"Run {run_id} was canceled; no process of it is known to stop (a run "
                 "executed from Python is not stopped by this).")
        return _current(instance, run)
    # Only a process on this host can be watched and killed from here.
    local = process if process is not None and process.is_local else None
    started = time.monotonic()
    while (waited := time.monotonic() - started) < grace_seconds:
        current = _current(instance, run)
        if current.is_finished or (local is not None and not local.is_alive()):
            break
        if on_wait is not None:
            on_wait(waited)
        time.sleep(_POLL_SECONDS)
    current = _current(instance, run)
    if current.is_finished or local is None:
        return current
    if local.is_alive():
        local.signal(signal.SIGKILL)
        why = (f"its process ({local.describe()}) did not stop within {grace_seconds:g}s "
               "and was killed")
    else:
        why = f"its process ({local.describe()}) ended without recording the run's end"
    instance.report_run_canceled(current, f"Run {run_id} was canceled: {why}.")
    return _current(instance, run)


def _current(instance: Instance, run: PipelineRun) -> PipelineRun:
    return instance.get_run_by_id(run.run_id) or run
