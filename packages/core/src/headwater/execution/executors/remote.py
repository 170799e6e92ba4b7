"""What executors that run steps in other processes share.

The multiprocess executor (a pool of local processes), the Dask executor (tasks on a
cluster) and any future out-of-process executor (Spark, a queue of workers) differ only in
how a step reaches the place that runs it and how its events come back. Everything else is
the same and lives here:

* :class:`RemoteExecutor`, the driver's loop: which steps are ready, how many run at once,
  retries with their waits, stopping, skipped and abandoned steps;
* :class:`RemoteSteps`, the remote-step protocol an executor implements: submit one step,
  say how many are running, wait a little and record what came back, clean up;
* :func:`worker_payload`, what a :class:`~headwater.execution.executors.worker.Worker`
  (the other side: load the pipeline once, run steps on request) is built from;
* :func:`record_remote_entry` and :func:`fail_lost_step`, how what a step sent back is
  recorded and how a step whose process was lost is failed.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from headwater.definitions.executor import Executor, RetryMode
from headwater.errors import HeadwaterInvariantViolationError
from headwater.execution.active import ActiveExecution
from headwater.execution.context import RunContext
from headwater.execution.events import (
    EventLogEntry,
    HeadwaterEvent,
    HeadwaterEventType,
    SerializableErrorInfo,
    StepFailureData,
    UserFailureData,
    new_event,
)
from headwater.execution.executors.in_process import report_decisions
from headwater.execution.plan import (
    ExecutionPlan,
    ExecutionStep,
    FromMultipleSources,
    StepOutputHandle,
)
from headwater.execution.recorder import SharedRunRecorder

FanInOverrides = dict[str, tuple[StepOutputHandle, ...]]


class RemoteSteps(ABC):
    """The remote-step protocol: one run's steps on the processes or cluster that run them.

    A :class:`RemoteExecutor` makes one per run (:meth:`RemoteExecutor.start`), submits
    ready steps to it, and waits on it; it calls :meth:`close` once, however the run ends.
    What a step emits comes back through :meth:`record` (which also feeds the plan); a step
    that cannot say how it ended is failed with :meth:`fail`.

    Args:
        run: The run's context.
        active: The run's active execution (what is ready, running, done).
    """

    def __init__(self, run: RunContext, active: ActiveExecution) -> None:
        self.run = run
        self.active = active

    @property
    @abstractmethod
    def running(self) -> int:
        """How many submitted steps have not been seen to finish."""

    @abstractmethod
    def submit(self, step: ExecutionStep, retry_number: int, overrides: FanInOverrides) -> None:
        """Start one attempt of ``step`` elsewhere.

        Args:
            step: The step.
            retry_number: 0 on the first attempt, 1 on the first retry, ...
            overrides: Fan-in inputs narrowed to the outputs that exist, by input name
                (give them to ``Worker.step_for``).
        """

    @abstractmethod
    def wait(self, timeout: float | None) -> Iterator[HeadwaterEvent]:
        """Wait up to ``timeout`` seconds (None: until something happens) for steps to send
        events or finish; record what came back and yield its step events."""

    def close(self) -> None:  # noqa: B027 (optional: nothing to release by default)
        """Stop what still runs and release the processes or cluster. Called once, also
        when the run fails or is stopped (so it yields no events)."""

    def record(self, entry: EventLogEntry) -> HeadwaterEvent | None:
        """Record an entry a step sent back (see :func:`record_remote_entry`)."""
        return record_remote_entry(self.run, self.active, entry)

    def fail(self, step: ExecutionStep, reason: str, cls_name: str,
             stack: list[str] | None = None) -> HeadwaterEvent:
        """Fail a step that cannot report its end itself (see :func:`fail_lost_step`)."""
        return fail_lost_step(self.run, self.active, step, reason, cls_name, stack)


class RemoteExecutor(Executor):
    """Base of executors that run each step in another process, machine or cluster.

    A subclass implements :meth:`start`, returning the run's :class:`RemoteSteps`; this
    class drives the run: it submits steps as their inputs become ready (at most
    ``max_concurrent`` at once), waits for retries, stops submitting when the run is asked
    to stop, and reports skipped and abandoned steps.

    Args:
        pipeline: The reconstructable pipeline (the other side loads it from its pointer).
        max_concurrent: Steps running at once; 0 for no limit.
        retries: Whether retry policies apply.
    """

    def __init__(self, pipeline: Any, max_concurrent: int, retries: RetryMode) -> None:
        self.pipeline = pipeline
        self.max_concurrent = max_concurrent
        self._retries = retries

    @property
    def retries(self) -> RetryMode:
        return self._retries

    @abstractmethod
    def start(self, run: RunContext, active: ActiveExecution,
              plan: ExecutionPlan) -> RemoteSteps:
        """Set up what runs this run's steps (start processes, connect to a cluster)."""

    def execute(self, plan_context: RunContext,
                execution_plan: ExecutionPlan) -> Iterator[HeadwaterEvent]:
        run = plan_context
        active = ActiveExecution(execution_plan, **run.known_state)
        steps = self.start(run, active, execution_plan)
        try:
            while not active.is_complete or steps.running:
                yield from report_decisions(run, active.pop_decisions())
                if run.stop_requested and not steps.running:
                    return
                self._submit_ready(run, active, steps)
                if not steps.running:
                    if active.is_complete:
                        break
                    delay = active.seconds_until_next_retry()
                    if delay is None:
                        raise RuntimeError("No step is running, ready or waiting for a retry, "
                                           "yet the plan is not complete.")
                    time.sleep(delay)
                    continue
                yield from steps.wait(active.seconds_until_next_retry())
        finally:
            steps.close()
        yield from report_decisions(run, active.pop_decisions())

    def _submit_ready(self, run: RunContext, active: ActiveExecution,
                      steps: RemoteSteps) -> None:
        while not run.stop_requested and (
                not self.max_concurrent or steps.running < self.max_concurrent):
            step = active.get_next_ready()
            if step is None:
                return
            steps.submit(step, run.retries.get_attempt_count(step.key),
                         fan_in_overrides(step))


def fan_in_overrides(step: ExecutionStep) -> FanInOverrides:
    """The fan-in inputs of ``step`` with the outputs they collect, for ``Worker.step_for``
    (a fan-in whose upstream steps were skipped collects only the outputs that exist)."""
    return {
        step_input.name: tuple(source.handle for source in step_input.source.sources)
        for step_input in step.inputs if isinstance(step_input.source, FromMultipleSources)
    }


def worker_payload(executor: RemoteExecutor, run: RunContext) -> dict[str, Any]:
    """What a ``Worker`` for ``run`` is built from, on whatever process or machine.

    Keys: ``origin`` (the pipeline's pointer), ``run`` (the PipelineRun), ``instance_ref``,
    ``parent_output_run_ids``, ``retry_mode`` and ``default_console_logger``. The payload
    is picklable; an executor may add keys of its own.
    """
    recorder = run.recorder
    if not isinstance(recorder, SharedRunRecorder):
        raise HeadwaterInvariantViolationError(
            f"The executor {type(executor).__name__} runs steps in other processes, which "
            f"must reach the run's instance; {type(recorder).__name__} cannot be shared. "
            "Run with a persistent instance (instance=Instance.get()).")
    return {
        "origin": executor.pipeline.origin,
        "run": run.run,
        "instance_ref": recorder.get_ref(),
        "parent_output_run_ids": dict(run.parent_output_run_ids),
        "retry_mode": executor.retries,
        "default_console_logger": run.default_console_logger,
    }


def record_remote_entry(run: RunContext, active: ActiveExecution,
                        entry: EventLogEntry) -> HeadwaterEvent | None:
    """Record an entry a step emitted elsewhere; return its step event, now fed to the
    active execution (None for log lines and run-level entries)."""
    run.recorder.handle_new_event(entry)
    event = entry.headwater_event
    if event is None or event.step_key is None:
        return None
    if event.event_type_value == "STEP_UP_FOR_RETRY":
        run.retries.mark_attempt(event.step_key)
    active.handle_event(event)
    return event


def fail_lost_step(run: RunContext, active: ActiveExecution, step: ExecutionStep, reason: str,
                   cls_name: str, stack: list[str] | None = None) -> HeadwaterEvent:
    """Record the failure of a step that cannot report it itself, with ``reason``."""
    info = SerializableErrorInfo(reason, stack or [], cls_name)
    event = new_event(HeadwaterEventType.STEP_FAILURE, run.pipeline.name,
                      f'Execution of step "{step.key}" failed: {reason}', step.key,
                      step.solid_handle, StepFailureData(info, UserFailureData(reason)))
    run.log.for_step(step.key, step.solid_handle).log_event(event)
    run.recorder.flush()
    active.handle_event(event)
    return event
