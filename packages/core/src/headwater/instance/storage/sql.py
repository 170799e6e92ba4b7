"""The seam between storage and a database driver: SQL text in, rows out.

Storage writes each query once, as SQL text that SQLite and PostgreSQL both accept: named
``:parameters``, ``INSERT ... ON CONFLICT``, identifiers that are keywords somewhere
("key", "timestamp", "partition") in double quotes. A driver runs it: ``sqlite3`` for the
SQLite and in-memory storages, a SQLAlchemy engine for PostgreSQL. Importing this module
imports neither.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

_T = TypeVar("_T")
Params = Mapping[str, Any]


class IntegrityViolation(Exception):
    """A write broke a constraint (a unique key, most often): the transaction was rolled back.

    Storage catches it and raises the error that names what was duplicated.
    """


class SqlConnection(abc.ABC):
    """A connection inside a transaction, as storage's work functions receive it.

    Attributes:
        dialect: ``"sqlite"`` or ``"postgresql"``.
    """

    dialect: str

    @abc.abstractmethod
    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        """Every row the query returns, as tuples in the order of its columns."""

    def row(self, sql: str, params: Params | None = None) -> Sequence[Any] | None:
        """The first row the query returns, or None."""
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.row(sql, params)
        return None if row is None else row[0]

    @abc.abstractmethod
    def run(self, sql: str, params: Params | None = None) -> int:
        """Run a statement that returns no rows; how many rows it changed."""

    @abc.abstractmethod
    def run_many(self, sql: str, rows: Sequence[Params]) -> None:
        """Run a statement once per parameter set (the driver's ``executemany``)."""

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (tuples, in the order of ``columns``) into ``table``: the bulk
        path, without a dict per row."""
        names = _PARAM_NAMES[:len(columns)]
        self.run_many(named_insert(table, columns),
                      [dict(zip(names, row, strict=True)) for row in rows])

    @abc.abstractmethod
    def insert_returning_id(self, sql: str, params: Params) -> int:
        """Run an ``INSERT`` of one row into a table with an ``id`` key; the new row's id."""


class Driver(abc.ABC):
    """Connections to one database, and what its errors mean.

    ``SqlDatabase`` retries, checks the schema and names the database; a driver runs one
    attempt of a transaction at a time.
    """

    dialect: str
    # Whether what is stored outlives this process.
    is_persistent: bool = True

    @abc.abstractmethod
    def transaction(self, work: Callable[[SqlConnection], _T], write: bool) -> _T:
        """Run ``work`` in one transaction (a write one takes the write lock at once).

        Raises:
            IntegrityViolation: ``work`` broke a constraint (rolled back).
        """

    def insert_committed(self, table: str, columns: Sequence[str],
                         rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (see ``SqlConnection.insert_rows``) in a transaction of their own."""
        self.transaction(lambda connection: connection.insert_rows(table, columns, rows),
                         write=True)

    @abc.abstractmethod
    def is_retryable(self, error: BaseException) -> bool:
        """Whether running the same transaction again may succeed (a lock, a deadlock)."""

    def unavailable(self, error: BaseException) -> Exception | None:
        """The clear error to raise instead of ``error`` (a damaged file, a full disk), or
        None to raise ``error`` itself."""
        return None

    @abc.abstractmethod
    def revision(self) -> str | None:
        """The schema revision the database is at (one read), None without a schema."""

    @abc.abstractmethod
    def prepare_schema(self, description: str, upgrade: bool) -> None:
        """Create the schema in an empty database, or check (``upgrade``: bring) an existing
        one to the current revision; see ``SqlDatabase``."""

    def after_ready(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Called once the schema is known to be current."""

    def reclaim_space(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Free what space can be freed for the last writes of a failing run."""

    def trace_writes(self, callback: Callable[[str], None] | None) -> None:
        """Call ``callback`` with each statement of a write transaction (at least
        ``COMMIT``) from now on; None stops."""
        raise NotImplementedError

    @abc.abstractmethod
    def dispose(self) -> None:
        """Close every connection (a later transaction opens new ones)."""

    def after_fork(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """In a forked child: forget the parent's connections without closing them."""


def in_list(name: str, values: Iterable[Any], params: dict[str, Any]) -> str:
    """``(:name_0, :name_1, ...)`` for ``column IN ...``, with the values put in ``params``.

    An empty list gives ``(NULL)``, which matches no row (``IN ()`` is not valid
    everywhere).
    """
    names = []
    for index, value in enumerate(values):
        key = f"{name}_{index}"
        params[key] = value
        names.append(f":{key}")
    return f"({', '.join(names)})" if names else "(NULL)"


# Parameter names of the bulk insert's columns, in order (a column name may need quoting).
_PARAM_NAMES = tuple(f"c{index}" for index in range(64))


@functools.lru_cache(maxsize=64)
def named_insert(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (:c0, :c1, ...)``: parameters by name."""
    values = ", ".join(f":{name}" for name in _PARAM_NAMES[:len(columns)])
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"


@functools.lru_cache(maxsize=64)
def positional_insert(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, ?, ...)``: parameters by position (SQLite's
    fastest binding: no name to look up per value)."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
