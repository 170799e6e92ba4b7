"""Run storage in SQL: the ``runs`` and ``run_tags`` tables."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

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
from headwater.instance.storage.sql import IntegrityViolation, SqlConnection, in_list
from headwater.serdes import deserialize, serialize

_LEASE_ROW = "headwater/daemon-lease"
_RECORD_COLUMNS = ("SELECT id, run_body, status, create_timestamp, update_timestamp, "
                   "start_time, end_time, heartbeat_timestamp FROM runs")
_INSERT_RUN = ("INSERT INTO runs (run_id, pipeline_name, mode, status, run_body, "
               "create_timestamp, update_timestamp) VALUES (:run_id, :pipeline_name, :mode, "
               ":status, :run_body, :now, :now)")
_INSERT_TAG = 'INSERT INTO run_tags (run_id, "key", value) VALUES (:run_id, :key, :value)'
_STATUS = "SELECT status FROM runs WHERE run_id = :run_id"


class SqlRunStorage(RunStorage):
    """Runs in a SQL database. The ``status`` column is the truth about a run's status; the
    serialized body keeps everything else.

    Args:
        database: Where the tables are.
    """

    def __init__(self, database: SqlDatabase) -> None:
        self.database = database

    def add_run(self, run: PipelineRun) -> PipelineRun:
        values = {"run_id": run.run_id, "pipeline_name": run.pipeline_name, "mode": run.mode,
                  "status": run.status.value, "run_body": serialize(run), "now": time.time()}

        def insert(connection: SqlConnection) -> None:
            connection.run(_INSERT_RUN, values)
            if run.tags:
                connection.run_many(_INSERT_TAG, [
                    {"run_id": run.run_id, "key": key, "value": value}
                    for key, value in run.tags.items()])

        try:
            self.database.write(insert)
        except IntegrityViolation:
            raise HeadwaterRunAlreadyExistsError(
                f'A run with id "{run.run_id}" already exists in {self.database.description}. '
                "Give the new run another id (or none, to get a fresh one).",
                run.run_id) from None
        return run

    def get_run_by_id(self, run_id: str) -> PipelineRun | None:
        records = self._records(f"{_RECORD_COLUMNS} WHERE run_id = :run_id",
                                {"run_id": run_id})
        return records[0].run if records else None

    def get_run_records(self, filters: RunsFilter | None = None, cursor: str | None = None,
                        limit: int | None = None) -> list[RunRecord]:
        params: dict[str, Any] = {}
        conditions = _conditions(filters, params)
        if cursor is not None:
            conditions.append("id < (SELECT id FROM runs WHERE run_id = :cursor)")
            params["cursor"] = cursor
        sql = f"{_RECORD_COLUMNS}{_where(conditions)} ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return self._records(sql, params)

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        params: dict[str, Any] = {}
        sql = f"SELECT COUNT(*) FROM runs{_where(_conditions(filters, params))}"
        count: int = self.database.read(lambda connection: connection.scalar(sql, params))
        return count

    def handle_run_event(self, run_id: str, event: HeadwaterEvent,
                         timestamp: float | None = None) -> None:
        status = STATUS_FOR_EVENT.get(event.event_type_value)
        if status is None:
            return
        params: dict[str, Any] = {"run_id": run_id, "status": status.value,
                                  "now": time.time() if timestamp is None else timestamp}
        assignments = "status = :status, update_timestamp = :now"
        if status is PipelineRunStatus.STARTED:
            assignments += ", start_time = :now"
        elif status in FINISHED_STATUSES:
            assignments += ", end_time = :now"
        # Compare-and-set: only from a status the move is allowed from, in one statement.
        previous = in_list("previous", (s.value for s in PREVIOUS_STATUSES[status]), params)
        sql = f"UPDATE runs SET {assignments} WHERE run_id = :run_id AND status IN {previous}"
        if self.database.write(lambda connection: connection.run(sql, params)):
            return
        current = self.database.read(
            lambda connection: connection.scalar(_STATUS, {"run_id": run_id}))
        if current is None:
            raise self._not_found(run_id)
        raise HeadwaterRunStatusConflictError(
            f"Run {run_id} is {current} in {self.database.description}, so it cannot become "
            f"{status.value} ({event.event_type_value}): another process moved it first "
            f"(a second launcher or daemon, or the run monitor). Only the process that "
            f"moved it goes on; `headwater run show {run_id}` says what happened.",
            run_id, current, status.value)

    def get_run_status(self, run_id: str) -> PipelineRunStatus | None:
        status = self.database.read(
            lambda connection: connection.scalar(_STATUS, {"run_id": run_id}))
        return None if status is None else PipelineRunStatus(status)

    def update_run_status(self, run_id: str, status: PipelineRunStatus) -> None:
        self._update(run_id, "status = :status, update_timestamp = :now",
                     {"status": PipelineRunStatus(status).value, "now": time.time()})

    def record_run_heartbeat(self, run_id: str, timestamp: float) -> None:
        self._update(run_id, "heartbeat_timestamp = :timestamp", {"timestamp": timestamp})

    def add_run_tags(self, run_id: str, tags: Mapping[str, str]) -> None:
        tags = {str(key): str(value) for key, value in tags.items()}

        def add(connection: SqlConnection) -> None:
            body = connection.scalar("SELECT run_body FROM runs WHERE run_id = :run_id",
                                     {"run_id": run_id})
            if body is None:
                raise self._not_found(run_id)
            run = deserialize(body)
            run = dataclasses.replace(run, tags={**run.tags, **tags})
            connection.run("UPDATE runs SET run_body = :body, update_timestamp = :now "
                           "WHERE run_id = :run_id",
                           {"body": serialize(run), "now": time.time(), "run_id": run_id})
            params: dict[str, Any] = {"run_id": run_id}
            keys = in_list("key", tags, params)
            connection.run(f'DELETE FROM run_tags WHERE run_id = :run_id AND "key" IN {keys}',
                           params)
            connection.run_many(_INSERT_TAG, [
                {"run_id": run_id, "key": key, "value": value} for key, value in tags.items()])

        if tags:
            self.database.write(add)

    def get_run_tags(self) -> dict[str, set[str]]:
        rows = self.database.read(lambda connection: connection.rows(
            'SELECT DISTINCT "key", value FROM run_tags'))
        result: dict[str, set[str]] = {}
        for key, value in rows:
            result.setdefault(key, set()).add(value)
        return result

    def delete_run(self, run_id: str) -> None:
        def delete(connection: SqlConnection) -> None:
            connection.run("DELETE FROM run_tags WHERE run_id = :run_id", {"run_id": run_id})
            connection.run("DELETE FROM runs WHERE run_id = :run_id", {"run_id": run_id})

        self.database.write(delete)

    def wipe(self) -> None:
        def delete(connection: SqlConnection) -> None:
            connection.run("DELETE FROM run_tags")
            connection.run("DELETE FROM runs")

        self.database.write(delete)

    def add_daemon_heartbeat(self, heartbeat: DaemonHeartbeat) -> None:
        def replace(connection: SqlConnection) -> None:
            connection.run("DELETE FROM daemon_heartbeats WHERE duty = :duty",
                           {"duty": heartbeat.duty})
            connection.run(
                'INSERT INTO daemon_heartbeats (duty, daemon_id, "timestamp", body) '
                "VALUES (:duty, :daemon_id, :timestamp, :body)",
                {"duty": heartbeat.duty, "daemon_id": heartbeat.daemon_id,
                 "timestamp": heartbeat.timestamp, "body": serialize(heartbeat)})

        self.database.write(replace)

    def get_daemon_heartbeats(self) -> dict[str, DaemonHeartbeat]:
        rows = self.database.read(lambda connection: connection.rows(
            "SELECT body FROM daemon_heartbeats WHERE duty != :lease ORDER BY duty",
            {"lease": _LEASE_ROW}))
        heartbeats = (deserialize(body) for (body,) in rows)
        return {heartbeat.duty: heartbeat for heartbeat in heartbeats}

    def wipe_daemon_heartbeats(self) -> None:
        self.database.write(lambda connection: connection.run(
            "DELETE FROM daemon_heartbeats WHERE duty != :lease", {"lease": _LEASE_ROW}))

    # The lease is a row of the heartbeats table under a name no duty has: taking it is one
    # conditional UPDATE (or the INSERT of the first daemon ever), atomic on every backend.
    def acquire_daemon_lease(self, lease: DaemonLease, lease_seconds: float) -> DaemonLease:
        def take(connection: SqlConnection) -> DaemonLease | None:
            current = connection.scalar("SELECT body FROM daemon_heartbeats WHERE duty = :lease",
                                        {"lease": _LEASE_ROW})
            if current is None:
                connection.run(
                    'INSERT INTO daemon_heartbeats (duty, daemon_id, "timestamp", body) '
                    "VALUES (:lease, :daemon_id, :renewed, :body)",
                    {"lease": _LEASE_ROW, "daemon_id": lease.daemon_id,
                     "renewed": lease.renewed, "body": serialize(lease)})
                return lease
            held: DaemonLease = deserialize(current)
            mine = held.daemon_id == lease.daemon_id
            renewed = dataclasses.replace(lease, acquired=held.acquired) if mine else lease
            taken = connection.run(
                'UPDATE daemon_heartbeats SET daemon_id = :daemon_id, "timestamp" = :renewed, '
                "body = :body WHERE duty = :lease AND (daemon_id = :daemon_id "
                'OR "timestamp" < :expired)',
                {"lease": _LEASE_ROW, "daemon_id": lease.daemon_id, "renewed": lease.renewed,
                 "body": serialize(renewed), "expired": lease.renewed - lease_seconds})
            return renewed if taken else None

        try:
            taken = self.database.write(take)
        except IntegrityViolation:
            taken = None  # another daemon inserted the first lease at the same moment
        if taken is not None:
            return taken
        holder = self.get_daemon_lease()
        return holder if holder is not None else lease

    def release_daemon_lease(self, daemon_id: str) -> None:
        self.database.write(lambda connection: connection.run(
            "DELETE FROM daemon_heartbeats WHERE duty = :lease AND daemon_id = :daemon_id",
            {"lease": _LEASE_ROW, "daemon_id": daemon_id}))

    def get_daemon_lease(self) -> DaemonLease | None:
        body = self.database.read(lambda connection: connection.scalar(
            "SELECT body FROM daemon_heartbeats WHERE duty = :lease", {"lease": _LEASE_ROW}))
        return None if body is None else deserialize(body)

    def upgrade(self) -> None:
        self.database.upgrade()

    @property
    def is_persistent(self) -> bool:
        return self.database.is_persistent

    def _update(self, run_id: str, assignments: str, params: dict[str, Any]) -> None:
        sql = f"UPDATE runs SET {assignments} WHERE run_id = :run_id"
        params = {**params, "run_id": run_id}
        if not self.database.write(lambda connection: connection.run(sql, params)):
            raise self._not_found(run_id)

    def _not_found(self, run_id: str) -> HeadwaterRunNotFoundError:
        return HeadwaterRunNotFoundError(
            f'No run with id "{run_id}" in {self.database.description}. List the runs with '
            "`headwater run list`.", run_id)

    def _records(self, sql: str, params: dict[str, Any]) -> list[RunRecord]:
        rows = self.database.read(lambda connection: connection.rows(sql, params))
        return [RunRecord(row_id, dataclasses.replace(deserialize(body),
                                                      status=PipelineRunStatus(status)),
                          created, updated, start, end, heartbeat)
                for row_id, body, status, created, updated, start, end, heartbeat in rows]


def _conditions(filters: RunsFilter | None, params: dict[str, Any]) -> list[str]:
    """The SQL conditions a runs filter makes, their values put in ``params``."""
    if filters is None:
        return []
    conditions = []
    if filters.run_ids is not None:
        conditions.append(f"run_id IN {in_list('run_id', filters.run_ids, params)}")
    if filters.pipeline_name is not None:
        conditions.append("pipeline_name = :pipeline_name")
        params["pipeline_name"] = filters.pipeline_name
    if filters.statuses is not None:
        statuses = in_list("status", (PipelineRunStatus(status).value
                                      for status in filters.statuses), params)
        conditions.append(f"status IN {statuses}")
    for index, (key, value) in enumerate((filters.tags or {}).items()):
        values = in_list(f"tag_{index}_value", [value] if isinstance(value, str) else value,
                         params)
        params[f"tag_{index}_key"] = key
        conditions.append(f'run_id IN (SELECT run_id FROM run_tags WHERE "key" = '
                          f":tag_{index}_key AND value IN {values})")
    if filters.created_before is not None:
        conditions.append("create_timestamp < :created_before")
        params["created_before"] = epoch_seconds(filters.created_before)
    if filters.created_after is not None:
        conditions.append("create_timestamp > :created_after")
        params["created_after"] = epoch_seconds(filters.created_after)
    return conditions


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""
