"""The scheduler: each running schedule ticks at its cron times, one run per tick.

Each iteration, for every running schedule of the workspace:

* a tick left STARTED by a daemon that stopped is completed first (see
  :mod:`headwater.daemon.ticks`);
* every tick time that has come since the schedule's last tick (or since it was started)
  is ticked, oldest first; when the daemon was away for longer, only the latest
  ``scheduler.max_catchup_runs`` of them (``headwater.yaml``, default 5).

Between iterations the duty sleeps until the next tick time of any running schedule (and
at most ``poll_interval_seconds``, to notice schedules started meanwhile), so a tick is
taken at its time, not up to a poll interval later.

A tick's runs carry ``headwater/schedule_name`` and ``headwater/scheduled_execution_time``
(and ``headwater/partition`` and ``headwater/partition_set`` for a partitioned schedule);
their ids are derived from the schedule and the tick time.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import takewhile
from typing import TYPE_CHECKING

from headwater.daemon.running_jobs import RunningJobsDuty
from headwater.daemon.submission import RunTarget, deterministic_run_id
from headwater.daemon.ticks import complete_tick, start_tick
from headwater.definitions.cron import UTC, timezone
from headwater.definitions.run_request import RunRequest
from headwater.definitions.schedule import ScheduleDefinition, ScheduleEvaluationContext
from headwater.definitions.sensor import RUN_KEY_TAG
from headwater.instance.jobs import JobState, JobType, PlannedRun, TickRecord, TickStatus

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import LoadedRepository

_log = logging.getLogger("headwater.daemon")
# How far back the first search for missed ticks looks; it doubles until enough are found.
_FIRST_CATCHUP_WINDOW_SECONDS = 3600.0


class SchedulerDuty(RunningJobsDuty):
    """Ticks the running schedules of a workspace, each at its cron times (arguments: see
    :class:`~headwater.daemon.running_jobs.RunningJobsDuty`)."""

    name = "scheduler"
    job_type = JobType.SCHEDULE
    action = "tick"

    def act(self, instance: Instance, repository: LoadedRepository,
            definition: ScheduleDefinition, state: JobState, now: float) -> JobState:
        tick_schedule(instance, repository, definition, state, now,
                      instance.scheduler.max_catchup_runs)
        return state

    def next_due(self, definition: ScheduleDefinition, state: JobState, now: float) -> float:
        return next(definition.fire_times(_utc(now))).timestamp()


def tick_schedule(instance: Instance, repository: LoadedRepository,
                  schedule: ScheduleDefinition, state: JobState, now: float,
                  max_catchup_runs: int) -> list[TickRecord]:
    """Complete a tick left STARTED, then tick every tick time due by ``now`` (the latest
    ``max_catchup_runs`` of them). Returns the ticks taken, oldest first."""
    ticks = []
    latest = instance.get_job_ticks(state.origin_id, limit=1)
    if latest and latest[0].tick.status is TickStatus.STARTED:
        ticks.append(_complete(instance, repository, schedule, latest[0]))
    after = max(state.start_timestamp if state.start_timestamp is not None else now,
                latest[0].tick.timestamp if latest else float("-inf"))
    due, skipped_older = due_tick_times(schedule, after, now, max_catchup_runs)
    if skipped_older:
        _log.warning("Schedule %s fell behind: it runs only its latest %d missed ticks "
                     "(scheduler.max_catchup_runs), from %s.", schedule.name,
                     max_catchup_runs, due[0].isoformat())
    for tick_time in due:
        record = start_tick(instance, state, tick_time.timestamp())
        ticks.append(_complete(instance, repository, schedule, record))
    return ticks


def due_tick_times(schedule: ScheduleDefinition, after: float, now: float,
                   count: int) -> tuple[list[dt.datetime], bool]:
    """The latest ``count`` tick times in ``(after, now]``, oldest first, and whether
    earlier ones in that span were left out.

    The search starts an hour before ``now`` and looks further back only until it has
    ``count`` times, so a daemon away for a year does not walk a year of minutes.
    """
    window = _FIRST_CATCHUP_WINDOW_SECONDS
    while True:
        start = max(after, now - window)
        times = list(takewhile(lambda moment: moment.timestamp() <= now,
                               schedule.fire_times(_utc(start))))
        if len(times) >= count or start == after:
            earlier = start > after and next(schedule.fire_times(_utc(after))).timestamp() <= start
            return times[-count:], len(times) > count or earlier
        window *= 2


def _complete(instance: Instance, repository: LoadedRepository,
              schedule: ScheduleDefinition, record: TickRecord) -> TickRecord:
    tick = record.tick
    scheduled_time = _utc(tick.timestamp).astimezone(timezone(schedule.execution_timezone))

    def plan_run(index: int, request: RunRequest) -> PlannedRun:
        key = request.run_key if request.run_key is not None else f"#{index}"
        tags = dict(request.tags)
        if request.run_key is not None:
            tags[RUN_KEY_TAG] = request.run_key
        return PlannedRun(deterministic_run_id(tick.origin_id, repr(tick.timestamp), key),
                          RunRequest(request.run_key, request.run_config, tags))

    target = RunTarget(repository, schedule.pipeline_name, schedule.mode,
                       schedule.solid_selection)
    return complete_tick(
        instance, record, target,
        lambda: schedule.evaluate_tick(ScheduleEvaluationContext(instance, scheduled_time)),
        plan_run, runs_keyed_by_job=False)


def _utc(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, UTC)
