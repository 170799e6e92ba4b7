"""Schedule storage in SQL: the ``jobs``, ``job_ticks`` and ``backfills`` tables."""

from __future__ import annotations

import time
from typing import Any

from headwater.errors import HeadwaterInstanceError
from headwater.instance.storage.base import ScheduleStorage
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.sql import IntegrityViolation, SqlConnection
from headwater.serdes import deserialize, serialize


class SqlScheduleStorage(ScheduleStorage):
    """Schedule and sensor state, and backfills, in a SQL database.

    Args:
        database: Where the tables are.
    """

    def __init__(self, database: SqlDatabase) -> None:
        self.database = database

    def add_job_state(self, origin_id: str, job_type: str, status: str, body: Any) -> None:
        self._insert(
            "INSERT INTO jobs (job_origin_id, job_type, status, job_body, create_timestamp, "
            "update_timestamp) VALUES (:origin_id, :job_type, :status, :body, :now, :now)",
            {"origin_id": origin_id, "job_type": job_type, "status": status,
             "body": serialize(body), "now": time.time()},
            f'A schedule or sensor with origin id "{origin_id}" is already stored in '
            f"{self.database.description}; update it instead.")

    def update_job_state(self, origin_id: str, status: str, body: Any) -> None:
        self._update(
            "UPDATE jobs SET status = :status, job_body = :body, update_timestamp = :now "
            "WHERE job_origin_id = :origin_id",
            {"origin_id": origin_id, "status": status, "body": serialize(body),
             "now": time.time()},
            f'No schedule or sensor with origin id "{origin_id}" is stored in '
            f"{self.database.description}; add it first.")

    def get_job_state(self, origin_id: str) -> Any:
        return self._body("SELECT job_body FROM jobs WHERE job_origin_id = :origin_id",
                          {"origin_id": origin_id})

    def all_job_states(self, job_type: str | None = None) -> list[Any]:
        if job_type is None:
            return self._bodies("SELECT job_body FROM jobs ORDER BY id ASC", {})
        return self._bodies("SELECT job_body FROM jobs WHERE job_type = :job_type "
                            "ORDER BY id ASC", {"job_type": job_type})

    def delete_job_state(self, origin_id: str) -> None:
        def delete(connection: SqlConnection) -> None:
            params = {"origin_id": origin_id}
            connection.run("DELETE FROM job_ticks WHERE job_origin_id = :origin_id", params)
            connection.run("DELETE FROM jobs WHERE job_origin_id = :origin_id", params)

        self.database.write(delete)

    def create_job_tick(self, origin_id: str, status: str, timestamp: float,
                        body: Any) -> int:
        params = {"origin_id": origin_id, "status": status, "timestamp": timestamp,
                  "body": serialize(body), "now": time.time()}
        tick_id: int = self.database.write(lambda connection: connection.insert_returning_id(
            'INSERT INTO job_ticks (job_origin_id, status, "timestamp", tick_body, '
            "create_timestamp, update_timestamp) VALUES (:origin_id, :status, :timestamp, "
            ":body, :now, :now)", params))
        return tick_id

    def update_job_tick(self, tick_id: int, status: str, body: Any) -> None:
        self._update(
            "UPDATE job_ticks SET status = :status, tick_body = :body, update_timestamp = :now "
            "WHERE id = :tick_id",
            {"tick_id": tick_id, "status": status, "body": serialize(body), "now": time.time()},
            f"No tick with id {tick_id} is stored in {self.database.description}.")

    def get_job_ticks(self, origin_id: str, limit: int | None = None) -> list[tuple[int, Any]]:
        sql = ("SELECT id, tick_body FROM job_ticks WHERE job_origin_id = :origin_id "
               'ORDER BY "timestamp" DESC, id DESC')
        params: dict[str, Any] = {"origin_id": origin_id}
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        rows = self.database.read(lambda connection: connection.rows(sql, params))
        return [(tick_id, deserialize(body)) for tick_id, body in rows]

    def add_backfill(self, backfill_id: str, status: str, timestamp: float, body: Any) -> None:
        self._insert(
            'INSERT INTO backfills (backfill_id, status, "timestamp", body) '
            "VALUES (:backfill_id, :status, :timestamp, :body)",
            {"backfill_id": backfill_id, "status": status, "timestamp": timestamp,
             "body": serialize(body)},
            f'A backfill with id "{backfill_id}" is already stored in '
            f"{self.database.description}; give the new one another id.")

    def update_backfill(self, backfill_id: str, status: str, body: Any) -> None:
        self._update(
            "UPDATE backfills SET status = :status, body = :body "
            "WHERE backfill_id = :backfill_id",
            {"backfill_id": backfill_id, "status": status, "body": serialize(body)},
            f'No backfill with id "{backfill_id}" is stored in '
            f"{self.database.description}; add it first.")

    def get_backfill(self, backfill_id: str) -> Any:
        return self._body("SELECT body FROM backfills WHERE backfill_id = :backfill_id",
                          {"backfill_id": backfill_id})

    def get_backfills(self, status: str | None = None) -> list[Any]:
        if status is None:
            return self._bodies("SELECT body FROM backfills ORDER BY id ASC", {})
        return self._bodies("SELECT body FROM backfills WHERE status = :status "
                            "ORDER BY id ASC", {"status": status})

    def wipe(self) -> None:
        def delete(connection: SqlConnection) -> None:
            connection.run("DELETE FROM job_ticks")
            connection.run("DELETE FROM jobs")
            connection.run("DELETE FROM backfills")

        self.database.write(delete)

    def upgrade(self) -> None:
        self.database.upgrade()

    def _insert(self, sql: str, params: dict[str, Any], already_stored: str) -> None:
        """Insert a row; one with the same key raises ``already_stored``."""
        try:
            self.database.write(lambda connection: connection.run(sql, params))
        except IntegrityViolation:
            raise HeadwaterInstanceError(already_stored) from None

    def _update(self, sql: str, params: dict[str, Any], not_stored: str) -> None:
        """Update a row; when there is none to update, raise ``not_stored``."""
        if not self.database.write(lambda connection: connection.run(sql, params)):
            raise HeadwaterInstanceError(not_stored)

    def _body(self, sql: str, params: dict[str, Any]) -> Any:
        """The object serialized in the one column of the row ``sql`` finds, or None."""
        body = self.database.read(lambda connection: connection.scalar(sql, params))
        return deserialize(body) if body is not None else None

    def _bodies(self, sql: str, params: dict[str, Any]) -> list[Any]:
        """The objects serialized in the one column of the rows ``sql`` finds."""
        rows = self.database.read(lambda connection: connection.rows(sql, params))
        return [deserialize(body) for (body,) in rows]
