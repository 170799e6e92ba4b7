"""Run storage in SQL: the ``runs`` and ``run_tags`` tables."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from headwater.errors import (
    HeadwaterRunAlreadyExistsError,
    HeadwaterRunNotFoundError,
    HeadwaterRunStatusConflictError,
)
from headwater.execution.events import HeadwaterEvent
from headwater.execution.run import (
    FINISHED_STATUSES,
    PREVIOUS_STATUSES,
    STATUS_FOR_EVENT,
    PipelineRun,
    PipelineRunStatus,
)
from headwater.instance.records import (
    DaemonHeartbeat,
    DaemonLease,
    RunRecord,
    RunsFilter,
    epoch_seconds,
)
from headwater.instance.storage.base import RunStorage
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.schema import daemon_heartbeats, run_tags, runs
from headwater.serdes import deserialize, serialize

_LEASE_ROW = "headwater/daemon-lease"
_RECORD_COLUMNS = (runs.c.id, runs.c.run_body, runs.c.status, runs.c.create_timestamp,
                   runs.c.update_timestamp, runs.c.start_time, runs.c.end_time,
                   runs.c.heartbeat_timestamp)


class SqlRunStorage(RunStorage):
    """Runs in a SQL database. The ``status`` column is the truth about a run's status; the
    serialized body keeps everything else.

    Args:
        database: Where the tables are.
    """

    def __init__(self, database: SqlDatabase) -> None:
        self.database = database

    def add_run(self, run: PipelineRun) -> PipelineRun:
        now = time.time()

        def insert(connection: Connection) -> None:
            connection.execute(sa.insert(runs).values(
                run_id=run.run_id, pipeline_name=run.pipeline_name, mode=run.mode,
                status=run.status.value, run_body=serialize(run), create_timestamp=now,
                update_timestamp=now))
            if run.tags:
                connection.execute(sa.insert(run_tags), [
                    {"run_id": run.run_id, "key": key, "value": value}
                    for key, value in run.tags.items()])

        try:
            self.database.write(insert)
        except IntegrityError:
            raise HeadwaterRunAlreadyExistsError(
                f'A run with id "{run.run_id}" already exists in {self.database.description}. '
                "Give the new run another id (or none, to get a fresh one).",
                run.run_id) from None
        return run

    def get_run_by_id(self, run_id: str) -> PipelineRun | None:
        records = self._records(sa.select(*_RECORD_COLUMNS).where(runs.c.run_id == run_id))
        return records[0].run if records else None

    def get_run_records(self, filters: RunsFilter | None = None, cursor: str | None = None,
                        limit: int | None = None) -> list[RunRecord]:
        query = _filtered(sa.select(*_RECORD_COLUMNS), filters)
        if cursor is not None:
            cursor_id = sa.select(runs.c.id).where(runs.c.run_id == cursor).scalar_subquery()
            query = query.where(runs.c.id < cursor_id)
        query = query.order_by(runs.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return self._records(query)

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        query = _filtered(sa.select(sa.func.count()).select_from(runs), filters)
        return self.database.read(lambda connection: connection.execute(query).scalar_one())

    def handle_run_event(self, run_id: str, event: HeadwaterEvent,
                         timestamp: float | None = None) -> None:
        status = STATUS_FOR_EVENT.get(event.event_type_value)
        if status is None:
            return
        now = time.time() if timestamp is None else timestamp
        values: dict[str, Any] = {"status": status.value, "update_timestamp": now}
        if status is PipelineRunStatus.STARTED:
            values["start_time"] = now
        elif status in FINISHED_STATUSES:
            values["end_time"] = now
        previous = [s.value for s in PREVIOUS_STATUSES[status]]
        statement = sa.update(runs).where(runs.c.run_id == run_id,
                                          runs.c.status.in_(previous)).values(**values)
        if self.database.write(lambda c: c.execute(statement).rowcount):
            return
        current = self.database.read(lambda c: c.execute(
            sa.select(runs.c.status).where(runs.c.run_id == run_id)).scalar())
        if current is None:
            raise self._not_found(run_id)
        raise HeadwaterRunStatusConflictError(
            f"Run {run_id} is {current} in {self.database.description}, so it cannot become "
            f"{status.value} ({event.event_type_value}): another process moved it first "
            f"(a second launcher or daemon, or the run monitor). Only the process that "
            f"moved it goes on; `headwater run show {run_id}` says what happened.",
            run_id, current, status.value)

    def get_run_status(self, run_id: str) -> PipelineRunStatus | None:
        status = self.database.read(lambda c: c.execute(
            sa.select(runs.c.status).where(runs.c.run_id == run_id)).scalar())
        return None if status is None else PipelineRunStatus(status)

    def update_run_status(self, run_id: str, status: PipelineRunStatus) -> None:
        self._update(run_id, {"status": PipelineRunStatus(status).value,
                              "update_timestamp": time.time()})

    def record_run_heartbeat(self, run_id: str, timestamp: float) -> None:
        self._update(run_id, {"heartbeat_timestamp": timestamp})

    def add_run_tags(self, run_id: str, tags: Mapping[str, str]) -> None:
        tags = {str(key): str(value) for key, value in tags.items()}

        def add(connection: Connection) -> None:
            body = connection.execute(
                sa.select(runs.c.run_body).where(runs.c.run_id == run_id)).scalar()
            if body is None:
                raise self._not_found(run_id)
            run = deserialize(body)
            run = dataclasses.replace(run, tags={**run.tags, **tags})
            connection.execute(sa.update(runs).where(runs.c.run_id == run_id).values(
                run_body=serialize(run), update_timestamp=time.time()))
            connection.execute(sa.delete(run_tags).where(
                run_tags.c.run_id == run_id, run_tags.c.key.in_(list(tags))))
            connection.execute(sa.insert(run_tags), [
                {"run_id": run_id, "key": key, "value": value} for key, value in tags.items()])

        if tags:
            self.database.write(add)

    def get_run_tags(self) -> dict[str, set[str]]:
        query = sa.select(run_tags.c.key, run_tags.c.value).distinct()
        result: dict[str, set[str]] = {}
        for key, value in self.database.read(lambda c: c.execute(query).all()):
            result.setdefault(key, set()).add(value)
        return result

    def delete_run(self, run_id: str) -> None:
        def delete(connection: Connection) -> None:
            connection.execute(sa.delete(run_tags).where(run_tags.c.run_id == run_id))
            connection.execute(sa.delete(runs).where(runs.c.run_id == run_id))

        self.database.write(delete)

    def wipe(self) -> None:
        def delete(connection: Connection) -> None:
            connection.execute(sa.delete(run_tags))
            connection.execute(sa.delete(runs))

        self.database.write(delete)

    def add_daemon_heartbeat(self, heartbeat: DaemonHeartbeat) -> None:
        def replace(connection: Connection) -> None:
            connection.execute(sa.delete(daemon_heartbeats).where(
                daemon_heartbeats.c.duty == heartbeat.duty))
            connection.execute(sa.insert(daemon_heartbeats).values(
                duty=heartbeat.duty, daemon_id=heartbeat.daemon_id,
                timestamp=heartbeat.timestamp, body=serialize(heartbeat)))

        self.database.write(replace)

    def get_daemon_heartbeats(self) -> dict[str, DaemonHeartbeat]:
        query = sa.select(daemon_heartbeats.c.body).where(
            daemon_heartbeats.c.duty != _LEASE_ROW).order_by(daemon_heartbeats.c.duty)
        bodies = self.database.read(lambda connection: connection.execute(query).scalars().all())
        return {heartbeat.duty: heartbeat for heartbeat in map(deserialize, bodies)}

    def wipe_daemon_heartbeats(self) -> None:
        self.database.write(lambda connection: connection.execute(
            sa.delete(daemon_heartbeats).where(daemon_heartbeats.c.duty != _LEASE_ROW)))

    # The lease is a row of the heartbeats table under a name no duty has: taking it is one
    # conditional UPDATE (or the INSERT of the first daemon ever), atomic on every backend.
    def acquire_daemon_lease(self, lease: DaemonLease, lease_seconds: float) -> DaemonLease:
        table = daemon_heartbeats

        def take(connection: Connection) -> DaemonLease | None:
            current = connection.execute(sa.select(table.c.body).where(
                table.c.duty == _LEASE_ROW)).scalar()
            if current is None:
                connection.execute(sa.insert(table).values(
                    duty=_LEASE_ROW, daemon_id=lease.daemon_id, timestamp=lease.renewed,
                    body=serialize(lease)))
                return lease
            held: DaemonLease = deserialize(current)
            mine = held.daemon_id == lease.daemon_id
            renewed = dataclasses.replace(lease, acquired=held.acquired) if mine else lease
            taken = connection.execute(sa.update(table).where(
                table.c.duty == _LEASE_ROW,
                sa.or_(table.c.daemon_id == lease.daemon_id,
                       table.c.timestamp < lease.renewed - lease_seconds),
            ).values(daemon_id=lease.daemon_id, timestamp=lease.renewed,
                     body=serialize(renewed))).rowcount
            return renewed if taken else None

        try:
            taken = self.database.write(take)
        except IntegrityError:
            taken = None  # another daemon inserted the first lease at the same moment
        if taken is not None:
            return taken
        holder = self.get_daemon_lease()
        return holder if holder is not None else lease

    def release_daemon_lease(self, daemon_id: str) -> None:
        self.database.write(lambda connection: connection.execute(sa.delete(
            daemon_heartbeats).where(daemon_heartbeats.c.duty == _LEASE_ROW,
                                     daemon_heartbeats.c.daemon_id == daemon_id)))

    def get_daemon_lease(self) -> DaemonLease | None:
        body = self.database.read(lambda connection: connection.execute(
            sa.select(daemon_heartbeats.c.body).where(
                daemon_heartbeats.c.duty == _LEASE_ROW)).scalar())
        return None if body is None else deserialize(body)

    def upgrade(self) -> None:
        self.database.upgrade()

    @property
    def is_persistent(self) -> bool:
        return self.database.is_persistent

    def _update(self, run_id: str, values: dict[str, Any]) -> None:
        statement = sa.update(runs).where(runs.c.run_id == run_id).values(**values)
        updated = self.database.write(lambda c: c.execute(statement).rowcount)
        if not updated:
            raise self._not_found(run_id)

    def _not_found(self, run_id: str) -> HeadwaterRunNotFoundError:
        return HeadwaterRunNotFoundError(
            f'No run with id "{run_id}" in {self.database.description}. List the runs with '
            "`headwater run list`.", run_id)

    def _records(self, query: sa.Select[Any]) -> list[RunRecord]:
        rows = self.database.read(lambda connection: connection.execute(query).all())
        return [RunRecord(row.id, dataclasses.replace(deserialize(row.run_body),
                                                      status=PipelineRunStatus(row.status)),
                          row.create_timestamp, row.update_timestamp, row.start_time,
                          row.end_time, row.heartbeat_timestamp)
                for row in rows]


def _filtered(query: sa.Select[Any], filters: RunsFilter | None) -> sa.Select[Any]:
    if filters is None:
        return query
    if filters.run_ids is not None:
        query = query.where(runs.c.run_id.in_(list(filters.run_ids)))
    if filters.pipeline_name is not None:
        query = query.where(runs.c.pipeline_name == filters.pipeline_name)
    if filters.statuses is not None:
        query = query.where(runs.c.status.in_(
            [PipelineRunStatus(status).value for status in filters.statuses]))
    for key, value in (filters.tags or {}).items():
        values = [value] if isinstance(value, str) else list(value)
        query = query.where(runs.c.run_id.in_(
            sa.select(run_tags.c.run_id).where(run_tags.c.key == key,
                                               run_tags.c.value.in_(values))))
    if filters.created_before is not None:
        query = query.where(runs.c.create_timestamp < epoch_seconds(filters.created_before))
    if filters.created_after is not None:
        query = query.where(runs.c.create_timestamp > epoch_seconds(filters.created_after))
    return query
