"""The process a run executes in: who it is, its heartbeat, and how it stops when asked.

A run launched by the run launcher (``headwater api execute-run``) or executed by
``headwater pipeline execute`` records its process on the run (the tags
``headwater/pid`` and ``headwater/hostname``) and writes a heartbeat every few seconds.
The daemon's run monitor fails a run in progress whose process is gone or silent; ``headwater
run cancel`` knows which process to stop.

A run process turns SIGTERM into :class:`HeadwaterExecutionInterruptedError` in its main
thread: the executor stops (a multiprocess executor terminates its workers) and the run ends
CANCELED. Its heartbeat thread also watches for a cancel request made from another host
(the run marked CANCELING) and then sends SIGTERM to its own process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

from headwater.errors import (
    HeadwaterExecutionInterruptedError,
    HeadwaterInvariantViolationError,
    HeadwaterRunNotFoundError,
    HeadwaterRunStatusConflictError,
    HeadwaterStorageUnavailableError,
)
from headwater.execution.process import (  # noqa: F401  (where the launcher, monitor and CLI find them)
    HOSTNAME_TAG,
    PID_TAG,
    PROCESS_START_TAG,
    RunProcess,
)
from headwater.execution.run import PipelineRun, PipelineRunStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


class RunHeartbeat:
    """While on: the run records this process, and a thread writes the run's heartbeat.

    The thread also stops the run when it is marked CANCELING by another process that could
    not signal this one (another host): it sends SIGTERM to this process.

    Args:
        instance: The run's instance.
        run_id: The run.
        interval_seconds: Between heartbeats (the instance's
            ``run_monitoring.heartbeat_interval_seconds`` when None).
    """

    def __init__(self, instance: Instance, run_id: str,
                 interval_seconds: float | None = None) -> None:
        self.instance = instance
        self.run_id = run_id
        self.interval_seconds = (interval_seconds if interval_seconds is not None
                                 else instance.run_monitoring.heartbeat_interval_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RunHeartbeat:
        self.instance.add_run_tags(self.run_id, RunProcess.current().tags)
        self.instance.record_run_heartbeat(self.run_id, time.time())
        self._thread = threading.Thread(target=self._beat, daemon=True,
                                        name=f"headwater-run-heartbeat-{self.run_id[:8]}")
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval_seconds + 5)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            # A failed write is retried at the next beat; the monitor's timeout spans several.
            with contextlib.suppress(Exception):
                self.instance.record_run_heartbeat(self.run_id, time.time())
                run = self.instance.get_run_by_id(self.run_id)
                if run is not None and run.status is PipelineRunStatus.CANCELING and \
                        not self._stop.is_set():
                    os.kill(os.getpid(), signal.SIGTERM)


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While on, SIGTERM raises :class:`HeadwaterExecutionInterruptedError` in the main thread.

    Only the first SIGTERM raises; later ones are ignored, so that the run can record that
    it was canceled (whoever sent it follows up with SIGKILL if it takes too long).
    """
    received: list[int] = []

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if received:
            return
        received.append(signum)
        raise HeadwaterExecutionInterruptedError(
            f"The run's process (pid {os.getpid()}) received SIGTERM: the run was asked to "
            "stop.")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def execute_launched_run(instance: Instance, run_id: str) -> PipelineRun:
    """Execute a recorded run in this process (what ``headwater api execute-run`` does).

    Loads the pipeline from the run's pointer, with the run's config, mode, selection and
    steps (and, for a re-execution, the outputs of its parent), executes it against the
    instance with a heartbeat, and ends it CANCELED on SIGTERM. Whatever stops the run from
    starting (code that does not load, a parent that is gone) is recorded on the run as its
    failure.

    Returns:
        The run as it ended.

    Raises:
        HeadwaterRunNotFoundError: the instance has no such run.
    """
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise HeadwaterRunNotFoundError(
            f'No run "{run_id}" in the instance at {instance.home}: the process launched for '
            "it opened another instance, or the run was deleted.", run_id)
    if run.status in (PipelineRunStatus.CANCELING, PipelineRunStatus.CANCELED):
        if run.status is PipelineRunStatus.CANCELING:
            instance.report_run_canceled(run, f"Run {run_id} was canceled before it started.")
        return _current(instance, run)
    if run.status not in (PipelineRunStatus.NOT_STARTED, PipelineRunStatus.STARTING):
        raise HeadwaterInvariantViolationError(
            f'Run "{run_id}" is {run.status.value}: only a run that has not started can be '
            "executed. Re-execute it (`headwater run reexecute`) to run it again.")
    with sigterm_interrupts(), RunHeartbeat(instance, run_id):
        try:
            pipeline, prepared, known = _prepare(instance, run)
        except HeadwaterExecutionInterruptedError:
            instance.report_run_canceled(run, f"Run {run_id} was canceled before it started.")
            return _current(instance, run)
        except Exception as error:
            instance.report_run_failed(
                run, f'Run {run_id} of "{run.pipeline_name}" could not start: {error}', error)
            return _current(instance, run)
        from headwater.execution.api import execute_run_iterator

        try:
            for _ in execute_run_iterator(pipeline, prepared, instance, **known):
                pass
        except HeadwaterExecutionInterruptedError:
            pass
        except HeadwaterStorageUnavailableError as error:
            recorded = instance.record_storage_failure(run_id, error)
            print(f"headwater: run {run_id} stopped: {error} "
                  f"{'It is marked FAILURE.' if recorded else 'It could not be marked failed.'}",
                  file=sys.stderr)
        except HeadwaterRunStatusConflictError as lost:
            # The run was ended by another process while this one was silent: the run
            # records why this process stopped; the process log says it too.
            print(f"headwater: this process (pid {os.getpid()}) lost run {run_id} and "
                  f"stopped: {lost}", file=sys.stderr)
    return _current(instance, run)


def _prepare(instance: Instance, run: PipelineRun) -> tuple[Any, Any, dict[str, Any]]:
    from headwater.errors import HeadwaterCodeLoadError
    from headwater.execution.api import prepare_run
    from headwater.execution.reconstruct import ReconstructablePipeline
    from headwater.execution.reexecution import reexecution_state

    if not run.pipeline_origin:
        raise HeadwaterCodeLoadError(
            "the run records no pointer to its pipeline's code. Launch runs of pipelines "
            "loaded from a file or module (-f/-m, or reconstructable(...)).")
    pipeline = ReconstructablePipeline(run.pipeline_origin)
    prepared = prepare_run(pipeline, run.run_config, run.mode,
                           solid_selection=run.solids_to_execute, run_id=run.run_id,
                           step_keys_to_execute=run.step_keys_to_execute)
    prepared.run = run
    known = reexecution_state(instance, run, prepared.plan) if run.parent_run_id else {}
    return pipeline, prepared, known


def _current(instance: Instance, run: PipelineRun) -> PipelineRun:
    return instance.get_run_by_id(run.run_id) or run
