"""What executors that run steps in other processes share: recording what a step sent back,
and failing a step whose process (or worker) was lost before it could say how it ended."""

from __future__ import annotations

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
from headwater.execution.plan import ExecutionStep


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
