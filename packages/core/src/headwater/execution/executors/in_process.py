"""The in-process executor: every step, one after another, in the process of the run.

No per-step process or re-import: per-step overhead is a bookkeeping loop over the active
execution plus the step's own events. What a step prints is kept with the instance's
compute log manager; a step's events after its start are yielded once its output is
captured, so that a caller printing them does not print into the step's logs.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from typing import Any

from headwater.definitions.executor import Executor, InitExecutorContext, RetryMode
from headwater.execution.active import ActiveExecution, Decision
from headwater.execution.compute_logs import step_output_captured
from headwater.execution.context import RunContext
from headwater.execution.events import (
    HeadwaterEvent,
    HeadwaterEventType,
    StepSkippedData,
    new_event,
)
from headwater.execution.lifecycle import hooks_for, wrapped
from headwater.execution.step import execute_step

_STARTS = frozenset({HeadwaterEventType.STEP_START.value,
                     HeadwaterEventType.STEP_RESTARTED.value})


class InProcessExecutor(Executor):
    """Runs ready steps one at a time, highest ``headwater/priority`` first."""

    def __init__(self, retries: RetryMode) -> None:
        self._retries = retries

    @property
    def retries(self) -> RetryMode:
        return self._retries

    def execute(self, plan_context: RunContext, execution_plan: Any) -> Iterator[HeadwaterEvent]:
        active = ActiveExecution(execution_plan, **plan_context.known_state)
        # Looked up once per run: without a step wrapper, a step costs one test of None.
        wraps_steps = "headwater_step_wrapper" in hooks_for(plan_context.recorder).wrapped
        while not active.is_complete:
            yield from report_decisions(plan_context, active.pop_decisions())
            if plan_context.stop_requested:
                return
            step = active.get_next_ready()
            if step is None:
                wait = active.seconds_until_next_retry()
                if wait is None:
                    if active.is_complete:
                        break
                    raise RuntimeError("No step is ready and none is waiting to be retried, "
                                       "yet the plan is not complete.")
                time.sleep(wait)
                continue
            # Only the step's start is yielded while its output is captured: a caller that
            # prints the events it gets prints the rest after the step's own output.
            ended: list[HeadwaterEvent] = []
            with step_output_captured(plan_context.recorder, plan_context.run_id, step.key):
                wrap = wrapped(hooks_for(plan_context.recorder), "headwater_step_wrapper",
                               plan_context.recorder, plan_context.run,
                               step.key) if wraps_steps else None
                if wrap is None:
                    for event in execute_step(plan_context, step):
                        active.handle_event(event)
                        if event.event_type_value in _STARTS:
                            yield event
                        else:
                            ended.append(event)
                else:
                    # Inside a wrapper (a pluggy call) the step runs to its end before
                    # any of its events, the start too, reaches the caller.
                    wrap(functools.partial(
                        ended.extend, _handled(active, execute_step(plan_context, step))))
            yield from ended
            plan_context.recorder.flush()
        yield from report_decisions(plan_context, active.pop_decisions())


def _handled(active: ActiveExecution, events: Iterator[HeadwaterEvent]
             ) -> Iterator[HeadwaterEvent]:
    for event in events:
        active.handle_event(event)
        yield event


def report_decisions(run: RunContext, decisions: list[Decision]) -> Iterator[HeadwaterEvent]:
    """Events and log lines for steps that were skipped or abandoned."""
    for decision in decisions:
        step = decision.step
        if decision.kind == "skip":
            event = new_event(
                HeadwaterEventType.STEP_SKIPPED, run.pipeline.name,
                f"Skipping step {step.key} due to skipped dependencies: "
                f"{decision.dependencies}.", step.key, step.solid_handle,
                StepSkippedData(decision.dependencies))
            run.log.for_step(step.key, step.solid_handle).log_event(event)
            yield event
        else:
            verb = "were not executed" if decision.transitive else "failed"
            run.log.for_step(step.key, step.solid_handle).error(
                f"Dependencies for step {step.key} {verb}: {decision.dependencies}. "
                "Not executing.")


def create_in_process_executor(init_context: InitExecutorContext) -> InProcessExecutor:
    return InProcessExecutor(RetryMode.from_config(init_context.executor_config.get("retries")))
