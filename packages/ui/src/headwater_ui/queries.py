"""What pages and the JSON API read from the instance and the workspace, in one place, so
that both show the same thing."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater import PipelineRunStatus, RunsFilter
from headwater.integration import (
    BACKFILL_TAG,
    PARTITION_SET_TAG,
    PARTITION_TAG,
    JobType,
    job_origin_id,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# A daemon duty with no heartbeat for this long is shown as not running.
DAEMON_SILENT_SECONDS = 60.0


class BadQuery(ValueError):
    """A filter or parameter the user gave is invalid (the message says which and why)."""


@dataclass
class RunsPage:
    """One page of the runs list."""

    records: list[Any]
    next_cursor: str | None
    total: int


def runs_filter(params: Mapping[str, str]) -> RunsFilter:
    """The runs filter of a query string: ``pipeline``, ``status`` (comma-separated),
    ``tag`` (``key=value``, comma-separated), ``after`` / ``before`` (ISO dates or times,
    UTC).

    Raises:
        BadQuery: a status, tag or time is not valid.
    """
    statuses = None
    if params.get("status"):
        try:
            statuses = [PipelineRunStatus(value.strip().upper())
                        for value in params["status"].split(",") if value.strip()]
        except ValueError:
            names = ", ".join(s.value for s in PipelineRunStatus)
            raise BadQuery(f'status "{params["status"]}" is not a run status; one of: '
                           f"{names}.") from None
    tags: dict[str, str] | None = None
    if params.get("tag"):
        tags = {}
        for item in params["tag"].split(","):
            key, sep, value = item.strip().partition("=")
            if not sep or not key:
                raise BadQuery(f'tag "{item.strip()}" must be written key=value.')
            tags[key] = value
    return RunsFilter(pipeline_name=params.get("pipeline") or None, statuses=statuses,
                      tags=tags, created_after=_time(params, "after"),
                      created_before=_time(params, "before"))


def _time(params: Mapping[str, str], name: str) -> float | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadQuery(f'{name} "{text}" is not a date or time; write it as 2026-12-04 or '
                       "2026-12-04T16:30.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def runs_page(instance: Any, params: Mapping[str, str]) -> RunsPage:
    """The page of runs the query asks for: newest first, ``limit`` of them after the run
    ``cursor`` (the last run id of the previous page).

    Raises:
        BadQuery: a parameter is not valid.
    """
    filters = runs_filter(params)
    try:
        limit = min(max(int(params.get("limit") or PAGE_SIZE), 1), MAX_PAGE_SIZE)
    except ValueError:
        raise BadQuery(f'limit "{params.get("limit")}" is not a number.') from None
    cursor = params.get("cursor") or None
    if cursor is not None and not instance.has_run(cursor):
        raise BadQuery(f'cursor "{cursor}" is not a run of this instance.')
    # One more than asked tells whether there is a next page without counting.
    records = instance.get_run_records(filters, cursor=cursor, limit=limit + 1)
    next_cursor = records[limit - 1].run.run_id if len(records) > limit else None
    return RunsPage(records[:limit], next_cursor, instance.get_runs_count(filters))


def job_rows(context: Any) -> list[dict[str, Any]]:
    """Every schedule and sensor of the workspace, with its state and last tick."""
    instance = context.instance
    workspace = context.workspace
    rows = []
    for kind, listed in ((JobType.SCHEDULE, workspace.schedules()),
                         (JobType.SENSOR, workspace.sensors())):
        for repository, definition in listed:
            origin = job_origin_id(kind, repository.name, definition.name)
            state = instance.get_job_state(origin)
            ticks = instance.get_job_ticks(origin, limit=1)
            rows.append({
                "kind": kind.value.lower(),
                "name": definition.name,
                "repository": repository.name,
                "location": repository.location_name,
                "pipeline_name": definition.pipeline_name,
                "cron_schedule": getattr(definition, "cron_schedule", None),
                "timezone": getattr(definition, "execution_timezone", None),
                "status": "RUNNING" if state is not None and state.is_running else "STOPPED",
                "last_tick": ticks[0] if ticks else None,
                "definition": definition,
            })
    return rows


def find_job(context: Any, kind: str, repository_name: str, name: str) -> dict[str, Any] | None:
    """The row of one schedule or sensor, or None."""
    return next((row for row in job_rows(context) if row["kind"] == kind
                 and row["repository"] == repository_name and row["name"] == name), None)


def next_ticks(definition: Any, count: int = 5) -> list[float]:
    """The next tick times of a schedule (none for a sensor)."""
    fire_times = getattr(definition, "fire_times", None)
    if fire_times is None:
        return []
    found = []
    for moment in fire_times(dt.datetime.now(dt.UTC)):
        found.append(moment.timestamp())
        if len(found) >= count:
            break
    return found


def job_type(kind: str) -> JobType:
    """``schedule`` or ``sensor`` as a JobType.

    Raises:
        BadQuery: it is neither.
    """
    try:
        return JobType(kind.upper())
    except ValueError:
        raise BadQuery(f'"{kind}" is neither schedule nor sensor.') from None


def backfill_partition_statuses(instance: Any, backfill_id: str) -> dict[str, str]:
    """Partition name to the status of its run, for the runs of a backfill."""
    records = instance.get_run_records(RunsFilter(tags={BACKFILL_TAG: backfill_id}))
    statuses: dict[str, str] = {}
    for record in reversed(records):  # oldest first: a later run of a partition wins
        partition = record.run.tags.get(PARTITION_TAG)
        if partition is not None:
            statuses[partition] = record.run.status.value
    return statuses


def daemon_duties(instance: Any) -> list[dict[str, Any]]:
    """Each daemon duty's last heartbeat, and whether it is healthy."""
    now = time.time()
    rows = []
    for duty, beat in sorted(instance.get_daemon_heartbeats().items()):
        age = now - beat.timestamp
        state = ("FAILING" if beat.error is not None
                 else "LATE" if age > DAEMON_SILENT_SECONDS else "OK")
        rows.append({"duty": duty, "daemon_id": beat.daemon_id, "timestamp": beat.timestamp,
                     "state": state,
                     "error": beat.error.to_string() if beat.error is not None else None})
    return rows


def partition_sets(context: Any) -> list[dict[str, Any]]:
    """Every partition set of the workspace with the status of each partition's latest run
    (None: never run)."""
    found = []
    for repository in context.workspace.repositories():
        for definition in repository.definition.partition_set_defs:
            latest: dict[str, str] = {}
            # Newest first: the first run seen of a partition is its latest.
            for run in context.instance.get_runs(RunsFilter(tags={
                    PARTITION_SET_TAG: definition.name})):
                partition = run.tags.get(PARTITION_TAG)
                if partition is not None:
                    latest.setdefault(partition, run.status.value)
            names = definition.get_partition_names()
            found.append({
                "name": definition.name,
                "repository": repository.name,
                "pipeline_name": definition.pipeline_name,
                "partitions": [{"name": name, "run_status": latest.get(name)}
                               for name in names],
            })
    return found
