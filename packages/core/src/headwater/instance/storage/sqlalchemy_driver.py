"""SQLAlchemy engines: the driver of server databases (PostgreSQL), and what the migration
tool needs on a SQLite file (upgrades, and ``SqlDatabase.connection`` for tools and tests).

Imported only where it is used: SQLAlchemy is slow to import, and a SQLite instance that is
already at the current schema never needs it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from headwater.definitions.files import PRIVATE_FILE
from headwater.instance.storage.revisions import (
    HEAD_REVISION,
    check_revision,
    foreign_tables_error,
)
from headwater.instance.storage.schema import alembic_version, metadata, version_metadata
from headwater.instance.storage.sql import Driver, IntegrityViolation, Params, SqlConnection
from headwater.instance.storage.sqlite_driver import BUSY_TIMEOUT_SECONDS

_T = TypeVar("_T")
# Taken by every process that creates or upgrades a PostgreSQL schema, so that two
# processes starting on an empty database do not both create it.
_PG_SCHEMA_LOCK = 7_271_940_413
# SQLSTATEs of PostgreSQL errors that a retry of the same transaction can cure.
_PG_RETRYABLE = frozenset({"40001", "40P01", "55P03"})


@functools.lru_cache(maxsize=1024)
def _text(sql: str) -> sa.TextClause:
    # Parsed once per statement (a text clause finds its :parameters with a regex).
    return sa.text(sql)


class SqlAlchemyConnection(SqlConnection):
    """A SQLAlchemy connection inside a transaction."""

    __slots__ = ("_connection", "dialect")

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.dialect = connection.dialect.name

    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        return list(self._connection.execute(_text(sql), dict(params or {})).all())

    def run(self, sql: str, params: Params | None = None) -> int:
        return self._connection.execute(_text(sql), dict(params or {})).rowcount

    def run_many(self, sql: str, rows: Sequence[Params]) -> None:
        self._connection.execute(_text(sql), [dict(row) for row in rows])

    def insert_returning_id(self, sql: str, params: Params) -> int:
        row_id: int = self._connection.execute(_text(f"{sql} RETURNING id"),
                                               dict(params)).scalar_one()
        return row_id


class SqlAlchemyDriver(Driver):
    """A database behind a SQLAlchemy engine (PostgreSQL: ``postgresql+psycopg://...``).

    Args:
        engine: The engine.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.description = engine.url.render_as_string(hide_password=True)

    @classmethod
    def from_url(cls, url: str | URL, **engine_kwargs: Any) -> SqlAlchemyDriver:
        """A driver for the database at ``url``, its connections checked before use."""
        return cls(sa.create_engine(url, pool_pre_ping=True, **engine_kwargs))

    def transaction(self, work: Callable[[SqlConnection], _T], write: bool) -> _T:
        try:
            with self.engine.connect() as connection, connection.begin():
                return work(SqlAlchemyConnection(connection))
        except IntegrityError as error:
            raise IntegrityViolation(str(error.orig)) from error

    def is_retryable(self, error: BaseException) -> bool:
        return (isinstance(error, OperationalError)
                and getattr(error.orig, "sqlstate", None) in _PG_RETRYABLE)

    def revision(self) -> str | None:
        with self.engine.connect() as connection, connection.begin():
            return current_revision(connection)

    def prepare_schema(self, description: str, upgrade: bool) -> None:
        with self.engine.connect() as connection, connection.begin():
            prepare_schema(connection, description, upgrade)

    def trace_writes(self, callback: Callable[[str], None] | None) -> None:
        if callback is not None:
            event.listen(self.engine, "commit", lambda _connection: callback("COMMIT"))

    def dispose(self) -> None:
        self.engine.dispose()

    def after_fork(self) -> None:
        # Connections opened by the parent must not be used, nor closed, by the child.
        self.engine.dispose(close=False)


def current_revision(connection: Connection) -> str | None:
    """The revision the migration tool noted in the database, None without one."""
    if not sa.inspect(connection).has_table(alembic_version.name):
        return None
    revision: str | None = connection.execute(sa.select(alembic_version.c.version_num)).scalar()
    return revision


def prepare_schema(connection: Connection, description: str, upgrade: bool = False) -> None:
    """Create the schema in an empty database or check (``upgrade``: migrate) an existing
    one, in ``connection``'s transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
    revision = current_revision(connection)
    if revision == HEAD_REVISION:
        return
    if revision is None:
        existing = set(sa.inspect(connection).get_table_names()) & set(metadata.tables)
        if existing:
            raise foreign_tables_error(description, existing)
        metadata.create_all(connection)
        version_metadata.create_all(connection)
        connection.execute(sa.insert(alembic_version).values(version_num=HEAD_REVISION))
        return
    check_revision(revision, description, upgrade)
    from headwater.instance.storage.migrate import upgrade_to_head

    upgrade_to_head(connection)


def sqlite_tool_engine(path: str) -> Engine:
    """An engine on the SQLite file ``path`` with the storage's settings, whose transactions
    take the write lock when they begin (for migrations, tools and tests)."""
    engine = sa.create_engine(
        f"sqlite:///{os.path.abspath(path)}",
        connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun below, explicitly, rather than by the driver.
        dbapi_connection.isolation_level = None
        if os.path.getsize(path) == 0:
            os.chmod(path, PRIVATE_FILE)
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred transaction that reads first and writes later can fail at once with
        # "database is locked", busy timeout or not.
        connection.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            "BEGIN IMMEDIATE")

    return engine


def upgrade_sqlite_file(path: str, description: str) -> None:
    """Migrate the SQLite database in ``path`` to the current revision, in one transaction."""
    engine = sqlite_tool_engine(path)
    try:
        with engine.connect() as connection, connection.begin():
            prepare_schema(connection, description, upgrade=True)
    finally:
        engine.dispose()
