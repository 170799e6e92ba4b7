"""``snowflake_pandas_io_manager``: each output a Snowflake table, each input a DataFrame.

Writing never leaves a table half-replaced. The DataFrame is first loaded with
``write_pandas`` into a staging table next to the target (transient: no fail-safe storage;
shaped like the target, or typed from the frame when the target does not exist yet, and
dropped afterwards); only when that succeeded are the target's rows
(or its partition's rows) replaced, with ``DELETE`` and ``INSERT ... SELECT`` in one
transaction. ``write_pandas`` cannot run inside that transaction: it creates a temporary
stage, and Snowflake commits the open transaction on any DDL.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from headwater import (
    Field,
    InputContext,
    IOManager,
    OutputContext,
    Shape,
    StringSource,
    io_manager,
)
from headwater_snowflake.connection import SnowflakeConnection
from headwater_snowflake.errors import (
    SnowflakeConfigError,
    SnowflakeQueryError,
    SnowflakeTableMismatchError,
    SnowflakeTableNotFoundError,
)
from headwater_snowflake.frames import IDENTIFIER, frame_from_cursor, snowflake_type, stored_name

# The IO manager uses the connection of the resource it requires under this key.
SNOWFLAKE_RESOURCE_KEY = "snowflake"
# The output (or input) metadata keys it reads.
TABLE_KEY = "table"
PARTITION_EXPR_KEY = "partition_expr"

PARTITION_CONFIG = {
    "partition": Field(
        Shape({"start": Field(StringSource, description="The first value in the partition "
                                                        "(inclusive)."),
               "end": Field(StringSource, description="The first value after it "
                                                      "(exclusive).")}),
        is_required=False,
        description="The time window this output replaces: rows whose partition_expr "
                    "(output metadata) is >= start and < end."),
}


@dataclass(frozen=True)
class TableName:
    """A table's database, schema and name, as Snowflake stores them (upper-case)."""

    database: str
    schema: str
    name: str

    def __str__(self) -> str:
        return f"{self.database}.{self.schema}.{self.name}"


@contextlib.contextmanager
def _naming(action: str) -> Iterator[None]:
    """Prefix a refused statement's error with what the IO manager was doing."""
    try:
        yield
    except SnowflakeQueryError as error:
        raise SnowflakeQueryError(
            f"{action} failed. {error} The table's database and schema come from the "
            'output\'s metadata "table", else from the config of the IO manager or of the '
            f"{SNOWFLAKE_RESOURCE_KEY} resource: do they exist, and may the role write "
            "there?", error.sql, error.errno, error.sqlstate, error.server_message) from None


def _literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class SnowflakePandasIOManager(IOManager):
    """Stores DataFrames as Snowflake tables and loads tables as DataFrames.

    Args:
        connection: The connection of the ``snowflake`` resource.
        database: The database of tables whose name does not give one.
        schema: Their schema.
    """

    def __init__(self, connection: SnowflakeConnection, database: str, schema: str) -> None:
        self.connection = connection
        self.database = database
        self.schema = schema

    def table_for(self, context: OutputContext) -> TableName:
        """The output's table: ``metadata["table"]`` (``table``, ``schema.table`` or
        ``database.schema.table``), else the solid's name for an output named ``result``
        and the output's name for any other. Each value of a dynamic output has a table of
        its own: ``_<mapping_key>`` is appended to the name."""
        name = context.metadata.get(TABLE_KEY)
        if name is None:
            solid_name = getattr(context.solid_def, "name", None) or str(context.step_key)
            name = solid_name if context.name == "result" else str(context.name)
        if context.mapping_key is not None:
            name = f"{name}_{context.mapping_key}"
        parts = str(name).split(".")
        if len(parts) > 3 or not all(IDENTIFIER.match(part) for part in parts):
            raise SnowflakeTableMismatchError(
                f'The table name {name!r} of output "{context.name}" of step '
                f'"{context.step_key}" is not [database.][schema.]table made of plain '
                'identifiers. Fix metadata={"table": ...} on the output definition.')
        defaults = [self.database, self.schema]
        database, schema, table = [*defaults[:3 - len(parts)], *parts]
        return TableName(database.upper(), schema.upper(), table.upper())

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        import pandas as pd

        where = f'output "{context.name}" of step "{context.step_key}"'
        if not isinstance(obj, pd.DataFrame):
            raise SnowflakeTableMismatchError(
                f"{where} is a {type(obj).__name__}, but snowflake_pandas_io_manager stores "
                "pandas DataFrames. Return a DataFrame, or give the output another "
                "io_manager_key.")
        table = self.table_for(context)
        where = f"{where} (table {table})"
        frame = obj.rename(columns={column: stored_name(column, where) for column in obj.columns})
        window = self._window(context.config, context.metadata, where)
        with _naming(f"Storing {where}"), self.connection.get_connection() as connection, \
                connection.cursor() as cursor:
            existing = self._columns(cursor, table)
            if existing is None:
                definition = ", ".join(f"{column} {snowflake_type(frame[column], where)}"
                                       for column in frame.columns)
            else:
                self._check_columns(frame, existing, table, where)
                frame = frame[existing]
            staging = TableName(table.database, table.schema,
                                f"{table.name}_STAGING_{uuid.uuid4().hex[:8].upper()}")
            shape = f"({definition})" if existing is None else f"LIKE {table}"
            self.connection.run(cursor, f"CREATE TRANSIENT TABLE {staging} {shape}")
            try:
                self._stage(connection, frame, staging)
                if window is not None:
                    self._check_window(cursor, staging, window, where)
                if existing is None:
                    self.connection.run(cursor, f"CREATE TABLE IF NOT EXISTS {table} "
                                                f"({definition})")
                self._replace(cursor, table, staging, list(frame.columns), window)
            finally:
                self.connection.run(cursor, f"DROP TABLE IF EXISTS {staging}")
        if context.log is not None:
            replaced = f"rows {window[0]} >= {window[1]!r} and < {window[2]!r}" if window \
                else "all rows"
            context.log.debug(f"Wrote {len(frame)} rows to {table} (replaced {replaced}).")

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None, "the Snowflake IO manager loads inputs fed by outputs"
        table = self.table_for(upstream)
        where = f'input "{context.name}" (table {table}, output "{upstream.name}" of step ' \
                f'"{upstream.step_key}")'
        with _naming(f"Loading {where}"), self.connection.get_connection() as connection, \
                connection.cursor() as cursor:
            if self._columns(cursor, table) is None:
                raise SnowflakeTableNotFoundError(
                    f"Table {table} does not exist, so {where} cannot be loaded. Run the step "
                    f'"{upstream.step_key}" that writes it first, or check the database and '
                    f"schema of the {SNOWFLAKE_RESOURCE_KEY} resource and the output's "
                    f'metadata "table".')
            # The whole table: an input is not told which partition its upstream wrote.
            self.connection.run(cursor, f"SELECT * FROM {table}")
            return frame_from_cursor(cursor)

    def _columns(self, cursor: Any, table: TableName) -> list[str] | None:
        self.connection.run(
            cursor,
            f"SELECT column_name FROM {table.database}.information_schema.columns "
            f"WHERE table_schema = {_literal(table.schema)} AND table_name = "
            f"{_literal(table.name)} ORDER BY ordinal_position")
        columns = [row[0] for row in cursor.fetchall()]
        return columns or None

    @staticmethod
    def _check_columns(frame: Any, existing: list[str], table: TableName, where: str) -> None:
        missing = [column for column in existing if column not in frame.columns]
        extra = [column for column in frame.columns if column not in existing]
        if missing or extra:
            raise SnowflakeTableMismatchError(
                f"The DataFrame of {where} does not match the columns of the existing "
                f"table: {'missing ' + ', '.join(missing) if missing else ''}"
                f"{'; ' if missing and extra else ''}"
                f"{'not in the table ' + ', '.join(extra) if extra else ''}. Nothing was "
                f"written. Return the table's columns ({', '.join(existing)}), or drop the "
                "table (or ALTER it) to change its shape.")

    @staticmethod
    def _window(config: Any, metadata: Any, where: str) -> tuple[str, str, str] | None:
        partition = (config or {}).get("partition")
        if partition is None:
            return None
        expr = metadata.get(PARTITION_EXPR_KEY)
        if not expr:
            raise SnowflakeTableMismatchError(
                f"{where} is given a partition in its config, but its output has no "
                f'"{PARTITION_EXPR_KEY}" metadata naming the column (or SQL expression) '
                'the partition bounds. Add metadata={"partition_expr": "<column>"} to the '
                "output definition.")
        return str(expr), partition["start"], partition["end"]

    def _stage(self, connection: Any, frame: Any, staging: TableName) -> None:
        # Looked up at call time: a test stand-in may replace the module's function.
        from snowflake.connector import pandas_tools

        if frame.empty:
            return
        pandas_tools.write_pandas(connection, frame, staging.name, database=staging.database,
                                  schema=staging.schema, quote_identifiers=True,
                                  auto_create_table=False, use_logical_type=True)

    def _check_window(self, cursor: Any, staging: TableName,
                      window: tuple[str, str, str], where: str) -> None:
        expr, start, end = window
        self.connection.run(
            cursor, f"SELECT COUNT(*) FROM {staging} WHERE NOT ({expr} >= {_literal(start)} "
                    f"AND {expr} < {_literal(end)}) OR {expr} IS NULL")
        outside = cursor.fetchone()[0]
        if outside:
            raise SnowflakeTableMismatchError(
                f"{outside} rows of the DataFrame of {where} are outside the partition it "
                f"replaces ({expr} >= {start!r} and < {end!r}). Nothing was written. Filter "
                "the DataFrame to the partition, or fix the partition in the output's config.")

    def _replace(self, cursor: Any, table: TableName, staging: TableName, columns: list[str],
                 window: tuple[str, str, str] | None) -> None:
        delete = f"DELETE FROM {table}"
        if window is not None:
            expr, start, end = window
            delete += f" WHERE {expr} >= {_literal(start)} AND {expr} < {_literal(end)}"
        names = ", ".join(columns)
        self.connection.run(cursor, "BEGIN")
        try:
            self.connection.run(cursor, delete)
            self.connection.run(cursor, f"INSERT INTO {table} ({names}) "
                                        f"SELECT {names} FROM {staging}")
        except BaseException:
            self.connection.run(cursor, "ROLLBACK")
            raise
        self.connection.run(cursor, "COMMIT")


@io_manager(
    config_schema={
        "database": Field(StringSource, is_required=False,
                          description="The database of tables whose name gives none "
                                      "(default: the snowflake resource's)."),
        "schema": Field(StringSource, is_required=False,
                        description="Their schema (default: the snowflake resource's)."),
    },
    output_config_schema=PARTITION_CONFIG,
    required_resource_keys={SNOWFLAKE_RESOURCE_KEY},
    description="Each output a Snowflake table (metadata 'table', else the solid's name), "
                "written with write_pandas and replaced in one transaction; each input a "
                "pandas DataFrame. Needs the 'snowflake' resource.",
)
def snowflake_pandas_io_manager(init_context):
    """A SnowflakePandasIOManager using the ``snowflake`` resource's connection."""
    connection = getattr(init_context.resources, SNOWFLAKE_RESOURCE_KEY)
    config = init_context.resource_config or {}
    database = config.get("database") or connection.config.get("database")
    schema = config.get("schema") or connection.config.get("schema")
    if not database or not schema:
        raise SnowflakeConfigError(
            "snowflake_pandas_io_manager needs a database and a schema for its tables. Set "
            f"database and schema in the config of the {SNOWFLAKE_RESOURCE_KEY} resource "
            f"(resources.{SNOWFLAKE_RESOURCE_KEY}.config) or of the IO manager "
            "(resources.io_manager.config).")
    return SnowflakePandasIOManager(connection, database, schema)
