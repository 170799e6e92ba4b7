"""Redshift queries, over the PostgreSQL protocol Redshift speaks (with psycopg 3).

Each call opens a connection, runs its queries in one transaction (or autocommitted) and
closes it, so the resource is safe to use from any process or thread. Queries are not
logged: they often carry credentials (``COPY ... CREDENTIALS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater_aws.errors import RedshiftError

INSTALL_HINT = "pip install 'headwater-aws[redshift]'"
# Connection settings passed to psycopg as they are (the config key is psycopg's name).
_CONNECTION_KEYS = ("host", "port", "user", "password", "connect_timeout", "sslmode")


class RedshiftResource:
    """Runs SQL on a Redshift cluster.

    Args:
        config: The processed config of ``redshift_resource`` (``host``, ``port``,
            ``user``, ``password``, ``database``, ``schema``, ``autocommit``,
            ``connect_timeout``, ``sslmode``).
        log: Where to log (``init_context.log``); None for nowhere.
    """

    def __init__(self, config: Mapping[str, Any], log: Any = None) -> None:
        self.config = dict(config)
        self.log = log

    def __repr__(self) -> str:
        config = self.config
        return (f"RedshiftResource({config.get('user') or ''}@{config['host']}:"
                f"{config['port']}/{config.get('database') or ''})")

    def execute_query(self, query: str, fetch_results: bool = False,
                      cursor_factory: Any = None, error_callback: Callable[..., Any] | None = None,
                      row_factory: Any = None) -> list[Any] | None:
        """Run one query.

        Args:
            query: The SQL.
            fetch_results: Return the rows it produced.
            cursor_factory: A psycopg cursor class (e.g. ``psycopg.ClientCursor``).
            error_callback: ``fn(error, cursor, log)``, called instead of raising when the
                query fails.
            row_factory: How rows come back (e.g. ``psycopg.rows.dict_row``); tuples by
                default.

        Returns:
            The rows when ``fetch_results`` (``[]`` for a statement that returns none),
            else None.

        Raises:
            RedshiftError: The cluster could not be reached, or the query failed and no
                ``error_callback`` was given.
        """
        results = self.execute_queries([query], fetch_results, cursor_factory, error_callback,
                                       row_factory)
        return results[0] if fetch_results and results else None

    def execute_queries(self, queries: Sequence[str], fetch_results: bool = False,
                        cursor_factory: Any = None,
                        error_callback: Callable[..., Any] | None = None,
                        row_factory: Any = None) -> list[list[Any]] | None:
        """Run queries one after another on one connection (one transaction unless
        ``autocommit``).

        Arguments and errors are those of :meth:`execute_query`; with ``fetch_results``,
        returns the rows of each query, in order.
        """
        psycopg = _psycopg()
        results: list[list[Any]] = []
        with self._connect(psycopg, cursor_factory) as connection:
            cursor = connection.cursor(row_factory=row_factory) if row_factory \
                else connection.cursor()
            with cursor:
                for number, query in enumerate(queries, start=1):
                    started = time.perf_counter()
                    try:
                        cursor.execute(query)
                    except psycopg.Error as error:
                        if error_callback is None:
                            # The primary message only: the full one quotes the query,
                            # which may hold credentials.
                            reason = error.diag.message_primary or type(error).__name__
                            raise RedshiftError(
                                f"Query {number} of {len(queries)} failed on {self!r}: "
                                f"{reason} (SQLSTATE {error.sqlstate}).") from error
                        error_callback(error, cursor, self.log)
                        return None
                    if self.log is not None:
                        self.log.debug(f"Query {number} of {len(queries)} ran in "
                                       f"{time.perf_counter() - started:.3f}s "
                                       f"({cursor.rowcount} rows).")
                    if fetch_results:
                        results.append(cursor.fetchall() if cursor.description else [])
        return results if fetch_results else None

    def _connect(self, psycopg: Any, cursor_factory: Any) -> Any:
        config = self.config
        settings = {key: config[key] for key in _CONNECTION_KEYS if config.get(key) is not None}
        if config.get("database"):
            settings["dbname"] = config["database"]
        if cursor_factory is not None:
            settings["cursor_factory"] = cursor_factory
        try:
            connection = psycopg.connect(autocommit=config["autocommit"], **settings)
        except psycopg.OperationalError as error:
            raise RedshiftError(
                f"Could not connect to Redshift at {self!r}: {str(error).strip()}. Check "
                "host, port, database, user, password and sslmode in the config of "
                "redshift_resource.") from error
        if config.get("schema"):
            # Unqualified table names resolve in this schema for the whole session.
            connection.execute(psycopg.sql.SQL("SET search_path TO {}").format(
                psycopg.sql.Identifier(config["schema"])))
        return connection


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:
        raise RedshiftError(
            f"redshift_resource needs psycopg, which is not installed. Install it: "
            f"{INSTALL_HINT}.") from error
    return psycopg
