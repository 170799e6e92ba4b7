"""What run, event-log and schedule storage do: the interface an instance relies on.

Headwater's own storages implement these with SQL (SQLite, PostgreSQL). Another backend
subclasses them and is named in ``headwater.yaml`` as ``{module: ..., class: ...,
config: {...}}``; such a class also provides ``config_schema()`` and
``from_config(config, context)`` (see ``headwater.instance.components``).
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any

from headwater.definitions.events import AssetKey
from headwater.execution.events import EventLogEntry, HeadwaterEvent
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.records import (
    DaemonHeartbeat,
    DaemonLease,
    EventLogRecord,
    EventTypes,
    RunRecord,
    RunsFilter,
    RunStats,
    RunStepStats,
)


class RunStorage(abc.ABC):
    """Stores run records and their tags."""

    @abc.abstractmethod
    def add_run(self, run: PipelineRun) -> PipelineRun:
        """Store a new run; raises ``HeadwaterRunAlreadyExistsError`` if its id is taken."""

    @abc.abstractmethod
    def get_run_by_id(self, run_id: str) -> PipelineRun | None:
        """The run, or None."""

    @abc.abstractmethod
    def get_run_records(self, filters: RunsFilter | None = None, cursor: str | None = None,
                        limit: int | None = None) -> list[RunRecord]:
        """Matching runs with their times, newest first.

        Args:
            filters: Which runs; all when None.
            cursor: A run id: only runs older than it (the last run of the previous page).
            limit: At most this many.
        """

    def get_runs(self, filters: RunsFilter | None = None, cursor: str | None = None,
                 limit: int | None = None) -> list[PipelineRun]:
        """Matching runs, newest first; ``cursor`` and ``limit`` page through them."""
        return [record.run for record in self.get_run_records(filters, cursor, limit)]

    @abc.abstractmethod
    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        """How many runs match."""

    @abc.abstractmethod
    def handle_run_event(self, run_id: str, event: HeadwaterEvent,
                         timestamp: float | None = None) -> None:
        """Move the run to the status a pipeline-level event implies, noting start/end.

        Compare-and-set: the run moves only from a status ``PREVIOUS_STATUSES`` allows, in
        one statement, so that of two processes racing to move it only one wins.

        Raises:
            HeadwaterRunStatusConflictError: the run's stored status does not allow the move.
            HeadwaterRunNotFoundError: there is no such run.
        """

    def get_run_status(self, run_id: str) -> PipelineRunStatus | None:
        """The run's status as stored now, or None when there is no such run."""
        run = self.get_run_by_id(run_id)
        return None if run is None else run.status

    @abc.abstractmethod
    def update_run_status(self, run_id: str, status: PipelineRunStatus) -> None:
        """Set a run's status directly (the run coordinator's and monitor's tool)."""

    @abc.abstractmethod
    def record_run_heartbeat(self, run_id: str, timestamp: float) -> None:
        """Note that the run's process was alive at ``timestamp``."""

    @abc.abstractmethod
    def add_run_tags(self, run_id: str, tags: Mapping[str, str]) -> None:
        """Add tags to a run, replacing the values of keys it already has."""

    @abc.abstractmethod
    def get_run_tags(self) -> dict[str, set[str]]:
        """Every tag key in use, with the values it has across runs."""

    @abc.abstractmethod
    def delete_run(self, run_id: str) -> None:
        """Delete a run and its tags (not its events)."""

    @abc.abstractmethod
    def wipe(self) -> None:
        """Delete every run."""

    @abc.abstractmethod
    def add_daemon_heartbeat(self, heartbeat: DaemonHeartbeat) -> None:
        """Store a duty's heartbeat, replacing the duty's previous one."""

    @abc.abstractmethod
    def get_daemon_heartbeats(self) -> dict[str, DaemonHeartbeat]:
        """The last heartbeat of each duty, by duty name."""

    @abc.abstractmethod
    def acquire_daemon_lease(self, lease: DaemonLease, lease_seconds: float) -> DaemonLease:
        """Take or renew the daemon lease for ``lease.daemon_id``, atomically: it succeeds
        when no daemon holds it, when this daemon holds it, or when the holder's last
        renewal is older than ``lease_seconds`` (by ``lease.renewed``'s clock).

        Returns:
            The lease as it now stands: ``lease`` (renewed) if this daemon holds it, else
            the other holder's.
        """

    @abc.abstractmethod
    def release_daemon_lease(self, daemon_id: str) -> None:
        """Give the lease up, if ``daemon_id`` holds it (a standby takes it at once)."""

    @abc.abstractmethod
    def get_daemon_lease(self) -> DaemonLease | None:
        """The lease as stored (possibly expired), or None when no daemon ever held it."""

    @abc.abstractmethod
    def wipe_daemon_heartbeats(self) -> None:
        """Delete every daemon heartbeat."""

    @property
    def is_persistent(self) -> bool:
        """Whether stored runs outlive this process."""
        return True

    def upgrade(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Bring the storage's schema up to date, keeping its data."""

    def dispose(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Release connections and threads."""


class EventLogStorage(abc.ABC):
    """Stores the events and log lines of runs.

    ``store_event`` may buffer: an implementation commits at least at every pipeline-level
    event (a run's start and end) and within 50 ms of any other entry, in the order entries
    were stored; ``flush`` commits now.
    Reads see every event stored before them by the same storage object.
    """

    def discard_pending(self) -> int:
        """Drop what waits in a buffer to be written, and free what space the storage can
        (after it failed for good: a full disk, say), so that the run's failure can still
        be recorded; returns how many entries were dropped. Nothing committed is touched.
        An implementation may drop log lines first and keep the events waiting with them
        for one more attempt; called again, it drops what is left."""
        return 0

    @abc.abstractmethod
    def store_event(self, entry: EventLogEntry) -> None:
        """Record an event or log line."""

    @abc.abstractmethod
    def flush(self) -> None:
        """Make everything stored so far durable."""

    @abc.abstractmethod
    def get_event_records(self, run_id: str | None = None, cursor: int = -1,
                          of_type: EventTypes | None = None,
                          limit: int | None = None) -> list[EventLogRecord]:
        """Entries after ``cursor`` (a storage id; -1 for all), oldest first.

        Args:
            run_id: Only this run's entries; every run's when None.
            cursor: Only entries with a larger storage id.
            of_type: Only events of this type (or these types).
            limit: At most this many.
        """

    def get_logs_for_run(self, run_id: str, cursor: int = -1,
                         of_type: EventTypes | None = None,
                         limit: int | None = None) -> list[EventLogEntry]:
        """A run's entries after ``cursor`` (a storage id), oldest first."""
        return [r.entry for r in self.get_event_records(run_id, cursor, of_type, limit)]

    @abc.abstractmethod
    def get_stats_for_run(self, run_id: str) -> RunStats:
        """Counts and times of a run."""

    @abc.abstractmethod
    def get_step_stats_for_run(self, run_id: str,
                               step_keys: list[str] | None = None) -> list[RunStepStats]:
        """Status, times and attempts of each step of a run, in the order steps started."""

    @abc.abstractmethod
    def all_asset_keys(self) -> list[AssetKey]:
        """Every asset key ever materialized, sorted."""

    @abc.abstractmethod
    def get_latest_materialization(self, asset_key: AssetKey) -> EventLogEntry | None:
        """The entry of the asset's latest materialization, or None."""

    @abc.abstractmethod
    def events_for_asset_key(self, asset_key: AssetKey, partitions: list[str] | None = None,
                             cursor: int | None = None, limit: int | None = None,
                             ascending: bool = False) -> list[EventLogRecord]:
        """The materializations of an asset, newest first unless ``ascending``.

        ``cursor`` is a storage id: only records past it in the order asked for.
        """

    @abc.abstractmethod
    def delete_events(self, run_id: str) -> None:
        """Delete a run's entries."""

    @abc.abstractmethod
    def wipe_asset(self, asset_key: AssetKey) -> None:
        """Forget an asset's materializations: the asset is no longer listed, has no latest
        materialization and no events; the runs' own logs keep their entries."""

    @abc.abstractmethod
    def wipe(self) -> None:
        """Delete every entry and asset key."""

    @property
    def is_persistent(self) -> bool:
        """Whether stored events outlive this process."""
        return True

    def upgrade(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Bring the storage's schema up to date, keeping its data."""

    def dispose(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Write what is buffered; release connections and threads."""


class ScheduleStorage(abc.ABC):
    """Stores the state of schedules and sensors ("jobs"), their ticks, and backfills.

    Bodies are any value ``headwater.serdes`` can write; ``headwater.instance.jobs`` defines
    the records the instance stores.
    """

    @abc.abstractmethod
    def add_job_state(self, origin_id: str, job_type: str, status: str, body: Any) -> None:
        """Store a new job's state."""

    @abc.abstractmethod
    def update_job_state(self, origin_id: str, status: str, body: Any) -> None:
        """Replace a job's status and body."""

    @abc.abstractmethod
    def get_job_state(self, origin_id: str) -> Any:
        """A job's body, or None."""

    @abc.abstractmethod
    def all_job_states(self, job_type: str | None = None) -> list[Any]:
        """Every job's body (of one type, if given)."""

    @abc.abstractmethod
    def delete_job_state(self, origin_id: str) -> None:
        """Delete a job and its ticks."""

    @abc.abstractmethod
    def create_job_tick(self, origin_id: str, status: str, timestamp: float,
                        body: Any) -> int:
        """Store a tick; returns its id."""

    @abc.abstractmethod
    def update_job_tick(self, tick_id: int, status: str, body: Any) -> None:
        """Replace a tick's status and body."""

    @abc.abstractmethod
    def get_job_ticks(self, origin_id: str, limit: int | None = None) -> list[tuple[int, Any]]:
        """A job's ticks as ``(tick id, body)``, newest first."""

    @abc.abstractmethod
    def add_backfill(self, backfill_id: str, status: str, timestamp: float, body: Any) -> None:
        """Store a new backfill; raises ``HeadwaterInstanceError`` if its id is taken."""

    @abc.abstractmethod
    def update_backfill(self, backfill_id: str, status: str, body: Any) -> None:
        """Replace a backfill's status and body."""

    @abc.abstractmethod
    def get_backfill(self, backfill_id: str) -> Any:
        """A backfill's body, or None."""

    @abc.abstractmethod
    def get_backfills(self, status: str | None = None) -> list[Any]:
        """Every backfill's body (with this status, if given), oldest first."""

    @abc.abstractmethod
    def wipe(self) -> None:
        """Delete every job, tick and backfill."""

    def upgrade(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Bring the storage's schema up to date, keeping its data."""

    def dispose(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Release connections."""
