"""One SQL database as storage uses it: connections, transactions, retries, the schema.

Run, event-log and schedule storage that point at the same database share one
``SqlDatabase``: one connection pool and one schema revision, checked once per process.

SQLite is tuned for many processes writing to one file: WAL journal (readers never wait
for the writer), ``synchronous=NORMAL`` (a commit does not wait for the disk; a power cut,
not a crash, can lose the last commits), a busy timeout, and write transactions that take
the write lock when they begin (``BEGIN IMMEDIATE``), so that two writers wait for each
other instead of failing. A write that still finds the database locked is retried.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from headwater.definitions.files import PRIVATE_FILE, make_private_dirs
from headwater.errors import (
    HeadwaterInstanceError,
    HeadwaterInstanceSchemaOutdated,
    HeadwaterStorageUnavailableError,
)
from headwater.instance.storage.schema import (
    HEAD_REVISION,
    REVISIONS,
    alembic_version,
    metadata,
    version_metadata,
)

_T = TypeVar("_T")
_LIVE: weakref.WeakSet[SqlDatabase] = weakref.WeakSet()
# A forked child keeps its parent's connections here, untouched, so that they are never
# closed (or rolled back) from the child.
_PARENTS_CONNECTIONS: list[Connection] = []

BUSY_TIMEOUT_SECONDS = 30.0
# Room kept on the disk of a SQLite database, given back when the disk is full so that a
# run can still record its failure: a few hundred events' worth.
RESERVE_SUFFIX = ".reserve"
RESERVE_BYTES = 512 * 1024
_MAX_ATTEMPTS = 12
_FIRST_BACKOFF = 0.005
_MAX_BACKOFF = 1.0
# Taken by every process that creates or upgrades a PostgreSQL schema, so that two
# processes starting on an empty database do not both create it.
_PG_SCHEMA_LOCK = 7_271_940_413
# SQLSTATEs of PostgreSQL errors that a retry of the same transaction can cure.
_PG_RETRYABLE = frozenset({"40001", "40P01", "55P03"})


class SqlDatabase:
    """A SQL database holding Headwater's tables.

    Use ``sqlite_file``, ``sqlite_memory`` or ``from_url`` to make one.

    Args:
        engine: The SQLAlchemy engine.
        description: How messages name the database (a path, or a URL without password).
        in_memory: Whether the database is this process's memory: then it is not persistent,
            and every transaction runs under one lock (it is one connection that threads
            must take turns on).

    Attributes:
        is_persistent: Whether what is stored outlives this process.
    """

    def __init__(self, engine: Engine, description: str, in_memory: bool = False) -> None:
        self.engine = engine
        # Connections of this engine begin write transactions (see _tune_sqlite).
        self._write_engine = engine.execution_options(headwater_write=True)
        self.description = description
        self.is_persistent = not in_memory
        self._serialize_access = in_memory
        self._is_sqlite = engine.dialect.name == "sqlite"
        self._ready = False
        self._init_lock = threading.Lock()
        # SQLite has one writer per file anyway: threads of this process queue here rather
        # than in SQLite's busy handler, which sleeps in coarse steps.
        self._write_lock = threading.RLock()
        self._writer_connection: Connection | None = None
        self._compiled_inserts: dict[tuple[str, tuple[str, ...]], Any] = {}
        _LIVE.add(self)

    @classmethod
    def sqlite_file(cls, path: str) -> SqlDatabase:
        """A SQLite database in the file ``path`` (created, with its folder, if missing).

        Raises:
            HeadwaterStorageUnavailableError: the folder cannot be created, or the file is
                empty (a database is never 0 bytes once created: such a file was cut short,
                and is reported rather than taken for a new instance).
        """
        folder = os.path.dirname(os.path.abspath(path))
        try:
            make_private_dirs(folder)
        except OSError as error:
            raise _unwritable(path, error.strerror or str(error)) from None
        if _is_empty_file(path):
            raise HeadwaterStorageUnavailableError(
                f"The instance's database {path} is an empty file (0 bytes), not a Headwater "
                "database: it was cut short (a full disk, a copy that failed). Restore it from "
                f"a backup, or remove it (rm {path}) to start an empty instance.")
        engine = sa.create_engine(
            f"sqlite:///{os.path.abspath(path)}",
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
        _tune_sqlite(engine, wal=True, path=os.path.abspath(path))
        return cls(engine, path)

    @classmethod
    def sqlite_memory(cls) -> SqlDatabase:
        """A SQLite database in this process's memory, gone when it is disposed."""
        engine = sa.create_engine("sqlite://", poolclass=StaticPool,
                                  connect_args={"check_same_thread": False})
        _tune_sqlite(engine, wal=False)
        return cls(engine, "an in-memory database", in_memory=True)

    @classmethod
    def from_url(cls, url: str | URL, **engine_kwargs: Any) -> SqlDatabase:
        """A database at a SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://...``)."""
        engine = sa.create_engine(url, pool_pre_ping=True, **engine_kwargs)
        if engine.dialect.name == "sqlite":
            raise HeadwaterInstanceError(
                f"SqlDatabase.from_url is for server databases; for SQLite use "
                f"SqlDatabase.sqlite_file or sqlite_memory (received {url!r}).")
        return cls(engine, engine.url.render_as_string(hide_password=True))

    # -- transactions ---------------------------------------------------------------------

    def read(self, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in a read transaction and return what it returns."""
        self._ensure_ready()
        return self._retrying(lambda: self._transaction(work, write=False))

    def write(self, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in a write transaction (retried whole if the database is locked)."""
        self._ensure_ready()
        return self._retrying(lambda: self._transaction(work, write=True))

    def _transaction(self, work: Callable[[Connection], _T], write: bool) -> _T:
        lock = self._write_lock if (write and self._is_sqlite) or self._serialize_access \
            else contextlib.nullcontext()
        with lock:
            if write and self._is_sqlite:
                writer = self._writer()
                with writer.begin():
                    return work(writer)
            engine = self._write_engine if write else self.engine
            with engine.connect() as connection, connection.begin():
                return work(connection)

    def _writer(self) -> Connection:
        # SQLite writes one transaction at a time per file anyway: the process keeps one
        # connection for them (taken under the write lock), saving a checkout per batch.
        if self._writer_connection is None:
            self._writer_connection = self._write_engine.connect()
        return self._writer_connection

    def _retrying(self, attempt: Callable[[], _T]) -> _T:
        backoff = _FIRST_BACKOFF
        for number in range(1, _MAX_ATTEMPTS + 1):
            try:
                return attempt()
            except OperationalError as error:
                if number == _MAX_ATTEMPTS or not self._is_retryable(error):
                    self._raise_unavailable(error)
                    raise
            except DatabaseError as error:
                self._raise_unavailable(error)
                raise
            time.sleep(backoff * (1 + random.random()))
            backoff = min(backoff * 2, _MAX_BACKOFF)
        raise AssertionError("unreachable")

    def _raise_unavailable(self, error: BaseException) -> None:
        """Raise the clear error for a SQLite file that is damaged, full or unwritable."""
        if self._is_sqlite:
            unavailable = sqlite_unavailable(self.description, getattr(error, "orig", error))
            if unavailable is not None:
                raise unavailable from None

    def _is_retryable(self, error: OperationalError) -> bool:
        if self._is_sqlite:
            text = str(error.orig).lower()
            return "locked" in text or "busy" in text
        return getattr(error.orig, "sqlstate", None) in _PG_RETRYABLE

    def insert_committed(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` in a transaction of their own, committed before returning.

        On SQLite this goes straight to the driver (BEGIN IMMEDIATE, executemany, COMMIT):
        the event log commits every few milliseconds during a run, and SQLAlchemy's transaction
        handling costs several times the commit itself there.
        """
        if not self._is_sqlite:
            self.write(lambda connection: self.insert_many(connection, table, rows))
            return
        self._ensure_ready()
        statement, params = self._compiled_insert(table, rows)
        backoff = _FIRST_BACKOFF
        for number in range(1, _MAX_ATTEMPTS + 1):
            try:
                with self._write_lock:
                    raw = self._writer().connection.dbapi_connection
                    raw.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
                    try:
                        raw.executemany(statement, params)  # type: ignore[union-attr]
                        raw.execute("COMMIT")  # type: ignore[union-attr]
                    except BaseException:
                        if raw.in_transaction:  # type: ignore[union-attr]
                            raw.execute("ROLLBACK")  # type: ignore[union-attr]
                        raise
                return
            except sqlite3.OperationalError as error:
                text = str(error).lower()
                if number == _MAX_ATTEMPTS or not ("locked" in text or "busy" in text):
                    self._raise_unavailable(error)
                    raise
            except sqlite3.DatabaseError as error:
                self._raise_unavailable(error)
                raise
            time.sleep(backoff * (1 + random.random()))
            backoff = min(backoff * 2, _MAX_BACKOFF)

    def _compiled_insert(self, table: sa.Table, rows: list[dict[str, Any]]
                         ) -> tuple[str, list[Any]]:
        key = (table.name, tuple(rows[0]))
        compiled = self._compiled_inserts.get(key)
        if compiled is None:
            statement = sa.insert(table).values({name: sa.bindparam(name) for name in key[1]})
            compiled = self._compiled_inserts[key] = statement.compile(dialect=self.engine.dialect)
        order = compiled.positiontup
        params: list[Any] = ([tuple(row[name] for name in order) for row in rows]
                             if order is not None else rows)
        return compiled.string, params

    def insert_many(self, connection: Connection, table: sa.Table,
                    rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` (dicts with the same keys) with the driver's ``executemany``.

        The statement is compiled by SQLAlchemy once per table and key set; it skips the
        per-call work of ``connection.execute``, which matters on the event log's hot path.
        """
        statement, params = self._compiled_insert(table, rows)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(statement, params)
        finally:
            cursor.close()

    # -- the schema ------------------------------------------------------------------------

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with self._init_lock:
            if self._ready:
                return
            revision = self._retrying(lambda: self._transaction(_current_revision, write=False))
            if revision != HEAD_REVISION:
                self._retrying(lambda: self._transaction(self._prepare_schema, write=True))
            if self._is_sqlite and self.is_persistent:
                self._keep_reserve()
            self._ready = True

    def _prepare_schema(self, connection: Connection, upgrade: bool = False) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
        revision = _current_revision(connection)
        if revision == HEAD_REVISION:
            return
        if revision is None:
            existing = set(sa.inspect(connection).get_table_names()) & set(metadata.tables)
            if existing:
                raise HeadwaterInstanceError(
                    f"The database {self.description} has tables named like Headwater's "
                    f"({', '.join(sorted(existing))}) but no schema revision, so Headwater "
                    "did not create it. Point the instance at an empty database (or another "
                    "base_dir) in headwater.yaml.")
            metadata.create_all(connection)
            version_metadata.create_all(connection)
            connection.execute(sa.insert(alembic_version).values(version_num=HEAD_REVISION))
            return
        if revision not in REVISIONS:
            raise HeadwaterInstanceError(
                f"The database {self.description} is at schema revision {revision!r}, which "
                f"this version of Headwater does not know (it knows {', '.join(REVISIONS)}): "
                "a newer version of Headwater wrote it. Upgrade Headwater to use it.")
        if not upgrade:
            raise HeadwaterInstanceSchemaOutdated(
                f"The database {self.description} is at schema revision {revision}, older "
                f"than the revision {HEAD_REVISION} this version of Headwater uses. Run "
                "`headwater instance migrate` to upgrade it (back it up first); "
                "Instance.upgrade() does the same from Python.")
        from headwater.instance.storage.migrate import upgrade_to_head

        upgrade_to_head(connection)

    def revision(self) -> str | None:
        """The schema revision the database is at, or None if it has no schema yet."""
        return self._retrying(lambda: self._transaction(_current_revision, write=False))

    def upgrade(self) -> None:
        """Bring the schema to the current revision, keeping the data; a no-op if it is."""
        with self._init_lock:
            self._retrying(lambda: self._transaction(
                lambda connection: self._prepare_schema(connection, upgrade=True), write=True))
            self._ready = True

    def reclaim_space(self) -> None:
        """On a full disk, make room for the few writes that record a run's failure: remove
        the reserve file kept beside a SQLite database for this (it is made again when the
        database is next opened with room to spare), and truncate the write-ahead log.
        Nothing for other databases; best effort."""
        if not self._is_sqlite or not self.is_persistent:
            return
        with contextlib.suppress(OSError):
            os.remove(self._reserve_path)
        with self._write_lock, contextlib.suppress(Exception):
            raw = self._writer().connection.dbapi_connection
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]

    @property
    def _reserve_path(self) -> str:
        return self.description + RESERVE_SUFFIX

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

    def dispose(self) -> None:
        """Close every connection."""
        with self._write_lock:
            if self._writer_connection is not None:
                self._writer_connection.close()
                self._writer_connection = None
        self.engine.dispose()

    def _after_fork(self) -> None:
        # Connections opened by the parent must not be used, nor closed, by the child.
        if self._writer_connection is not None:
            _PARENTS_CONNECTIONS.append(self._writer_connection)
            self._writer_connection = None
        self.engine.dispose(close=False)
        self._init_lock = threading.Lock()
        self._write_lock = threading.RLock()

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A raw connection, outside any transaction (for tests and tools)."""
        with self.engine.connect() as connection:
            yield connection


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
        return _unwritable(path, str(error))
    return None


def _unwritable(path: str, reason: str) -> HeadwaterStorageUnavailableError:
    folder = os.path.dirname(os.path.abspath(path))
    return HeadwaterStorageUnavailableError(
        f"The instance's database {path} cannot be written ({reason}). Give the user running "
        f"Headwater write access to {folder} and the files in it (the database and its -wal "
        "and -shm files), or set $HEADWATER_HOME to a folder it can write.")


def _is_empty_file(path: str) -> bool:
    """Whether ``path`` is a file of 0 bytes, and stays one for a moment (a process that is
    creating the database has it empty only until its first statement)."""
    for _ in range(3):
        try:
            if os.path.getsize(path) != 0:
                return False
        except OSError:
            return False
        time.sleep(0.05)
    return True


def _current_revision(connection: Connection) -> str | None:
    if not sa.inspect(connection).has_table(alembic_version.name):
        return None
    return connection.execute(sa.select(alembic_version.c.version_num)).scalar()


def _tune_sqlite(engine: Engine, wal: bool, path: str | None = None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun below, explicitly, rather than by the driver.
        dbapi_connection.isolation_level = None
        if path is not None and os.path.getsize(path) == 0:
            # Just made by this connection: private, and so are the -wal and -shm files
            # SQLite makes next (they take the database's mode).
            os.chmod(path, PRIVATE_FILE)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A writer takes the write lock at BEGIN: a deferred transaction that reads first
        # and writes later can fail at once with "database is locked", busy timeout or not.
        immediate = connection.get_execution_options().get("headwater_write", False)
        # Straight to the driver: this runs for every transaction.
        connection.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            "BEGIN IMMEDIATE" if immediate else "BEGIN")


def _reset_all_after_fork() -> None:
    for database in list(_LIVE):
        database._after_fork()


os.register_at_fork(after_in_child=_reset_all_after_fork)
