"""``SnowflakeConnection``: SQL on Snowflake through the official connector.

One connector connection is opened on first use and shared by every call until the
resource is torn down at the end of the run (or of the step, for executors that start a
process per step). Statements are never logged with their parameters, and error messages
never carry a password, a private key or its passphrase.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater_snowflake.errors import (
    SnowflakeConfigError,
    SnowflakeConnectionError,
    SnowflakeQueryError,
)
from headwater_snowflake.frames import frame_from_cursor

INSTALL_HINT = "pip install 'headwater[snowflake]'"
# Config keys passed to snowflake.connector.connect under their own name (None dropped).
CONNECT_KEYS = (
    "account", "user", "password", "authenticator", "database", "schema", "role",
    "warehouse", "autocommit", "client_prefetch_threads", "client_session_keep_alive",
    "login_timeout", "network_timeout", "ocsp_response_cache_filename",
    "validate_default_parameters", "paramstyle", "timezone", "numpy", "application",
    "host", "port", "protocol",
)
SECRET_KEYS = ("password", "private_key", "private_key_password")
# Snowflake's error numbers for a login it refused (wrong user, password or key).
_LOGIN_REFUSED = frozenset({390100, 390144, 390186})
DEFAULT_PLACE = "resources.<key>.config (snowflake_resource)"


class SnowflakeConnection:
    """Runs SQL on Snowflake; what ``snowflake_resource`` gives a solid.

    Args:
        config: The processed config of ``snowflake_resource``.
        log: Where to log (``init_context.log``); None for nowhere.
        place: The config path of the settings, for error messages.

    Example:
        >>> rows = context.resources.snowflake.execute_query(
        ...     "SELECT region, SUM(amount) FROM orders GROUP BY region", fetch_results=True)
    """

    def __init__(self, config: Mapping[str, Any], log: Any = None,
                 place: str = DEFAULT_PLACE) -> None:
        self.config = dict(config)
        self.log = log
        self.place = place
        self._connection: Any = None

    def __repr__(self) -> str:
        config = self.config
        where = ".".join(part for part in (config.get("database"), config.get("schema")) if part)
        return (f"SnowflakeConnection({config.get('user')}@{config.get('account')}"
                f"{'/' + where if where else ''})")

    @property
    def is_open(self) -> bool:
        """Whether a connection has been opened and not closed yet."""
        return self._connection is not None

    @contextlib.contextmanager
    def get_connection(self, raw_conn: bool = True) -> Iterator[Any]:
        """The connector's connection, opened on first use.

        With ``autocommit: false``, the work is committed on leaving the block, or rolled
        back when the block raised; otherwise each statement commits itself (Snowflake's
        default).

        Args:
            raw_conn: Must be True: the connector's own connection is the only kind given
                (SQLAlchemy engines are not supported).

        Raises:
            SnowflakeConnectionError: Snowflake could not be reached or refused the login.
        """
        if not raw_conn:
            raise SnowflakeConfigError(
                "get_connection(raw_conn=False) asked for a SQLAlchemy connection, which "
                "headwater-snowflake does not give. Use get_connection() for the "
                "connector's own connection.")
        connection = self._open()
        # Snowflake autocommits unless told otherwise: only then is there work to end.
        explicit = self.config.get("autocommit") is False
        try:
            yield connection
        except BaseException:
            if explicit:
                connection.rollback()
            raise
        if explicit:
            connection.commit()

    def execute_query(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] | None = None,
                      fetch_results: bool = False, use_pandas_result: bool = False) -> Any:
        """Run one statement.

        Args:
            sql: The statement, with placeholders in the connection's ``paramstyle``
                (``%s`` / ``%(name)s`` by default).
            parameters: Their values, bound by the connector.
            fetch_results: Return what the statement produced.
            use_pandas_result: Return it as a pandas DataFrame (column names Snowflake keeps
                upper-case come back lower-case; see ``frames.frame_from_cursor``).

        Returns:
            The rows (a list of tuples) or a DataFrame when asked, else None.

        Raises:
            SnowflakeQueryError: Snowflake refused the statement; the message quotes it.
            SnowflakeConnectionError: Snowflake could not be reached or refused the login.
        """
        results = self.execute_queries([sql], parameters, fetch_results, use_pandas_result)
        return results[0] if results is not None else None

    def execute_queries(self, sql_queries: Sequence[str],
                        parameters: Sequence[Any] | Mapping[str, Any] | None = None,
                        fetch_results: bool = False,
                        use_pandas_result: bool = False) -> list[Any] | None:
        """Run statements one after another on the shared connection.

        Arguments and errors are those of :meth:`execute_query`; ``parameters`` are bound
        to every statement. With ``fetch_results``, returns the result of each statement,
        in order. Unless the connection autocommits, they are committed together at the
        end, and none is when one fails.
        """
        results: list[Any] = []
        with self.get_connection() as connection, connection.cursor() as cursor:
            for number, sql in enumerate(sql_queries, start=1):
                started = time.perf_counter()
                self.run(cursor, sql, parameters)
                if self.log is not None:
                    self.log.debug(f"Statement {number} of {len(sql_queries)} ran in "
                                   f"{time.perf_counter() - started:.3f}s "
                                   f"(query id {cursor.sfqid}).")
                if fetch_results:
                    results.append(frame_from_cursor(cursor) if use_pandas_result
                                   else cursor.fetchall())
        return results if fetch_results else None

    def run(self, cursor: Any, sql: str, parameters: Any = None) -> Any:
        """Execute ``sql`` on ``cursor``, turning Snowflake's refusal into a
        :class:`SnowflakeQueryError` that quotes the statement (for code that holds a
        cursor of :meth:`get_connection`)."""
        from snowflake.connector import errors

        try:
            return cursor.execute(sql, parameters) if parameters is not None \
                else cursor.execute(sql)
        except errors.ProgrammingError as error:
            server_message = self.scrub(str(getattr(error, "raw_msg", None) or error.msg or error))
            raise SnowflakeQueryError(
                f"Snowflake refused the statement\n\n    {sql.strip()}\n\n"
                f"{server_message} (error {error.errno}, SQLSTATE {error.sqlstate}). Fix the "
                "statement, or check database, schema and role in "
                f"{self.place}: unqualified names resolve in its database and schema.",
                sql, error.errno, error.sqlstate, server_message) from None

    def load_table_from_local_parquet(self, src: str, table: str) -> None:
        """Replace ``table`` with the rows of a local Parquet file, each row one VARIANT
        value in the column ``data`` (``PUT`` to the table's stage, then ``COPY INTO``).

        Args:
            src: The path of the Parquet file.
            table: The table to (re)create.
        """
        self.execute_queries([
            f"CREATE OR REPLACE TABLE {table} (data VARIANT DEFAULT NULL)",
            "CREATE FILE FORMAT IF NOT EXISTS parquet_format TYPE = 'parquet'",
            f"PUT 'file://{src}' @%{table} AUTO_COMPRESS = FALSE",
            f"COPY INTO {table} FROM @%{table} FILE_FORMAT = (FORMAT_NAME = 'parquet_format')",
        ])

    def close(self) -> None:
        """Close the connection, if one was opened."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def scrub(self, text: str) -> str:
        """``text`` with every secret of the config replaced by ``***``."""
        for key in SECRET_KEYS:
            secret = self.config.get(key)
            if isinstance(secret, str) and secret:
                text = text.replace(secret, "***")
        return text

    def _open(self) -> Any:
        if self._connection is not None:
            return self._connection
        connector = _connector()
        settings = {key: self.config[key] for key in CONNECT_KEYS
                    if self.config.get(key) is not None}
        private_key = self._private_key()
        if private_key is not None:
            settings["private_key"] = private_key
        elif "password" not in settings and "authenticator" not in settings:
            raise SnowflakeConfigError(
                f"{self!r} has no credential. Set password, private_key or private_key_path "
                f"(or authenticator) in {self.place}, as {{env: VARIABLE}}.")
        started = time.perf_counter()
        try:
            self._connection = connector.connect(**settings)
        except connector.errors.Error as error:
            raise self._connect_error(error) from None
        if self.log is not None:
            self.log.debug(f"Connected to Snowflake as {self!r} in "
                           f"{time.perf_counter() - started:.2f}s.")
        return self._connection

    def _connect_error(self, error: Any) -> SnowflakeConnectionError:
        message = self.scrub(str(getattr(error, "raw_msg", None) or error)).strip()
        if getattr(error, "errno", None) in _LOGIN_REFUSED:
            return SnowflakeConnectionError(
                f"Snowflake refused the login of {self!r}: {message} Check user, password "
                f"(or private_key) and account in {self.place}.")
        where = (f"{self.config.get('protocol') or 'https'}://{self.config['host']}:"
                 f"{self.config.get('port') or 443}" if self.config.get("host")
                 else f"account {self.config.get('account')}")
        return SnowflakeConnectionError(
            f"Could not connect to Snowflake ({where}) as {self!r}: {message} Check account "
            f"(and host, port, protocol when set) in {self.place}, and that the address is "
            "reachable.")

    def _private_key(self) -> bytes | None:
        pem = self.config.get("private_key")
        path = self.config.get("private_key_path")
        if pem is None and path is None:
            return None
        from cryptography.hazmat.primitives import serialization

        if pem is None:
            try:
                with open(path, "rb") as file:
                    pem_bytes = file.read()
            except OSError as error:
                raise SnowflakeConfigError(
                    f"Could not read the private key file {path!r} ({error.strerror}). Fix "
                    f"private_key_path in {self.place}.") from None
        else:
            pem_bytes = pem.encode()
        passphrase = self.config.get("private_key_password")
        try:
            key = serialization.load_pem_private_key(
                pem_bytes, password=passphrase.encode() if passphrase else None)
        except (ValueError, TypeError) as error:
            # The library's message never quotes the key or the passphrase.
            raise SnowflakeConfigError(
                f"The private key of {self!r} could not be read: {error}. Give an "
                f"unencrypted PEM key, or an encrypted one with private_key_password, in "
                f"{self.place}.") from None
        return key.private_bytes(encoding=serialization.Encoding.DER,
                                 format=serialization.PrivateFormat.PKCS8,
                                 encryption_algorithm=serialization.NoEncryption())


def _connector() -> Any:
    try:
        import snowflake.connector
    except ImportError as error:
        raise SnowflakeConfigError(
            f"snowflake_resource needs snowflake-connector-python, which is not installed. "
            f"Install it: {INSTALL_HINT}.") from error
    return snowflake.connector
