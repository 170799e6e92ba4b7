"""Event-log storage in SQL: the ``event_logs`` and ``asset_keys`` tables.

Entries are written in batches (see ``batch_writer``): group commit. A batch is committed at
every pipeline-level event (a run's start and end), on ``flush``, and at the latest
``max_delay`` (50 ms) after its first entry, so the events of many steps share one
transaction. What a crash (kill -9, power aside) can lose is exactly the entries of the
last ``max_delay`` seconds before it, never a run's start or end and never an entry in the
middle: entries are committed in the order they were stored, so the log that survives is
a prefix of what happened. A step whose STEP_SUCCESS was lost counts as not done:
re-execution from failure runs it again, and only those steps. A step's outputs are never
recorded as available before the IO manager has stored them (HANDLED_OUTPUT is emitted
after ``handle_output`` returns), whatever is lost.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from headwater.config.secrets import mask
from headwater.definitions.events import AssetKey
from headwater.execution.events import PIPELINE_EVENTS, EventLogEntry
from headwater.instance.records import (
    EventLogRecord,
    EventTypes,
    RunStats,
    RunStepStats,
    event_type_values,
)
from headwater.instance.storage import stats
from headwater.instance.storage.base import EventLogStorage
from headwater.instance.storage.batch_writer import BatchWriter
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.schema import asset_keys, event_logs
from headwater.serdes import deserialize, serialize

# Entries that are committed at once, with everything buffered before them: a run's start
# and end. Step events wait for the group commit (see the module docstring).
BOUNDARY_EVENTS = frozenset(event_type.value for event_type in PIPELINE_EVENTS)
DEFAULT_MAX_DELAY = 0.05


class SqlEventLogStorage(EventLogStorage):
    """Run events in a SQL database, written in batches.

    Args:
        database: Where the tables are.
        max_delay: The longest an entry waits in memory before it is committed, in seconds.
    """

    def __init__(self, database: SqlDatabase, max_delay: float = DEFAULT_MAX_DELAY) -> None:
        self.database = database
        self._writer: BatchWriter[dict[str, Any]] = BatchWriter(
            self._write_batch, max_delay, name="headwater-event-log-writer")

    # -- writing --------------------------------------------------------------------------

    def store_event(self, entry: EventLogEntry) -> None:
        event = entry.headwater_event
        event_type = event.event_type_value if event is not None else None
        asset_key = partition = None
        if event_type == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            asset_key = materialization.asset_key.to_db_string()
            partition = materialization.partition
        row = {"run_id": entry.run_id, "event": mask(serialize(entry)), "event_type": event_type,
               "timestamp": entry.timestamp, "step_key": entry.step_key,
               "asset_key": asset_key, "partition": partition}
        self._writer.add(row, flush=event_type in BOUNDARY_EVENTS)

    def flush(self) -> None:
        self._writer.flush()

    def _write_batch(self, rows: list[dict[str, Any]]) -> None:
        if all(row["asset_key"] is None for row in rows):
            self.database.insert_committed(event_logs, rows)
            return

        def write(connection: Connection) -> None:
            self.database.insert_many(connection, event_logs, rows)
            for row in rows:
                if row["asset_key"] is not None:
                    _upsert_asset_key(connection, row)

        self.database.write(write)

    # -- reading --------------------------------------------------------------------------

    def get_event_records(self, run_id: str | None = None, cursor: int = -1,
                          of_type: EventTypes | None = None,
                          limit: int | None = None) -> list[EventLogRecord]:
        query = sa.select(event_logs.c.id, event_logs.c.event).where(event_logs.c.id > cursor)
        if run_id is not None:
            query = query.where(event_logs.c.run_id == run_id)
        types = event_type_values(of_type)
        if types is not None:
            query = query.where(event_logs.c.event_type.in_(types))
        query = query.order_by(event_logs.c.id.asc())
        if limit is not None:
            query = query.limit(limit)
        return [EventLogRecord(row.id, deserialize(row.event)) for row in self._read(query)]

    def get_stats_for_run(self, run_id: str) -> RunStats:
        query = (sa.select(event_logs.c.event_type, sa.func.count(),
                           sa.func.min(event_logs.c.timestamp),
                           sa.func.max(event_logs.c.timestamp))
                 .where(event_logs.c.run_id == run_id, event_logs.c.event_type.is_not(None))
                 .group_by(event_logs.c.event_type))
        by_type = {row[0]: (row[1], row[2], row[3]) for row in self._read(query)}
        return stats.run_stats(run_id, by_type)

    def get_step_stats_for_run(self, run_id: str,
                               step_keys: list[str] | None = None) -> list[RunStepStats]:
        query = (sa.select(event_logs.c.event_type, event_logs.c.step_key,
                           event_logs.c.timestamp, event_logs.c.event)
                 .where(event_logs.c.run_id == run_id,
                        event_logs.c.event_type.in_(stats.STEP_STAT_EVENTS),
                        event_logs.c.step_key.is_not(None))
                 .order_by(event_logs.c.id.asc()))
        if step_keys is not None:
            query = query.where(event_logs.c.step_key.in_(step_keys))
        rows = self._read(query)
        return stats.step_stats(run_id, (
            (row.event_type, row.step_key, row.timestamp,
             lambda body=row.event: deserialize(body)) for row in rows))

    def all_asset_keys(self) -> list[AssetKey]:
        rows = self._read(sa.select(asset_keys.c.asset_key))
        return sorted((AssetKey.from_db_string(row.asset_key) for row in rows),
                      key=lambda key: key.path)

    def get_latest_materialization(self, asset_key: AssetKey) -> EventLogEntry | None:
        query = sa.select(asset_keys.c.last_materialization).where(
            asset_keys.c.asset_key == AssetKey.coerce(asset_key).to_db_string())
        rows = self._read(query)
        return deserialize(rows[0].last_materialization) if rows else None

    def events_for_asset_key(self, asset_key: AssetKey, partitions: list[str] | None = None,
                             cursor: int | None = None, limit: int | None = None,
                             ascending: bool = False) -> list[EventLogRecord]:
        query = sa.select(event_logs.c.id, event_logs.c.event).where(
            event_logs.c.asset_key == AssetKey.coerce(asset_key).to_db_string(),
            event_logs.c.event_type == "ASSET_MATERIALIZATION")
        if partitions is not None:
            query = query.where(event_logs.c.partition.in_(partitions))
        if cursor is not None:
            query = query.where(event_logs.c.id > cursor if ascending
                                else event_logs.c.id < cursor)
        query = query.order_by(event_logs.c.id.asc() if ascending else event_logs.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return [EventLogRecord(row.id, deserialize(row.event)) for row in self._read(query)]

    # -- deleting -------------------------------------------------------------------------

    def delete_events(self, run_id: str) -> None:
        self.flush()
        self.database.write(lambda connection: connection.execute(
            sa.delete(event_logs).where(event_logs.c.run_id == run_id)))

    def wipe_asset(self, asset_key: AssetKey) -> None:
        # The entries stay in their runs' logs (a run's history is not rewritten); they only
        # stop belonging to the asset, so it is listed and read as never materialized.
        self.flush()
        key = AssetKey.coerce(asset_key).to_db_string()

        def forget(connection: Connection) -> None:
            connection.execute(sa.update(event_logs).where(event_logs.c.asset_key == key)
                               .values(asset_key=None, partition=None))
            connection.execute(sa.delete(asset_keys).where(asset_keys.c.asset_key == key))

        self.database.write(forget)

    def wipe(self) -> None:
        self.flush()

        def delete(connection: Connection) -> None:
            connection.execute(sa.delete(event_logs))
            connection.execute(sa.delete(asset_keys))

        self.database.write(delete)

    def upgrade(self) -> None:
        self.database.upgrade()

    @property
    def is_persistent(self) -> bool:
        return self.database.is_persistent

    def discard_pending(self) -> int:
        # Log lines go first: the events waiting with them (a step's start, say) are few and
        # say what the run did, so they get the room reclaimed below; they are dropped too
        # if storage still cannot take them (the next call finds no log line to drop).
        dropped = self._writer.discard(keep=lambda row: row["event_type"] is not None)
        if dropped == 0:
            dropped = self._writer.discard()
        self.database.reclaim_space()
        return dropped

    def dispose(self) -> None:
        """Write what is buffered and stop the writer thread (the database stays open)."""
        self._writer.close()

    def _read(self, query: sa.Select[Any]) -> list[Any]:
        # Reads see this storage's own entries: what waits in the buffer is written first.
        self._writer.flush()
        return self.database.read(lambda connection: connection.execute(query).all())


def _upsert_asset_key(connection: Connection, row: dict[str, Any]) -> None:
    values = {"last_materialization": row["event"], "last_run_id": row["run_id"],
              "last_materialization_timestamp": row["timestamp"]}
    dialect = connection.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise NotImplementedError(f"Asset keys are not written for the {dialect} dialect.")
    statement = insert(asset_keys).values(asset_key=row["asset_key"], create_timestamp=time.time(),
                                          **values)
    connection.execute(statement.on_conflict_do_update(index_elements=["asset_key"],
                                                       set_=values))
