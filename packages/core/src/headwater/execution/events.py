"""The events of a run: what happened, to which step, with which data.

Every state change of a run is a ``HeadwaterEvent``; each is stored as an ``EventLogEntry``
(which also carries plain log lines). Run status is derived from the pipeline-level
events.
"""

from __future__ import annotations

import enum
import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from headwater.config.secrets import mask
from headwater.definitions.events import AssetMaterialization, ExpectationResult, MetadataValue
from headwater.metadata import with_metadata_entries
from headwater.serdes import serializable


@serializable
class HeadwaterEventType(enum.StrEnum):
    """The kinds of event a run records."""

    STEP_START = "STEP_START"
    STEP_INPUT = "STEP_INPUT"
    LOADED_INPUT = "LOADED_INPUT"
    STEP_OUTPUT = "STEP_OUTPUT"
    HANDLED_OUTPUT = "HANDLED_OUTPUT"
    STEP_SUCCESS = "STEP_SUCCESS"
    STEP_FAILURE = "STEP_FAILURE"
    STEP_SKIPPED = "STEP_SKIPPED"
    STEP_UP_FOR_RETRY = "STEP_UP_FOR_RETRY"
    STEP_RESTARTED = "STEP_RESTARTED"
    ASSET_MATERIALIZATION = "ASSET_MATERIALIZATION"
    STEP_EXPECTATION_RESULT = "STEP_EXPECTATION_RESULT"
    PIPELINE_ENQUEUED = "PIPELINE_ENQUEUED"
    PIPELINE_DEQUEUED = "PIPELINE_DEQUEUED"
    PIPELINE_STARTING = "PIPELINE_STARTING"
    PIPELINE_START = "PIPELINE_START"
    PIPELINE_SUCCESS = "PIPELINE_SUCCESS"
    PIPELINE_FAILURE = "PIPELINE_FAILURE"
    PIPELINE_CANCELING = "PIPELINE_CANCELING"
    PIPELINE_CANCELED = "PIPELINE_CANCELED"
    ENGINE_EVENT = "ENGINE_EVENT"
    HOOK_COMPLETED = "HOOK_COMPLETED"
    HOOK_ERRORED = "HOOK_ERRORED"
    HOOK_SKIPPED = "HOOK_SKIPPED"
    LOGS_CAPTURED = "LOGS_CAPTURED"


E = HeadwaterEventType

STEP_EVENTS = frozenset({
    E.STEP_START, E.STEP_INPUT, E.LOADED_INPUT, E.STEP_OUTPUT, E.HANDLED_OUTPUT,
    E.STEP_SUCCESS, E.STEP_FAILURE, E.STEP_SKIPPED, E.STEP_UP_FOR_RETRY, E.STEP_RESTARTED,
    E.ASSET_MATERIALIZATION, E.STEP_EXPECTATION_RESULT,
})
PIPELINE_EVENTS = frozenset({
    E.PIPELINE_ENQUEUED, E.PIPELINE_DEQUEUED, E.PIPELINE_STARTING, E.PIPELINE_START,
    E.PIPELINE_SUCCESS, E.PIPELINE_FAILURE, E.PIPELINE_CANCELING, E.PIPELINE_CANCELED,
})
FAILURE_EVENTS = frozenset({E.PIPELINE_FAILURE, E.STEP_FAILURE, E.PIPELINE_CANCELED})
HOOK_EVENTS = frozenset({E.HOOK_COMPLETED, E.HOOK_ERRORED, E.HOOK_SKIPPED})


@serializable
@dataclass(frozen=True)
class SerializableErrorInfo:
    """An exception as data: its message, formatted stack, class name and cause."""

    message: str
    stack: list[str]
    cls_name: str | None
    cause: SerializableErrorInfo | None = None

    @staticmethod
    def from_exception(error: BaseException) -> SerializableErrorInfo:
        cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
        return SerializableErrorInfo(
            message=mask("".join(traceback.format_exception_only(type(error), error)).strip()),
            stack=[mask(line) for line in traceback.format_tb(error.__traceback__)],
            cls_name=type(error).__name__,
            cause=SerializableErrorInfo.from_exception(cause) if cause is not None else None,
        )

    def to_string(self) -> str:
        """The error as Python would print it: traceback, then message; causes first."""
        text = "Traceback (most recent call last):\n" + "".join(self.stack) + self.message
        if self.cause is not None:
            text = (self.cause.to_string()
                    + "\n\nThe above exception was the direct cause of the following "
                      "exception:\n\n" + text)
        return text


@with_metadata_entries
@serializable
@dataclass(frozen=True)
class TypeCheckData:
    success: bool
    label: str
    description: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@serializable
@dataclass(frozen=True)
class StepInputData:
    input_name: str
    type_check_data: TypeCheckData | None = None


@with_metadata_entries
@serializable
@dataclass(frozen=True)
class StepOutputData:
    output_name: str
    mapping_key: str | None = None
    type_check_data: TypeCheckData | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@serializable
@dataclass(frozen=True)
class StepSuccessData:
    duration_ms: float


@with_metadata_entries
@serializable
@dataclass(frozen=True)
class UserFailureData:
    description: str | None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@serializable
@dataclass(frozen=True)
class StepFailureData:
    error: SerializableErrorInfo | None
    user_failure_data: UserFailureData | None = None
    retry_number: int = 0


@serializable
@dataclass(frozen=True)
class StepRetryData:
    error: SerializableErrorInfo | None
    seconds_to_wait: float | None = None
    retry_number: int = 0


@serializable
@dataclass(frozen=True)
class StepSkippedData:
    skipped_dependencies: list[str] = field(default_factory=list)


@serializable
@dataclass(frozen=True)
class StepMaterializationData:
    materialization: AssetMaterialization


@serializable
@dataclass(frozen=True)
class StepExpectationResultData:
    expectation_result: ExpectationResult


@serializable
@dataclass(frozen=True)
class HandledOutputData:
    output_name: str
    manager_key: str
    mapping_key: str | None = None


@serializable
@dataclass(frozen=True)
class LoadedInputData:
    input_name: str
    manager_key: str
    upstream_output_name: str | None = None
    upstream_step_key: str | None = None


@serializable
@dataclass(frozen=True)
class EngineEventData:
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    error: SerializableErrorInfo | None = None


@serializable
@dataclass(frozen=True)
class PipelineFailureData:
    error: SerializableErrorInfo | None = None


@serializable
@dataclass(frozen=True)
class HookErroredData:
    error: SerializableErrorInfo


@serializable
@dataclass(frozen=True)
class HeadwaterEvent:
    """One thing that happened in a run.

    Attributes:
        event_type_value: The HeadwaterEventType's value.
        pipeline_name: The pipeline of the run.
        step_key: The step it is about (None for pipeline-level events).
        solid_handle: The solid's dotted handle (None for pipeline-level events).
        message: A human-readable description.
        event_specific_data: The typed data of this kind of event.
        pid: The process that emitted it.
    """

    event_type_value: str
    pipeline_name: str
    step_key: str | None = None
    solid_handle: str | None = None
    message: str | None = None
    event_specific_data: Any = None
    pid: int | None = None

    @property
    def event_type(self) -> HeadwaterEventType:
        return HeadwaterEventType(self.event_type_value)

    @property
    def is_step_event(self) -> bool:
        return self.event_type in STEP_EVENTS

    @property
    def is_pipeline_event(self) -> bool:
        return self.event_type in PIPELINE_EVENTS

    @property
    def is_engine_event(self) -> bool:
        return self.event_type_value == "ENGINE_EVENT"

    @property
    def is_hook_event(self) -> bool:
        return self.event_type in HOOK_EVENTS

    @property
    def is_step_start(self) -> bool:
        return self.event_type_value == "STEP_START"

    @property
    def is_step_success(self) -> bool:
        return self.event_type_value == "STEP_SUCCESS"

    @property
    def is_step_failure(self) -> bool:
        return self.event_type_value == "STEP_FAILURE"

    @property
    def is_step_skipped(self) -> bool:
        return self.event_type_value == "STEP_SKIPPED"

    @property
    def is_step_up_for_retry(self) -> bool:
        return self.event_type_value == "STEP_UP_FOR_RETRY"

    @property
    def is_successful_output(self) -> bool:
        return self.event_type_value == "STEP_OUTPUT"

    @property
    def is_handled_output(self) -> bool:
        return self.event_type_value == "HANDLED_OUTPUT"

    @property
    def is_loaded_input(self) -> bool:
        return self.event_type_value == "LOADED_INPUT"

    @property
    def is_step_materialization(self) -> bool:
        return self.event_type_value == "ASSET_MATERIALIZATION"

    @property
    def is_expectation_result(self) -> bool:
        return self.event_type_value == "STEP_EXPECTATION_RESULT"

    @property
    def is_pipeline_success(self) -> bool:
        return self.event_type_value == "PIPELINE_SUCCESS"

    @property
    def is_pipeline_failure(self) -> bool:
        return self.event_type_value == "PIPELINE_FAILURE"

    @property
    def is_failure(self) -> bool:
        return self.event_type in FAILURE_EVENTS

    @property
    def step_output_data(self) -> StepOutputData:
        return self.event_specific_data

    @property
    def step_failure_data(self) -> StepFailureData:
        return self.event_specific_data

    @property
    def step_materialization_data(self) -> StepMaterializationData:
        return self.event_specific_data

    @property
    def step_expectation_result_data(self) -> StepExpectationResultData:
        return self.event_specific_data

    @property
    def engine_event_data(self) -> EngineEventData:
        return self.event_specific_data

    @property
    def asset_key(self) -> Any:
        if self.event_type_value != "ASSET_MATERIALIZATION":
            return None
        return self.event_specific_data.materialization.asset_key

    @property
    def partition(self) -> str | None:
        if self.event_type_value != "ASSET_MATERIALIZATION":
            return None
        return self.event_specific_data.materialization.partition


@serializable
@dataclass(frozen=True)
class EventLogEntry:
    """What the event log stores: a HeadwaterEvent, or a plain log line (``headwater_event``
    None), with when and where it happened.

    Attributes:
        run_id: The run.
        timestamp: Seconds since the epoch.
        level: A ``logging`` level.
        user_message: The message (the user's words for log lines).
        step_key: The step, if any.
        pipeline_name: The pipeline.
        error_info: An error attached to the entry, if any.
        headwater_event: The event, or None for a log line.
    """

    run_id: str
    timestamp: float
    level: int
    user_message: str
    step_key: str | None = None
    pipeline_name: str | None = None
    error_info: SerializableErrorInfo | None = None
    headwater_event: HeadwaterEvent | None = None

    @property
    def is_headwater_event(self) -> bool:
        return self.headwater_event is not None

    @property
    def event_type(self) -> HeadwaterEventType | None:
        return self.headwater_event.event_type if self.headwater_event is not None else None

    @property
    def message(self) -> str:
        return self.user_message


def new_event(event_type: HeadwaterEventType, pipeline_name: str, message: str,
              step_key: str | None = None, solid_handle: str | None = None,
              data: Any = None) -> HeadwaterEvent:
    """Build an event stamped with this process's id."""
    return HeadwaterEvent(event_type.value, pipeline_name, step_key, solid_handle, message,
                          data, os.getpid())


def level_of(event: HeadwaterEvent) -> int:
    """The log level an event is recorded at."""
    if event.event_type_value in ("STEP_FAILURE", "PIPELINE_FAILURE", "HOOK_ERRORED"):
        return logging.ERROR
    return logging.DEBUG


def entry_for_event(run_id: str, event: HeadwaterEvent) -> EventLogEntry:
    error = None
    data = event.event_specific_data
    if data is not None:
        error = getattr(data, "error", None)
    return EventLogEntry(run_id, time.time(), level_of(event), event.message or "",
                         event.step_key, event.pipeline_name, error, event)
