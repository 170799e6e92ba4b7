"""What storage queries take and return: run filters, stored records, run and step stats."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.execution.events import EventLogEntry, HeadwaterEventType, SerializableErrorInfo
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.serdes import serializable

if TYPE_CHECKING:
    import datetime


@serializable
@dataclass(frozen=True)
class RunsFilter:
    """Which runs a query returns; every given criterion must hold.

    Attributes:
        run_ids: Only these runs.
        pipeline_name: Only runs of this pipeline.
        statuses: Only runs in one of these statuses.
        tags: Only runs with every one of these tags; a value may be a list of accepted
            values.
        created_before / created_after: Only runs created before / after this time
            (a datetime, or seconds since the epoch).

    Example:
        >>> instance.get_runs(RunsFilter(pipeline_name="daily_orders",
        ...                              statuses=[PipelineRunStatus.FAILURE]), limit=10)
    """

    run_ids: Sequence[str] | None = None
    pipeline_name: str | None = None
    statuses: Sequence[PipelineRunStatus] | None = None
    tags: Mapping[str, str | Sequence[str]] | None = None
    created_before: datetime.datetime | float | None = None
    created_after: datetime.datetime | float | None = None


def epoch_seconds(value: datetime.datetime | float) -> float:
    """Seconds since the epoch of a datetime (naive means local time) or a number."""
    timestamp = getattr(value, "timestamp", None)
    return timestamp() if callable(timestamp) else float(value)


@dataclass(frozen=True)
class RunRecord:
    """A run as stored, with the times storage keeps about it.

    Attributes:
        storage_id: The run's row id (newer runs have larger ids).
        run: The run.
        create_timestamp / update_timestamp: When the record was created / last changed.
        start_time / end_time: When the run started / finished, if it has.
        heartbeat_timestamp: When the run's process last said it is alive (runs started by
            a run launcher or the command line write one every few seconds).
    """

    storage_id: int
    run: PipelineRun
    create_timestamp: float
    update_timestamp: float
    start_time: float | None = None
    end_time: float | None = None
    heartbeat_timestamp: float | None = None


@serializable
@dataclass(frozen=True)
class DaemonHeartbeat:
    """The last sign of life of one duty of a daemon (the run queue, the run monitor, ...).

    Attributes:
        duty: The duty's name.
        daemon_id: The daemon process that wrote it (several daemons may share an instance).
        timestamp: When (seconds since the epoch).
        error: What the duty's last iteration raised, or None if it went well.
    """

    duty: str
    daemon_id: str
    timestamp: float
    error: SerializableErrorInfo | None = None


@serializable
@dataclass(frozen=True)
class DaemonLease:
    """Which daemon works for the instance: the one holding the lease (one at a time).

    Attributes:
        daemon_id: The daemon holding it.
        hostname / pid: Where that daemon runs.
        acquired: When it took the lease (seconds since the epoch).
        renewed: When it last renewed it; the lease is free once ``renewed`` is older than
            the instance's ``daemon.lease_seconds``.
    """

    daemon_id: str
    hostname: str
    pid: int
    acquired: float
    renewed: float


@dataclass(frozen=True)
class EventLogRecord:
    """An event-log entry with its storage id, the cursor that ``logs_after`` takes."""

    storage_id: int
    entry: EventLogEntry


@serializable
@dataclass(frozen=True)
class RunStats:
    """Counts and times of one run, from its events.

    Attributes:
        run_id: The run.
        steps_succeeded / steps_failed: STEP_SUCCESS / STEP_FAILURE events.
        materializations / expectations: ASSET_MATERIALIZATION /
            STEP_EXPECTATION_RESULT events.
        enqueued_time / launch_time / start_time / end_time: When the run was queued,
            launched, started, finished (None if it was not).
    """

    run_id: str
    steps_succeeded: int = 0
    steps_failed: int = 0
    materializations: int = 0
    expectations: int = 0
    enqueued_time: float | None = None
    launch_time: float | None = None
    start_time: float | None = None
    end_time: float | None = None


@serializable
class StepEventStatus(enum.StrEnum):
    """Where a step stands, from its events."""

    IN_PROGRESS = "IN_PROGRESS"
    UP_FOR_RETRY = "UP_FOR_RETRY"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    SKIPPED = "SKIPPED"


@serializable
@dataclass(frozen=True)
class RunStepStats:
    """What happened to one step of a run.

    Attributes:
        run_id / step_key: The run and the step.
        status: Where the step stands.
        start_time: When its first attempt started (None if skipped).
        end_time: When it finished for good (None while running or waiting to retry).
        attempts: How many attempts started.
        materializations: The AssetMaterializations it yielded.
        expectation_results: The ExpectationResults it yielded.
    """

    run_id: str
    step_key: str
    status: StepEventStatus
    start_time: float | None = None
    end_time: float | None = None
    attempts: int = 0
    materializations: list[Any] = field(default_factory=list)
    expectation_results: list[Any] = field(default_factory=list)


EventTypes = HeadwaterEventType | str | Sequence[HeadwaterEventType | str]


def event_type_values(of_type: EventTypes | None) -> list[str] | None:
    """The event type values named by ``of_type`` (one type or several), or None for any."""
    if of_type is None:
        return None
    if isinstance(of_type, str):  # a HeadwaterEventType is a str too
        of_type = [of_type]
    return [HeadwaterEventType(t).value for t in of_type]
