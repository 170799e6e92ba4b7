"""SQLite through the standard library's ``sqlite3``: the driver of the SQLite and in-memory
storages.

SQLite is tuned for many processes writing to one file: WAL journal (readers never wait
for the writer), ``synchronous=NORMAL`` (a commit does not wait for the disk; a power cut,
not a crash, can lose the last commits), a busy timeout, and write transactions that take
the write lock when they begin (``BEGIN IMMEDIATE``), so that two writers wait for each
other instead of failing. ``SqlDatabase`` retries a write that still finds it locked.

A process keeps one connection for writes (SQLite writes one transaction at a time per
file anyway; threads queue on a lock here rather than in SQLite's busy handler, which
sleeps in coarse steps) and a few for reads, which run beside it. An in-memory database is
one connection that every transaction takes in turn. ``sqlite3`` keeps each connection's
statements prepared, so a query written once is parsed once per connection.

Opening an existing, current database reads its revision with one query; creating one runs
``sqlite_schema``'s statements. Only upgrading an old one needs the migration tool (see
``sqlalchemy_driver.upgrade_sqlite_file``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from headwater.definitions.files import PRIVATE_FILE
from headwater.errors import HeadwaterStorageUnavailableError
from headwater.instance.storage import sqlite_schema
from headwater.instance.storage.revisions import (
    HEAD_REVISION,
    check_revision,
    foreign_tables_error,
)
from headwater.instance.storage.sql import (
    Driver,
    IntegrityViolation,
    Params,
    SqlConnection,
    positional_insert,
)

_T = TypeVar("_T")

BUSY_TIMEOUT_SECONDS = 30.0
# Room kept on the disk of a SQLite database, given back when the disk is full so that a
# run can still record its failure: a few hundred events' worth.
RESERVE_SUFFIX = ".reserve"
RESERVE_BYTES = 512 * 1024
# Read connections kept open for the next reads; more are opened when threads read at once.
_IDLE_READERS = 4
# A forked child keeps its parent's connections here, untouched, so that they are never
# closed (or rolled back) from the child.
_PARENTS_CONNECTIONS: list[sqlite3.Connection] = []


class SqliteConnection(SqlConnection):
    """A ``sqlite3`` connection inside a transaction."""

    dialect = "sqlite"
    __slots__ = ("_raw",)

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        return self._raw.execute(sql, params or ()).fetchall()

    def row(self, sql: str, params: Params | None = None) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self._raw.execute(sql, params or ()).fetchone()
        return row

    def run(self, sql: str, params: Params | None = None) -> int:
        return self._raw.execute(sql, params or ()).rowcount

    def run_many(self, sql: str, rows: Sequence[Params]) -> None:
        self._raw.executemany(sql, rows)

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        self._raw.executemany(positional_insert(table, columns), rows)

    def insert_returning_id(self, sql: str, params: Params) -> int:
        row_id = self._raw.execute(sql, params).lastrowid
        assert row_id is not None
        return row_id


class SqliteDriver(Driver):
    """A SQLite database in the file ``path``, or in this process's memory (``None``).

    Args:
        path: The database file, or None for an in-memory database.
    """

    dialect = "sqlite"

    def __init__(self, path: str | None) -> None:
        # Messages name the file as it was given; connections open it by its absolute path.
        self.name = path
        self.path = None if path is None else os.path.abspath(path)
        self.is_persistent = path is not None
        self._write_lock = threading.RLock()
        self._writer_connection: sqlite3.Connection | None = None
        self._readers_lock = threading.Lock()
        self._idle_readers: list[sqlite3.Connection] = []
        # Bumped when connections are dropped: a read connection taken before goes back
        # to no pool (it is closed).
        self._generation = 0
        self._trace: Callable[[str], None] | None = None

    # -- connections ----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # Transactions are begun explicitly (isolation_level=None), never by the module.
        if self.path is None:
            raw = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        else:
            raw = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS,
                                  check_same_thread=False, isolation_level=None)
            if os.path.getsize(self.path) == 0:
                # Just made by this connection: private, and so are the -wal and -shm files
                # SQLite makes next (they take the database's mode).
                os.chmod(self.path, PRIVATE_FILE)
        try:
            raw.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            if self.path is not None:
                raw.execute("PRAGMA journal_mode = WAL")
            raw.execute("PRAGMA synchronous = NORMAL")
            raw.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            raw.close()
            raise
        return raw

    def _writer(self) -> sqlite3.Connection:
        # Called under the write lock.
        if self._writer_connection is None:
            self._writer_connection = self._connect()
            if self._trace is not None:
                self._writer_connection.set_trace_callback(self._trace)
        return self._writer_connection

    def _take_reader(self) -> tuple[sqlite3.Connection, int]:
        with self._readers_lock:
            generation = self._generation
            if self._idle_readers:
                return self._idle_readers.pop(), generation
        return self._connect(), generation

    def _give_back(self, raw: sqlite3.Connection, generation: int) -> None:
        with self._readers_lock:
            if generation == self._generation and len(self._idle_readers) < _IDLE_READERS:
                self._idle_readers.append(raw)
                return
        raw.close()

    # -- transactions ---------------------------------------------------------------------

    def transaction(self, work: Callable[[SqlConnection], _T], write: bool) -> _T:
        if write or self.path is None:
            # An in-memory database is one connection: reads take their turn too.
            with self._write_lock:
                return _run(self._writer(), work, "BEGIN IMMEDIATE" if write else "BEGIN")
        raw, generation = self._take_reader()
        try:
            return _run(raw, work, "BEGIN")
        finally:
            self._give_back(raw, generation)

    def insert_committed(self, table: str, columns: Sequence[str],
                         rows: Sequence[Sequence[Any]]) -> None:
        # The event log's hot path: straight to the driver, no connection wrapper.
        sql = positional_insert(table, columns)
        with self._write_lock:
            raw = self._writer()
            raw.execute("BEGIN IMMEDIATE")
            try:
                raw.executemany(sql, rows)
                raw.execute("COMMIT")
            except BaseException:
                _roll_back(raw)
                raise

    def is_retryable(self, error: BaseException) -> bool:
        error = getattr(error, "orig", None) or error  # a SQLAlchemy error (upgrades)
        if not isinstance(error, sqlite3.OperationalError):
            return False
        text = str(error).lower()
        return "locked" in text or "busy" in text

    def unavailable(self, error: BaseException) -> Exception | None:
        error = getattr(error, "orig", None) or error
        if self.name is None or not isinstance(error, sqlite3.Error):
            return None
        return sqlite_unavailable(self.name, error)

    # -- the schema -----------------------------------------------------------------------

    def revision(self) -> str | None:
        return self.transaction(_current_revision, write=False)

    def prepare_schema(self, description: str, upgrade: bool) -> None:
        def prepare(connection: SqlConnection) -> str | None:
            revision = _current_revision(connection)
            if revision == HEAD_REVISION:
                return None
            if revision is None:
                tables = {row[0] for row in connection.rows(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
                existing = tables & set(sqlite_schema.TABLES)
                if existing:
                    raise foreign_tables_error(description, existing)
                for statement in sqlite_schema.STATEMENTS:
                    connection.run(statement)
                connection.run("INSERT INTO alembic_version (version_num) VALUES (:revision)",
                               {"revision": HEAD_REVISION})
                return None
            check_revision(revision, description, upgrade)
            return revision

        with self._write_lock:
            if self.transaction(prepare, write=True) is None:
                return
            assert self.path is not None  # an in-memory database is made current
            # Rare: only `headwater instance migrate` gets here, and it needs the migration
            # tool, which runs on SQLAlchemy.
            from headwater.instance.storage.sqlalchemy_driver import upgrade_sqlite_file

            upgrade_sqlite_file(self.path, description)

    def after_ready(self) -> None:
        if self.path is not None:
            self._keep_reserve()

    @property
    def _reserve_path(self) -> str:
        assert self.path is not None
        return self.path + RESERVE_SUFFIX

    def _keep_reserve(self) -> None:
        # Written once per database (a stat per process after that); a disk too full for it
        # is left alone: the reserve is for later, not a reason to fail now.
        if os.path.exists(self._reserve_path):
            return
        with contextlib.suppress(OSError):
            descriptor = os.open(self._reserve_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                                 PRIVATE_FILE)
            try:
                os.write(descriptor, bytes(RESERVE_BYTES))
            except OSError:
                os.close(descriptor)
                os.remove(self._reserve_path)
                return
            os.close(descriptor)

    def reclaim_space(self) -> None:
        """Remove the reserve file (made again when the database is next opened with room to
        spare) and truncate the write-ahead log; best effort."""
        if self.path is None:
            return
        with contextlib.suppress(OSError):
            os.remove(self._reserve_path)
        with self._write_lock, contextlib.suppress(Exception):
            self._writer().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def trace_writes(self, callback: Callable[[str], None] | None) -> None:
        with self._write_lock:
            self._trace = callback
            self._writer().set_trace_callback(callback)

    # -- lifetime -------------------------------------------------------------------------

    def dispose(self) -> None:
        with self._write_lock:
            if self._writer_connection is not None:
                self._writer_connection.close()
                self._writer_connection = None
        with self._readers_lock:
            idle, self._idle_readers = self._idle_readers, []
            self._generation += 1
        for raw in idle:
            raw.close()

    def after_fork(self) -> None:
        self._write_lock = threading.RLock()
        self._readers_lock = threading.Lock()
        if self.path is None:
            return  # the child's memory holds its own copy of the database
        # Connections opened by the parent must not be used, nor closed, by the child.
        if self._writer_connection is not None:
            _PARENTS_CONNECTIONS.append(self._writer_connection)
            self._writer_connection = None
        _PARENTS_CONNECTIONS.extend(self._idle_readers)
        self._idle_readers = []
        self._generation += 1


def _run(raw: sqlite3.Connection, work: Callable[[SqlConnection], _T], begin: str) -> _T:
    raw.execute(begin)
    try:
        result = work(SqliteConnection(raw))
        raw.execute("COMMIT")
    except sqlite3.IntegrityError as error:
        _roll_back(raw)
        raise IntegrityViolation(str(error)) from error
    except BaseException:
        _roll_back(raw)
        raise
    return result


def _roll_back(raw: sqlite3.Connection) -> None:
    # The error that got here is the one to report, not a failing rollback's.
    if raw.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            raw.execute("ROLLBACK")


def _current_revision(connection: SqlConnection) -> str | None:
    if connection.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                         "AND name = 'alembic_version'") is None:
        return None
    revision: str | None = connection.scalar("SELECT version_num FROM alembic_version")
    return revision


def sqlite_unavailable(path: str, error: BaseException) -> HeadwaterStorageUnavailableError | None:
    """The clear error for what SQLite said about the file ``path``, when it says the file is
    damaged, its disk full, or that it cannot be written; None for anything else."""
    text = str(error).lower()
    folder = os.path.dirname(os.path.abspath(path))
    if "malformed" in text or "not a database" in text:
        return HeadwaterStorageUnavailableError(
            f"The instance's database {path} is damaged ({error}). Check it with "
            f"`sqlite3 {path} 'PRAGMA integrity_check'`; restore it from a backup, or move it "
            f"aside (mv {path} {path}.damaged) to start an empty instance: the runs it holds "
            "then no longer show.")
    if "disk is full" in text or "no space" in text:
        return HeadwaterStorageUnavailableError(
            f"The disk holding the instance's database {path} is full ({error}): nothing more "
            "could be recorded; what was recorded before is kept. Free space on it "
            f"(df -h {folder}), or move the instance to another disk ($HEADWATER_HOME, or "
            "base_dir of the sqlite storages in headwater.yaml).")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return unwritable(path, str(error))
    return None


def unwritable(path: str, reason: str) -> HeadwaterStorageUnavailableError:
    """The error for a database file (or its folder) this process cannot write."""
    folder = os.path.dirname(os.path.abspath(path))
    return HeadwaterStorageUnavailableError(
        f"The instance's database {path} cannot be written ({reason}). Give the user running "
        f"Headwater write access to {folder} and the files in it (the database and its -wal "
        "and -shm files), or set $HEADWATER_HOME to a folder it can write.")
