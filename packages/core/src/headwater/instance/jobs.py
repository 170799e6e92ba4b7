"""What schedule storage keeps for the daemon: schedules and sensors ("jobs"), their ticks,
and backfills.

A job is known by its type, its repository's name and its own name (not by where its code
is), so that a schedule started from ``-f repo.py`` is the one the daemon of a workspace
ticks. A tick is recorded before any run of it is created; it lists the runs it will
submit, each with a run id fixed in advance, so that a daemon that stopped halfway through
a tick completes it without creating a run twice.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any

from headwater.definitions.run_request import RunRequest
from headwater.execution.events import SerializableErrorInfo
from headwater.serdes import serializable


@serializable
class JobType(enum.StrEnum):
    """What a job is."""

    SCHEDULE = "SCHEDULE"
    SENSOR = "SENSOR"


@serializable
class JobStatus(enum.StrEnum):
    """Whether the daemon runs a job."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


def job_origin_id(job_type: JobType, repository_name: str, name: str) -> str:
    """The storage key of a job: ``schedule:my_repo:nightly``."""
    return f"{job_type.value.lower()}:{repository_name}:{name}"


@serializable
@dataclass(frozen=True)
class JobState:
    """A schedule's or sensor's state.

    Attributes:
        name: The schedule's or sensor's name.
        repository_name: Its repository's name.
        job_type: Schedule or sensor.
        status: Running or stopped.
        start_timestamp: When it was last started (a schedule ticks only after it).
        cursor: The sensor's cursor.
        last_run_key: The run key of the last run the sensor requested.
        last_tick_timestamp: The time of its last tick (a schedule's scheduled time, a
            sensor's evaluation time).
    """

    name: str
    repository_name: str
    job_type: JobType
    status: JobStatus
    start_timestamp: float | None = None
    cursor: str | None = None
    last_run_key: str | None = None
    last_tick_timestamp: float | None = None

    @property
    def origin_id(self) -> str:
        return job_origin_id(self.job_type, self.repository_name, self.name)

    @property
    def is_running(self) -> bool:
        return self.status is JobStatus.RUNNING

    def with_changes(self, **changes: Any) -> JobState:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


@serializable
class TickStatus(enum.StrEnum):
    """How a tick went."""

    STARTED = "STARTED"
    SKIPPED = "SKIPPED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


@serializable
@dataclass(frozen=True)
class PlannedRun:
    """A run a tick submits, with its id fixed before the run is created.

    Attributes:
        run_id: The run's id.
        request: What the schedule or sensor asked for.
    """

    run_id: str
    request: RunRequest


@serializable
@dataclass(frozen=True)
class JobTick:
    """One evaluation of a schedule or sensor.

    Attributes:
        origin_id: The job's storage key.
        job_name: The schedule's or sensor's name.
        job_type: Schedule or sensor.
        status: How it went (STARTED while in progress).
        timestamp: A schedule's scheduled time, a sensor's evaluation time.
        run_ids: The runs it submitted.
        run_keys: The run keys of those runs.
        skip_reason: Why it asked for no run.
        error: What the evaluation (or the creation of a run) raised.
        cursor: The cursor the sensor's evaluation left.
        planned_runs: While STARTED: the runs it submits, once evaluated.
    """

    origin_id: str
    job_name: str
    job_type: JobType
    status: TickStatus
    timestamp: float
    run_ids: list[str] = field(default_factory=list)
    run_keys: list[str] = field(default_factory=list)
    skip_reason: str | None = None
    error: SerializableErrorInfo | None = None
    cursor: str | None = None
    planned_runs: list[PlannedRun] | None = None

    def with_changes(self, **changes: Any) -> JobTick:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class TickRecord:
    """A tick with its storage id."""

    tick_id: int
    tick: JobTick


@serializable
class BackfillStatus(enum.StrEnum):
    """Where a backfill stands."""

    REQUESTED = "REQUESTED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


@serializable
@dataclass(frozen=True)
class PartitionBackfill:
    """A request to run a pipeline once for each of some partitions.

    The daemon submits the runs in the order of ``partition_names``; ``num_submitted``
    counts those submitted, so that a daemon that stopped goes on where it was.

    Attributes:
        backfill_id: The backfill's id (its runs' ``headwater/backfill`` tag).
        repository_name: The partition set's repository.
        partition_set_name: The partition set.
        partition_names: The partitions, in the order their runs are submitted.
        status: Where it stands.
        timestamp: When it was requested.
        tags: Tags added to every run.
        num_submitted: How many runs were submitted.
        error: Why it failed, if it did.
    """

    backfill_id: str
    repository_name: str
    partition_set_name: str
    partition_names: list[str]
    status: BackfillStatus
    timestamp: float
    tags: dict[str, str] = field(default_factory=dict)
    num_submitted: int = 0
    error: SerializableErrorInfo | None = None

    def with_changes(self, **changes: Any) -> PartitionBackfill:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)
