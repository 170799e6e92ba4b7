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
from headwater.instance.storage.sql import SqlConnection, in_list
from headwater.serdes import deserialize, serialize

# Entries that are committed at once, with everything buffered before them: a run's start
# and end. Step events wait for the group commit (see the module docstring).
BOUNDARY_EVENTS = frozenset(event_type.value for event_type in PIPELINE_EVENTS)
DEFAULT_MAX_DELAY = 0.05

# An entry's row, in this column order: a tuple, the cheapest thing to build and to bind.
ENTRY_COLUMNS = ("run_id", "event", "event_type", '"timestamp"', "step_key", "asset_key",
                 '"partition"')
_EVENT_TYPE, _ASSET_KEY = 2, 5
_UPSERT_ASSET_KEY = (
    "INSERT INTO asset_keys (asset_key, last_materialization, last_run_id, "
    "last_materialization_timestamp, create_timestamp) VALUES (:asset_key, :event, :run_id, "
    ":timestamp, :now) ON CONFLICT (asset_key) DO UPDATE SET "
    "last_materialization = excluded.last_materialization, "
    "last_run_id = excluded.last_run_id, "
    "last_materialization_timestamp = excluded.last_materialization_timestamp")


class SqlEventLogStorage(EventLogStorage):
    """Run events in a SQL database, written in batches.

    Args:
        database: Where the tables are.
        max_delay: The longest an entry waits in memory before it is committed, in seconds.
    """

    def __init__(self, database: SqlDatabase, max_delay: float = DEFAULT_MAX_DELAY) -> None:
        self.database = database
        self._writer: BatchWriter[tuple[Any, ...]] = BatchWriter(
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
        row = (entry.run_id, mask(serialize(entry)), event_type, entry.timestamp,
               entry.step_key, asset_key, partition)
        self._writer.add(row, flush=event_type in BOUNDARY_EVENTS)

    def flush(self) -> None:
        self._writer.flush()

    def _write_batch(self, rows: list[tuple[Any, ...]]) -> None:
        if all(row[_ASSET_KEY] is None for row in rows):
            self.database.insert_committed("event_logs", ENTRY_COLUMNS, rows)
            return

        def write(connection: SqlConnection) -> None:
            connection.insert_rows("event_logs", ENTRY_COLUMNS, rows)
            now = time.time()
            for run_id, event, _type, timestamp, _step, asset_key, _partition in rows:
                if asset_key is not None:
                    connection.run(_UPSERT_ASSET_KEY, {
                        "asset_key": asset_key, "event": event, "run_id": run_id,
                        "timestamp": timestamp, "now": now})

        self.database.write(write)

    # -- reading --------------------------------------------------------------------------

    def get_event_records(self, run_id: str | None = None, cursor: int = -1,
                          of_type: EventTypes | None = None,
                          limit: int | None = None) -> list[EventLogRecord]:
        params: dict[str, Any] = {"cursor": cursor}
        sql = "SELECT id, event FROM event_logs WHERE id > :cursor"
        if run_id is not None:
            sql += " AND run_id = :run_id"
            params["run_id"] = run_id
        types = event_type_values(of_type)
        if types is not None:
            sql += f" AND event_type IN {in_list('event_type', types, params)}"
        sql += " ORDER BY id ASC"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return [EventLogRecord(row_id, deserialize(body))
                for row_id, body in self._read(sql, params)]

    def get_stats_for_run(self, run_id: str) -> RunStats:
        rows = self._read(
            'SELECT event_type, COUNT(*), MIN("timestamp"), MAX("timestamp") FROM event_logs '
            "WHERE run_id = :run_id AND event_type IS NOT NULL GROUP BY event_type",
            {"run_id": run_id})
        by_type = {row[0]: (row[1], row[2], row[3]) for row in rows}
        return stats.run_stats(run_id, by_type)

    def get_step_stats_for_run(self, run_id: str,
                               step_keys: list[str] | None = None) -> list[RunStepStats]:
        params: dict[str, Any] = {"run_id": run_id}
        sql = ('SELECT event_type, step_key, "timestamp", event FROM event_logs '
               "WHERE run_id = :run_id AND event_type IN "
               f"{in_list('event_type', stats.STEP_STAT_EVENTS, params)} "
               "AND step_key IS NOT NULL")
        if step_keys is not None:
            sql += f" AND step_key IN {in_list('step_key', step_keys, params)}"
        rows = self._read(f"{sql} ORDER BY id ASC", params)
        return stats.step_stats(run_id, (
            (event_type, step_key, timestamp, lambda body=body: deserialize(body))
            for event_type, step_key, timestamp, body in rows))

    def all_asset_keys(self) -> list[AssetKey]:
        rows = self._read("SELECT asset_key FROM asset_keys", {})
        return sorted((AssetKey.from_db_string(key) for (key,) in rows),
                      key=lambda key: key.path)

    def get_latest_materialization(self, asset_key: AssetKey) -> EventLogEntry | None:
        rows = self._read(
            "SELECT last_materialization FROM asset_keys WHERE asset_key = :asset_key",
            {"asset_key": AssetKey.coerce(asset_key).to_db_string()})
        return deserialize(rows[0][0]) if rows else None

    def events_for_asset_key(self, asset_key: AssetKey, partitions: list[str] | None = None,
                             cursor: int | None = None, limit: int | None = None,
                             ascending: bool = False) -> list[EventLogRecord]:
        params: dict[str, Any] = {"asset_key": AssetKey.coerce(asset_key).to_db_string()}
        sql = ("SELECT id, event FROM event_logs WHERE asset_key = :asset_key "
               "AND event_type = 'ASSET_MATERIALIZATION'")
        if partitions is not None:
            sql += f' AND "partition" IN {in_list("partition", partitions, params)}'
        if cursor is not None:
            sql += " AND id > :cursor" if ascending else " AND id < :cursor"
            params["cursor"] = cursor
        sql += " ORDER BY id ASC" if ascending else " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return [EventLogRecord(row_id, deserialize(body))
                for row_id, body in self._read(sql, params)]

    # -- deleting -------------------------------------------------------------------------

    def delete_events(self, run_id: str) -> None:
        self.flush()
        self.database.write(lambda connection: connection.run(
            "DELETE FROM event_logs WHERE run_id = :run_id", {"run_id": run_id}))

    def wipe_asset(self, asset_key: AssetKey) -> None:
        # The entries stay in their runs' logs (a run's history is not rewritten); they only
        # stop belonging to the asset, so it is listed and read as never materialized.
        self.flush()
        params = {"asset_key": AssetKey.coerce(asset_key).to_db_string()}

        def forget(connection: SqlConnection) -> None:
            connection.run('UPDATE event_logs SET asset_key = NULL, "partition" = NULL '
                           "WHERE asset_key = :asset_key", params)
            connection.run("DELETE FROM asset_keys WHERE asset_key = :asset_key", params)

        self.database.write(forget)

    def wipe(self) -> None:
        self.flush()

        def delete(connection: SqlConnection) -> None:
            connection.run("DELETE FROM event_logs")
            connection.run("DELETE FROM asset_keys")

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
        dropped = self._writer.discard(keep=lambda row: row[_EVENT_TYPE] is not None)
        if dropped == 0:
            dropped = self._writer.discard()
        self.database.reclaim_space()
        return dropped

    def dispose(self) -> None:
        """Write what is buffered and stop the writer thread (the database stays open)."""
        self._writer.close()

    def _read(self, sql: str, params: dict[str, Any]) -> list[Any]:
        # Reads see this storage's own entries: what waits in the buffer is written first.
        self._writer.flush()
        return self.database.read(lambda connection: connection.rows(sql, params))
