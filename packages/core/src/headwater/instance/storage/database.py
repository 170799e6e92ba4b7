"""One SQL database as storage uses it: transactions, retries, the schema.

Run, event-log and schedule storage that point at the same database share one
``SqlDatabase``: one set of connections and one schema revision, checked once per process.
Storage hands it SQL text (see ``sql``); a driver runs it: the standard library's
``sqlite3`` for SQLite files and in-memory databases (``sqlite_driver``), SQLAlchemy for
server databases such as PostgreSQL (``sqlalchemy_driver``, imported only by ``from_url``).
A transaction that finds the database locked (SQLite) or that lost a serialization race or
a deadlock (PostgreSQL) is run again, whole.
"""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from headwater.definitions.files import make_private_dirs
from headwater.errors import HeadwaterInstanceError, HeadwaterStorageUnavailableError
from headwater.instance.storage.revisions import HEAD_REVISION
from headwater.instance.storage.sql import Driver, IntegrityViolation, SqlConnection
from headwater.instance.storage.sqlite_driver import SqliteDriver, unwritable

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

_T = TypeVar("_T")
_LIVE: weakref.WeakSet[SqlDatabase] = weakref.WeakSet()

_MAX_ATTEMPTS = 12
_FIRST_BACKOFF = 0.005
_MAX_BACKOFF = 1.0


class SqlDatabase:
    """A SQL database holding Headwater's tables.

    Use ``sqlite_file``, ``sqlite_memory`` or ``from_url`` to make one.

    Args:
        driver: What runs the transactions (see ``headwater.instance.storage.sql.Driver``).
        description: How messages name the database (a path, or a URL without password).

    Attributes:
        dialect: ``"sqlite"`` or the server's (``"postgresql"``): storage's SQL is the same
            for both, this is for the rare statement that is not.
        is_persistent: Whether what is stored outlives this process.
    """

    def __init__(self, driver: Driver, description: str) -> None:
        self.driver = driver
        self.description = description
        self.dialect = driver.dialect
        self.is_persistent = driver.is_persistent
        self._ready = False
        self._init_lock = threading.Lock()
        self._tool_engine: Engine | None = None
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
            raise unwritable(path, error.strerror or str(error)) from None
        if _is_empty_file(path):
            raise HeadwaterStorageUnavailableError(
                f"The instance's database {path} is an empty file (0 bytes), not a Headwater "
                "database: it was cut short (a full disk, a copy that failed). Restore it from "
                f"a backup, or remove it (rm {path}) to start an empty instance.")
        return cls(SqliteDriver(path), path)

    @classmethod
    def sqlite_memory(cls) -> SqlDatabase:
        """A SQLite database in this process's memory, gone when it is disposed."""
        return cls(SqliteDriver(None), "an in-memory database")

    @classmethod
    def from_url(cls, url: str | URL, **engine_kwargs: Any) -> SqlDatabase:
        """A database at a SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://...``)."""
        from headwater.instance.storage.sqlalchemy_driver import SqlAlchemyDriver

        driver = SqlAlchemyDriver.from_url(url, **engine_kwargs)
        if driver.dialect == "sqlite":
            driver.dispose()
            raise HeadwaterInstanceError(
                f"SqlDatabase.from_url is for server databases; for SQLite use "
                f"SqlDatabase.sqlite_file or sqlite_memory (received {url!r}).")
        return cls(driver, driver.description)

    # -- transactions ---------------------------------------------------------------------

    def read(self, work: Callable[[SqlConnection], _T]) -> _T:
        """Run ``work`` in a read transaction and return what it returns."""
        self._ensure_ready()
        return self._retrying(lambda: self.driver.transaction(work, write=False))

    def write(self, work: Callable[[SqlConnection], _T]) -> _T:
        """Run ``work`` in a write transaction (run again, whole, if the database is locked).

        Raises:
            IntegrityViolation: ``work`` broke a constraint (a duplicate key); nothing of
                the transaction was kept.
        """
        self._ensure_ready()
        return self._retrying(lambda: self.driver.transaction(work, write=True))

    def insert_committed(self, table: str, columns: Sequence[str],
                         rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (tuples, in the order of ``columns``) into ``table`` with the
        driver's ``executemany``, in a transaction of their own, committed before
        returning. ``columns`` is a tuple of column names as SQL writes them."""
        self._ensure_ready()
        self._retrying(lambda: self.driver.insert_committed(table, columns, rows))

    def _retrying(self, attempt: Callable[[], _T]) -> _T:
        backoff = _FIRST_BACKOFF
        for number in range(1, _MAX_ATTEMPTS + 1):
            try:
                return attempt()
            except IntegrityViolation:
                raise
            except Exception as error:
                if number == _MAX_ATTEMPTS or not self.driver.is_retryable(error):
                    unavailable = self.driver.unavailable(error)
                    if unavailable is not None:
                        raise unavailable from None
                    raise
            time.sleep(backoff * (1 + random.random()))
            backoff = min(backoff * 2, _MAX_BACKOFF)
        raise AssertionError("unreachable")

    # -- the schema ------------------------------------------------------------------------

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with self._init_lock:
            if self._ready:
                return
            if self._retrying(self.driver.revision) != HEAD_REVISION:
                self._retrying(lambda: self.driver.prepare_schema(self.description, False))
            self.driver.after_ready()
            self._ready = True

    def revision(self) -> str | None:
        """The schema revision the database is at, or None if it has no schema yet."""
        return self._retrying(self.driver.revision)

    def upgrade(self) -> None:
        """Bring the schema to the current revision, keeping the data; a no-op if it is."""
        with self._init_lock:
            self._retrying(lambda: self.driver.prepare_schema(self.description, True))
            self.driver.after_ready()
            self._ready = True

    # -- the rest -------------------------------------------------------------------------

    def reclaim_space(self) -> None:
        """On a full disk, make room for the few writes that record a run's failure: remove
        the reserve file kept beside a SQLite database for this (it is made again when the
        database is next opened with room to spare), and truncate the write-ahead log.
        Nothing for other databases; best effort."""
        self.driver.reclaim_space()

    def trace_writes(self, callback: Callable[[str], None] | None) -> None:
        """Call ``callback`` with the statements of write transactions from now on (at
        least each ``COMMIT``, as the database runs it); None stops. For tests and
        benchmarks that count commits."""
        self.driver.trace_writes(callback)

    def dispose(self) -> None:
        """Close every connection (the next transaction opens new ones)."""
        self.driver.dispose()
        if self._tool_engine is not None:
            self._tool_engine.dispose()
            self._tool_engine = None
        # An in-memory database is gone with its connection: the next use starts afresh.
        self._ready = self._ready and self.is_persistent

    def _after_fork(self) -> None:
        self._init_lock = threading.Lock()
        self.driver.after_fork()
        if self._tool_engine is not None:
            self._tool_engine.dispose(close=False)

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine on the database (imports SQLAlchemy): the driver's own for a
        server database; for a SQLite file, one of its own, for tools and tests."""
        from headwater.instance.storage.sqlalchemy_driver import (
            SqlAlchemyDriver,
            sqlite_tool_engine,
        )

        if isinstance(self.driver, SqlAlchemyDriver):
            return self.driver.engine
        if not isinstance(self.driver, SqliteDriver) or self.driver.path is None:
            raise HeadwaterInstanceError(
                f"{self.description} has no SQLAlchemy engine: only a SQLite file or a "
                "server database does.")
        if self._tool_engine is None:
            self._tool_engine = sqlite_tool_engine(self.driver.path)
        return self._tool_engine

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A SQLAlchemy connection, outside any transaction (for tests and tools)."""
        with self.engine.connect() as connection:
            yield connection


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


def _reset_all_after_fork() -> None:
    for database in list(_LIVE):
        database._after_fork()


os.register_at_fork(after_in_child=_reset_all_after_fork)
