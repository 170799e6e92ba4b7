"""The instance: where runs, their events and their outputs are recorded.

``Instance.get()`` opens the instance of ``$HEADWATER_HOME`` (``~/.headwater`` when unset):
SQLite under that folder unless ``headwater.yaml`` says otherwise. Pass it to
``execute_pipeline(..., instance=...)`` to record a run; query it afterwards::

    with Instance.get() as instance:
        result = execute_pipeline(daily_orders, instance=instance)
        for entry in instance.all_logs(result.run_id):
            print(entry.user_message)

Opening an instance builds its parts (so a mistake in ``headwater.yaml`` shows at once);
databases are connected to on first use.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from headwater.definitions.events import AssetKey
from headwater.errors import (
    HeadwaterInstanceError,
    HeadwaterInvariantViolationError,
    HeadwaterRunNotFoundError,
    HeadwaterRunStatusConflictError,
    HeadwaterStorageUnavailableError,
)
from headwater.execution.events import (
    EngineEventData,
    EventLogEntry,
    HeadwaterEvent,
    HeadwaterEventType,
    PipelineFailureData,
    SerializableErrorInfo,
    new_event,
)
from headwater.execution.run import (
    FINISHED_STATUSES,
    STATUS_FOR_EVENT,
    PipelineRun,
    PipelineRunStatus,
)
from headwater.instance.artifacts import LocalArtifactStorage
from headwater.instance.components import ComponentContext, ComponentSpec, build_component
from headwater.instance.compute_logs import ComputeLogManager
from headwater.instance.jobs import (
    BackfillStatus,
    JobState,
    JobTick,
    JobType,
    PartitionBackfill,
    TickRecord,
)
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
from headwater.instance.ref import InstanceRef
from headwater.instance.settings import (
    DaemonSettings,
    RunMonitoringSettings,
    SchedulerSettings,
    check_settings,
    headwater_home,
    load_settings,
    settings_path,
)
from headwater.instance.storage.base import EventLogStorage, RunStorage, ScheduleStorage

if TYPE_CHECKING:
    from headwater.instance.run_coordinator import RunCoordinator
    from headwater.instance.run_launcher import RunLauncher

E = HeadwaterEventType
# How often, at most, a step start checks that its run was not ended by another process.
FENCE_CHECK_SECONDS = 0.5
EPHEMERAL_SETTINGS = {
    "run_storage": "in_memory",
    "event_log_storage": "in_memory",
    "schedule_storage": "in_memory",
    "compute_logs": "noop",
}


class Instance:
    """Runs, events, schedules, compute logs and stored outputs of one Headwater setup.

    Build one with :meth:`get`, :meth:`ephemeral`, :meth:`from_config` or :meth:`from_ref`
    rather than directly. An instance is a context manager: leaving it writes what is
    buffered and closes its connections.

    Attributes:
        home: The instance's folder.
        settings: Its settings as written (``headwater.yaml``'s content).
        run_storage / event_log_storage / schedule_storage: Its storages.
        compute_log_manager: Captures what steps print.
        local_artifact_storage: The folder of stored files.
        component_context: What parts are built with (``build_component(spec, context)``
            builds the coordinator and launcher from their configs).
        run_coordinator_config / run_launcher_config: How the settings choose the run
            coordinator and the run launcher (built when first used: ``run_coordinator``,
            ``run_launcher``).
        run_monitoring: How runs in progress are watched (``run_monitoring`` settings).
        scheduler: How the daemon ticks schedules (``scheduler`` settings).
    """

    def __init__(self, home: str, settings: Mapping[str, Any], where: str,
                 ephemeral: bool = False, owned_dir: str | None = None) -> None:
        self.home = home
        self.settings = dict(settings)
        self._ephemeral = ephemeral
        self._owned_dir = owned_dir
        checked = check_settings(self.settings, where)
        specs = checked.specs
        self.component_context = ComponentContext(home, where)
        self._disposed = False
        try:
            self.run_storage: RunStorage = build_component(specs["run_storage"], self.component_context)
            self.event_log_storage: EventLogStorage = build_component(
                specs["event_log_storage"], self.component_context)
            self.schedule_storage: ScheduleStorage = build_component(
                specs["schedule_storage"], self.component_context)
            self.compute_log_manager: ComputeLogManager = build_component(
                specs["compute_logs"], self.component_context)
            self.local_artifact_storage: LocalArtifactStorage = build_component(
                specs["local_artifact_storage"], self.component_context)
        except BaseException:
            self.component_context.dispose()
            raise
        self.run_coordinator_config: ComponentSpec = specs["run_coordinator"]
        self.run_launcher_config: ComponentSpec = specs["run_launcher"]
        self.run_monitoring: RunMonitoringSettings = checked.run_monitoring
        self.scheduler: SchedulerSettings = checked.scheduler
        self.daemon_settings: DaemonSettings = checked.daemon
        self._where = where
        self._enabled_plugins: tuple[str, ...] | None = None
        self._fence_checked: dict[str, float] = {}

    # -- constructors ---------------------------------------------------------------------

    @classmethod
    def get(cls) -> Instance:
        """The instance of ``$HEADWATER_HOME`` (``~/.headwater``), created on first use."""
        home = headwater_home()
        return cls(home, load_settings(home), settings_path(home))

    @classmethod
    def from_config(cls, home: str, settings: Mapping[str, Any] | None = None) -> Instance:
        """The instance in the folder ``home``, with ``settings`` or its ``headwater.yaml``."""
        if settings is None:
            return cls(home, load_settings(home), settings_path(home))
        return cls(home, settings, "the instance settings given in code")

    @classmethod
    def from_ref(cls, ref: InstanceRef) -> Instance:
        """Open the instance another process referred to with :meth:`get_ref`."""
        return cls(ref.home, ref.settings, f"the instance settings of {ref.home}")

    @classmethod
    def ephemeral(cls, tempdir: str | None = None) -> Instance:
        """An instance in memory, for tests: runs and events are gone with the process.

        Args:
            tempdir: The folder for stored outputs; a temporary one (removed by
                :meth:`dispose`) when None.
        """
        owned = None
        if tempdir is None:
            import tempfile  # only ephemeral instances need one (and it is slow to import)

            tempdir = owned = tempfile.mkdtemp(prefix="headwater-ephemeral-")
        return cls(tempdir, EPHEMERAL_SETTINGS, "the ephemeral instance", ephemeral=True,
                   owned_dir=owned)

    def get_ref(self) -> InstanceRef:
        """A reference another process can open (``ref.open()``) to reach this instance."""
        if self._ephemeral or not self.is_persistent:
            raise HeadwaterInstanceError(
                "This instance keeps runs in memory, where other processes cannot reach "
                "them. Use a persistent instance (Instance.get(), or instance_for_test() in "
                "tests) to run steps in other processes.")
        return InstanceRef(self.home, self.settings)

    # -- parts ----------------------------------------------------------------------------

    @property
    def enabled_plugins(self) -> tuple[str, ...]:
        """The plugins whose lifecycle hooks run for this instance's runs (the ``plugins:``
        section of headwater.yaml), configured on first use."""
        if self._enabled_plugins is None:
            from headwater.instance.plugin_settings import configure_plugins

            self._enabled_plugins = configure_plugins(self.settings.get("plugins"), self._where)
        return self._enabled_plugins

    @property
    def is_persistent(self) -> bool:
        """Whether runs and events outlive this process (so other processes can share them)."""
        return (not self._ephemeral and self.run_storage.is_persistent
                and self.event_log_storage.is_persistent)

    def storage_directory(self) -> str:
        """Where file-based IO managers keep outputs by default (``$HEADWATER_HOME/storage``)."""
        return self.local_artifact_storage.storage_dir

    @functools.cached_property
    def run_coordinator(self) -> RunCoordinator:
        """The run coordinator ``run_coordinator`` chooses (built on first use)."""
        coordinator: RunCoordinator = build_component(self.run_coordinator_config,
                                                      self.component_context)
        return coordinator

    @functools.cached_property
    def run_launcher(self) -> RunLauncher:
        """The run launcher ``run_launcher`` chooses (built on first use)."""
        launcher: RunLauncher = build_component(self.run_launcher_config,
                                                self.component_context)
        return launcher

    # -- runs -----------------------------------------------------------------------------

    def create_run(self, run: PipelineRun) -> PipelineRun:
        """Record a new run."""
        return self.run_storage.add_run(run)

    def create_run_for_pipeline(self, pipeline: Any, run_config: Mapping[str, Any] | None = None,
                                mode: str | None = None, preset: str | None = None,
                                tags: Mapping[str, Any] | None = None,
                                solid_selection: str | list[str] | None = None) -> PipelineRun:
        """Check the run config and record a run of the pipeline, NOT_STARTED, to be
        launched with :meth:`submit_run` or :meth:`launch_run`.

        Args:
            pipeline: ``reconstructable(my_pipeline)`` (or a ReconstructablePipeline): the
                run's own process loads the pipeline from its pointer.
            run_config / mode / preset / tags / solid_selection: As for
                ``execute_pipeline``.

        Raises:
            HeadwaterInvalidConfigError: the run config is invalid (nothing is recorded).

        Example:
            >>> run = instance.create_run_for_pipeline(reconstructable(daily_orders),
            ...                                        run_config={...})
            >>> instance.submit_run(run.run_id)
        """
        from headwater.execution.api import prepare_run

        prepared = prepare_run(pipeline, run_config, mode, preset, tags, solid_selection)
        return self.create_run(prepared.run)

    def get_run_by_id(self, run_id: str) -> PipelineRun | None:
        """The run, or None."""
        return self.run_storage.get_run_by_id(run_id)

    def has_run(self, run_id: str) -> bool:
        """Whether the run exists."""
        return self.get_run_by_id(run_id) is not None

    def get_runs(self, filters: RunsFilter | None = None, cursor: str | None = None,
                 limit: int | None = None) -> list[PipelineRun]:
        """Matching runs, newest first.

        Args:
            filters: Which runs; all when None.
            cursor: The id of the last run of the previous page: only older runs.
            limit: At most this many.
        """
        return self.run_storage.get_runs(filters, cursor, limit)

    def get_run_records(self, filters: RunsFilter | None = None, cursor: str | None = None,
                        limit: int | None = None) -> list[RunRecord]:
        """Like :meth:`get_runs`, with the times storage keeps about each run."""
        return self.run_storage.get_run_records(filters, cursor, limit)

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        """How many runs match."""
        return self.run_storage.get_runs_count(filters)

    def add_run_tags(self, run_id: str, tags: Mapping[str, str]) -> None:
        """Add tags to a run (replacing the values of keys it has)."""
        self.run_storage.add_run_tags(run_id, tags)

    def get_run_tags(self) -> dict[str, set[str]]:
        """Every tag key in use, with its values across runs."""
        return self.run_storage.get_run_tags()

    def submit_run(self, run_id: str) -> PipelineRun:
        """Hand a recorded run (NOT_STARTED) to the run coordinator: launched at once, or
        queued for the daemon to launch. Returns the run as it now stands."""
        return self.run_coordinator.submit_run(self, self._run_to_start(run_id))

    def launch_run(self, run_id: str) -> PipelineRun:
        """Start a recorded run (NOT_STARTED, or QUEUED) with the run launcher, now.

        Returns the run as it now stands (STARTING, usually).
        """
        return self.run_launcher.launch_run(self, self._run_to_start(run_id))

    def cancel_run(self, run_id: str, grace_seconds: float = 10.0,
                   on_wait: Callable[[float], None] | None = None) -> PipelineRun:
        """Cancel a run: mark it CANCELED if it has not started, else CANCELING, and stop its
        process (SIGTERM, then SIGKILL after ``grace_seconds``). Returns the run as it then
        stands; see :func:`headwater.instance.cancellation.cancel_run`."""
        from headwater.instance.cancellation import cancel_run

        return cancel_run(self, run_id, grace_seconds, on_wait)

    def _run_to_start(self, run_id: str) -> PipelineRun:
        run = self.run_storage.get_run_by_id(run_id)
        if run is None:
            raise HeadwaterRunNotFoundError(
                f'No run "{run_id}" in the instance at {self.home}. `headwater run list` shows '
                "the runs it has.", run_id)
        if run.status not in (PipelineRunStatus.NOT_STARTED, PipelineRunStatus.QUEUED):
            raise HeadwaterInvariantViolationError(
                f'Run "{run_id}" is {run.status.value}: only a run not started yet can be '
                "submitted or launched. Re-execute it (`headwater run reexecute`) to run it "
                "again.")
        return run

    def record_run_heartbeat(self, run_id: str, timestamp: float | None = None) -> None:
        """Note that the run's process is alive (now, or at ``timestamp``)."""
        self.run_storage.record_run_heartbeat(run_id, time.time() if timestamp is None
                                              else timestamp)

    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events."""
        self.run_storage.delete_run(run_id)
        self.event_log_storage.delete_events(run_id)

    def wipe(self) -> None:
        """Delete every run and event (schedules are kept)."""
        self.run_storage.wipe()
        self.event_log_storage.wipe()

    # -- events ---------------------------------------------------------------------------

    def handle_new_event(self, entry: EventLogEntry) -> None:
        """Record an event or log line; a pipeline-level event also moves the run's status.

        The run's status moves first, as compare-and-set: a process that lost the run (it
        was failed by the run monitor, or started by another daemon) records no pipeline
        event. A step that starts checks, at most every ``FENCE_CHECK_SECONDS``, that the
        run is still in progress, so a process that lost its run stops at its next step.

        Raises:
            HeadwaterRunStatusConflictError: the run was moved by another process: this one
                must stop executing it.
        """
        event = entry.headwater_event
        if event is not None:
            event_type = event.event_type_value
            if event_type in STATUS_FOR_EVENT:
                self.run_storage.handle_run_event(entry.run_id, event, entry.timestamp)
            elif event_type == "STEP_START":
                self._check_run_in_progress(entry.run_id, event.step_key)
        self.event_log_storage.store_event(entry)

    def _check_run_in_progress(self, run_id: str, step_key: str | None) -> None:
        now = time.monotonic()
        if now - self._fence_checked.get(run_id, -FENCE_CHECK_SECONDS) < FENCE_CHECK_SECONDS:
            return
        status = self.run_storage.get_run_status(run_id)
        if status is not None and status in FINISHED_STATUSES:
            raise HeadwaterRunStatusConflictError(
                f"Run {run_id} is {status.value} in the instance at {self.home}, so step "
                f'"{step_key}" does not start: another process ended the run (the run '
                "monitor, when this process was silent for longer than its heartbeat "
                "timeout). This process stops; re-execute the run to finish it.",
                run_id, status.value, "STEP_START")
        self._fence_checked[run_id] = now

    def flush(self) -> None:
        """Commit every buffered event."""
        self.event_log_storage.flush()

    def record_storage_failure(self, run_id: str, error: HeadwaterStorageUnavailableError
                               ) -> bool:
        """After storage failed for good during a run (a full disk, say): drop what waits to
        be written, free what space storage can, and mark the run FAILURE with the reason,
        if storage takes that much. Returns whether the run's failure was recorded (if not,
        the run monitor fails it once this process is gone)."""
        for _ in range(2):
            dropped = self.event_log_storage.discard_pending()
            try:
                run = self.get_run_by_id(run_id)
                if run is None or run.is_finished:
                    return run is not None
                lost = (f" {dropped} events and log lines of the run could not be stored."
                        if dropped else "")
                self.report_run_failed(run, f"Run {run_id} failed: {error}{lost}")
                return True
            except HeadwaterStorageUnavailableError:
                continue
        self.event_log_storage.discard_pending()
        return False

    def all_logs(self, run_id: str, of_type: EventTypes | None = None) -> list[EventLogEntry]:
        """A run's events and log lines, oldest first (only of ``of_type``, if given)."""
        return self.event_log_storage.get_logs_for_run(run_id, of_type=of_type)

    def logs_after(self, run_id: str, cursor: int,
                   of_type: EventTypes | None = None) -> list[EventLogEntry]:
        """A run's entries stored after ``cursor`` (a storage id from
        :meth:`get_event_records`; -1 for all)."""
        return self.event_log_storage.get_logs_for_run(run_id, cursor, of_type)

    def get_event_records(self, run_id: str | None = None, cursor: int = -1,
                          of_type: EventTypes | None = None,
                          limit: int | None = None) -> list[EventLogRecord]:
        """Entries with their storage ids (the cursors), oldest first; see ``logs_after``."""
        return self.event_log_storage.get_event_records(run_id, cursor, of_type, limit)

    def get_run_stats(self, run_id: str) -> RunStats:
        """Counts and times of a run."""
        return self.event_log_storage.get_stats_for_run(run_id)

    def get_run_step_stats(self, run_id: str,
                           step_keys: list[str] | None = None) -> list[RunStepStats]:
        """Status, times and attempts of each step of a run."""
        return self.event_log_storage.get_step_stats_for_run(run_id, step_keys)

    def report_engine_event(self, message: str, run: PipelineRun,
                            engine_event_data: EngineEventData | None = None,
                            step_key: str | None = None) -> HeadwaterEvent:
        """Record an ENGINE_EVENT (what a launcher or executor tells about a run)."""
        event = new_event(E.ENGINE_EVENT, run.pipeline_name, message, step_key,
                          data=engine_event_data or EngineEventData())
        self._record(run, event, logging.INFO)
        return event

    def report_run_failed(self, run: PipelineRun, message: str | None = None,
                          error: BaseException | None = None) -> HeadwaterEvent:
        """Mark a run failed from outside its execution (its process died, say)."""
        info = SerializableErrorInfo.from_exception(error) if error is not None else None
        return self.report_run_event(
            run, E.PIPELINE_FAILURE,
            message or f'Run {run.run_id} of "{run.pipeline_name}" was marked failed from '
                       "outside its execution.",
            data=PipelineFailureData(info), level=logging.ERROR)

    def report_run_canceling(self, run: PipelineRun, message: str | None = None
                             ) -> HeadwaterEvent:
        """Mark that a run is being canceled."""
        return self.report_run_event(run, E.PIPELINE_CANCELING,
                                     message or f"Canceling run {run.run_id}.")

    def report_run_canceled(self, run: PipelineRun, message: str | None = None
                            ) -> HeadwaterEvent:
        """Mark a run canceled."""
        return self.report_run_event(run, E.PIPELINE_CANCELED,
                                     message or f"Run {run.run_id} was canceled.",
                                     level=logging.ERROR)

    def report_run_event(self, run: PipelineRun, event_type: HeadwaterEventType, message: str,
                         data: Any = None, level: int = logging.INFO) -> HeadwaterEvent:
        """Record a run-level event from outside the run's execution (PIPELINE_ENQUEUED,
        PIPELINE_STARTING, ...); the run's status follows it."""
        event = new_event(event_type, run.pipeline_name, message, data=data)
        self._record(run, event, level)
        return event

    def update_run_status(self, run_id: str, status: PipelineRunStatus) -> None:
        """Set a run's status directly (without an event)."""
        self.run_storage.update_run_status(run_id, status)

    def _record(self, run: PipelineRun, event: HeadwaterEvent, level: int) -> None:
        error = getattr(event.event_specific_data, "error", None)
        self.handle_new_event(EventLogEntry(run.run_id, time.time(), level, event.message or "",
                                            event.step_key, event.pipeline_name, error, event))
        self.flush()

    # -- daemon heartbeats -----------------------------------------------------------------

    def add_daemon_heartbeat(self, heartbeat: DaemonHeartbeat) -> None:
        """Store a daemon duty's heartbeat (replacing its previous one)."""
        self.run_storage.add_daemon_heartbeat(heartbeat)

    def get_daemon_heartbeats(self) -> dict[str, DaemonHeartbeat]:
        """The last heartbeat of each daemon duty, by duty name."""
        return self.run_storage.get_daemon_heartbeats()

    def acquire_daemon_lease(self, daemon_id: str) -> DaemonLease:
        """Take or renew the lease that lets one daemon at a time work for this instance.

        Returns:
            The lease as it now stands: held by ``daemon_id`` when it got it, else by the
            daemon that holds it (renewed within ``daemon.lease_seconds``).
        """
        import os
        import socket

        now = time.time()
        mine = DaemonLease(daemon_id, socket.gethostname(), os.getpid(), now, now)
        return self.run_storage.acquire_daemon_lease(mine, self.daemon_settings.lease_seconds)

    def release_daemon_lease(self, daemon_id: str) -> None:
        """Give the daemon lease up if ``daemon_id`` holds it."""
        self.run_storage.release_daemon_lease(daemon_id)

    def get_daemon_lease(self) -> DaemonLease | None:
        """The daemon lease as stored (check ``renewed`` against ``daemon.lease_seconds``)."""
        return self.run_storage.get_daemon_lease()

    def wipe_daemon_heartbeats(self) -> None:
        """Forget every daemon heartbeat."""
        self.run_storage.wipe_daemon_heartbeats()

    # -- schedules, sensors and backfills -------------------------------------------------

    def get_job_state(self, origin_id: str) -> JobState | None:
        """The state of a schedule or sensor (see ``headwater.instance.jobs``), or None."""
        return self.schedule_storage.get_job_state(origin_id)

    def all_job_states(self, job_type: JobType | None = None) -> list[JobState]:
        """The states of every schedule and sensor (of one type, if given)."""
        return self.schedule_storage.all_job_states(
            job_type.value if job_type is not None else None)

    def add_job_state(self, state: JobState) -> None:
        """Store the state of a schedule or sensor seen for the first time."""
        self.schedule_storage.add_job_state(state.origin_id, state.job_type.value,
                                            state.status.value, state)

    def update_job_state(self, state: JobState) -> None:
        """Replace the stored state of a schedule or sensor."""
        self.schedule_storage.update_job_state(state.origin_id, state.status.value, state)

    def delete_job_state(self, origin_id: str) -> None:
        """Forget a schedule or sensor and its ticks."""
        self.schedule_storage.delete_job_state(origin_id)

    def create_job_tick(self, tick: JobTick) -> TickRecord:
        """Store a new tick."""
        tick_id = self.schedule_storage.create_job_tick(tick.origin_id, tick.status.value,
                                                        tick.timestamp, tick)
        return TickRecord(tick_id, tick)

    def update_job_tick(self, record: TickRecord) -> None:
        """Replace a stored tick."""
        self.schedule_storage.update_job_tick(record.tick_id, record.tick.status.value,
                                              record.tick)

    def get_job_ticks(self, origin_id: str, limit: int | None = None) -> list[TickRecord]:
        """A schedule's or sensor's ticks, latest first."""
        return [TickRecord(tick_id, tick)
                for tick_id, tick in self.schedule_storage.get_job_ticks(origin_id, limit)]

    def add_backfill(self, backfill: PartitionBackfill) -> None:
        """Store a new backfill (the daemon submits its runs)."""
        self.schedule_storage.add_backfill(backfill.backfill_id, backfill.status.value,
                                           backfill.timestamp, backfill)

    def update_backfill(self, backfill: PartitionBackfill) -> None:
        """Replace a stored backfill."""
        self.schedule_storage.update_backfill(backfill.backfill_id, backfill.status.value,
                                              backfill)

    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None:
        """The backfill, or None."""
        return self.schedule_storage.get_backfill(backfill_id)

    def get_backfills(self, status: BackfillStatus | None = None) -> list[PartitionBackfill]:
        """Every backfill (with this status, if given), oldest first."""
        return self.schedule_storage.get_backfills(status.value if status is not None
                                                   else None)

    # -- assets ---------------------------------------------------------------------------

    def all_asset_keys(self) -> list[AssetKey]:
        """Every asset key ever materialized, sorted."""
        return self.event_log_storage.all_asset_keys()

    def has_asset_key(self, asset_key: AssetKey) -> bool:
        """Whether the asset was ever materialized."""
        return self.get_latest_materialization(asset_key) is not None

    def get_latest_materialization(self, asset_key: AssetKey) -> EventLogEntry | None:
        """The entry of the asset's latest materialization, or None."""
        return self.event_log_storage.get_latest_materialization(AssetKey.coerce(asset_key))

    def events_for_asset_key(self, asset_key: AssetKey, partitions: list[str] | None = None,
                             cursor: int | None = None, limit: int | None = None,
                             ascending: bool = False) -> list[EventLogRecord]:
        """The asset's materializations, newest first unless ``ascending``."""
        return self.event_log_storage.events_for_asset_key(
            AssetKey.coerce(asset_key), partitions, cursor, limit, ascending)

    def wipe_assets(self, asset_keys: list[AssetKey]) -> None:
        """Forget these assets' materializations (the runs' event logs keep their entries)."""
        for asset_key in asset_keys:
            self.event_log_storage.wipe_asset(AssetKey.coerce(asset_key))

    # -- lifetime -------------------------------------------------------------------------

    def upgrade(self) -> None:
        """Migrate every storage's schema to this version of Headwater, keeping the data."""
        for storage in (self.run_storage, self.event_log_storage, self.schedule_storage):
            storage.upgrade()

    def dispose(self) -> None:
        """Commit what is buffered and close every connection; the instance is done."""
        if self._disposed:
            return
        self._disposed = True
        for part in (self.event_log_storage, self.run_storage, self.schedule_storage,
                     self.compute_log_manager):
            try:
                part.dispose()
            except (HeadwaterStorageUnavailableError, OSError) as error:
                # A full or failing disk, already told by the run that met it: what is left
                # in buffers cannot be written.
                self.event_log_storage.discard_pending()
                logging.getLogger("headwater").warning(
                    "Could not close the %s of the instance at %s: %s",
                    type(part).__name__, self.home, error)
        self.component_context.dispose()
        if self._owned_dir is not None:
            import shutil  # only ephemeral instances own a folder to remove (slow import)

            shutil.rmtree(self._owned_dir, ignore_errors=True)

    def __enter__(self) -> Instance:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.dispose()

    def __repr__(self) -> str:
        kind = "ephemeral" if self._ephemeral else self.home
        return f"<Instance {kind}>"
