"""Schedule storage in SQL: the ``jobs``, ``job_ticks`` and ``backfills`` tables."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from headwater.errors import HeadwaterInstanceError
from headwater.instance.storage.base import ScheduleStorage
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.schema import backfills, job_ticks, jobs
from headwater.serdes import deserialize, serialize


class SqlScheduleStorage(ScheduleStorage):
    """Schedule and sensor state, and backfills, in a SQL database.

    Args:
        database: Where the tables are.
    """

    def __init__(self, database: SqlDatabase) -> None:
        self.database = database

    def add_job_state(self, origin_id: str, job_type: str, status: str, body: Any) -> None:
        now = time.time()
        self._insert(
            sa.insert(jobs).values(
                job_origin_id=origin_id, job_type=job_type, status=status,
                job_body=serialize(body), create_timestamp=now, update_timestamp=now),
            f'A schedule or sensor with origin id "{origin_id}" is already stored in '
            f"{self.database.description}; update it instead.")

    def update_job_state(self, origin_id: str, status: str, body: Any) -> None:
        self._update(
            sa.update(jobs).where(jobs.c.job_origin_id == origin_id).values(
                status=status, job_body=serialize(body), update_timestamp=time.time()),
            f'No schedule or sensor with origin id "{origin_id}" is stored in '
            f"{self.database.description}; add it first.")

    def get_job_state(self, origin_id: str) -> Any:
        return self._body(sa.select(jobs.c.job_body).where(jobs.c.job_origin_id == origin_id))

    def all_job_states(self, job_type: str | None = None) -> list[Any]:
        query = sa.select(jobs.c.job_body).order_by(jobs.c.id.asc())
        if job_type is not None:
            query = query.where(jobs.c.job_type == job_type)
        return self._bodies(query)

    def delete_job_state(self, origin_id: str) -> None:
        def delete(connection: Connection) -> None:
            connection.execute(sa.delete(job_ticks).where(job_ticks.c.job_origin_id == origin_id))
            connection.execute(sa.delete(jobs).where(jobs.c.job_origin_id == origin_id))

        self.database.write(delete)

    def create_job_tick(self, origin_id: str, status: str, timestamp: float,
                        body: Any) -> int:
        now = time.time()
        statement = sa.insert(job_ticks).values(
            job_origin_id=origin_id, status=status, timestamp=timestamp,
            tick_body=serialize(body), create_timestamp=now, update_timestamp=now)
        return self.database.write(
            lambda connection: connection.execute(statement).inserted_primary_key[0])

    def update_job_tick(self, tick_id: int, status: str, body: Any) -> None:
        self._update(
            sa.update(job_ticks).where(job_ticks.c.id == tick_id).values(
                status=status, tick_body=serialize(body), update_timestamp=time.time()),
            f"No tick with id {tick_id} is stored in {self.database.description}.")

    def get_job_ticks(self, origin_id: str, limit: int | None = None) -> list[tuple[int, Any]]:
        query = (sa.select(job_ticks.c.id, job_ticks.c.tick_body)
                 .where(job_ticks.c.job_origin_id == origin_id)
                 .order_by(job_ticks.c.timestamp.desc(), job_ticks.c.id.desc()))
        if limit is not None:
            query = query.limit(limit)
        rows = self.database.read(lambda connection: connection.execute(query).all())
        return [(row.id, deserialize(row.tick_body)) for row in rows]

    def add_backfill(self, backfill_id: str, status: str, timestamp: float, body: Any) -> None:
        self._insert(
            sa.insert(backfills).values(backfill_id=backfill_id, status=status,
                                        timestamp=timestamp, body=serialize(body)),
            f'A backfill with id "{backfill_id}" is already stored in '
            f"{self.database.description}; give the new one another id.")

    def update_backfill(self, backfill_id: str, status: str, body: Any) -> None:
        self._update(
            sa.update(backfills).where(backfills.c.backfill_id == backfill_id).values(
                status=status, body=serialize(body)),
            f'No backfill with id "{backfill_id}" is stored in '
            f"{self.database.description}; add it first.")

    def get_backfill(self, backfill_id: str) -> Any:
        return self._body(
            sa.select(backfills.c.body).where(backfills.c.backfill_id == backfill_id))

    def get_backfills(self, status: str | None = None) -> list[Any]:
        query = sa.select(backfills.c.body).order_by(backfills.c.id.asc())
        if status is not None:
            query = query.where(backfills.c.status == status)
        return self._bodies(query)

    def wipe(self) -> None:
        def delete(connection: Connection) -> None:
            connection.execute(sa.delete(job_ticks))
            connection.execute(sa.delete(jobs))
            connection.execute(sa.delete(backfills))

        self.database.write(delete)

    def upgrade(self) -> None:
        self.database.upgrade()

    def _insert(self, statement: sa.Insert, already_stored: str) -> None:
        """Insert a row; one with the same key raises ``already_stored``."""
        try:
            self.database.write(lambda connection: connection.execute(statement))
        except IntegrityError:
            raise HeadwaterInstanceError(already_stored) from None

    def _update(self, statement: sa.Update, not_stored: str) -> None:
        """Update a row; when there is none to update, raise ``not_stored``."""
        if not self.database.write(lambda connection: connection.execute(statement).rowcount):
            raise HeadwaterInstanceError(not_stored)

    def _body(self, query: sa.Select[Any]) -> Any:
        """The object serialized in the one column of the row ``query`` finds, or None."""
        body = self.database.read(lambda connection: connection.execute(query).scalar())
        return deserialize(body) if body is not None else None

    def _bodies(self, query: sa.Select[Any]) -> list[Any]:
        """The objects serialized in the one column of the rows ``query`` finds."""
        bodies = self.database.read(lambda connection: connection.execute(query).scalars().all())
        return [deserialize(body) for body in bodies]
