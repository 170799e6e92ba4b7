"""The BigQuery IO manager: each pandas DataFrame output is a table, read back downstream.

An output is written to ``<dataset>.<step>_<output>`` (the step key with anything but
letters, digits and underscores made ``_``; ``_<mapping_key>`` added for a value of a dynamic
output), or to the table its output metadata names (``{"table": "orders"}``, ``"dataset.orders"``
or ``"project.dataset.orders"``). Rows are loaded (newline-delimited JSON, with a schema made
from the DataFrame's dtypes) into a staging table, which then replaces the table in one
statement: a load that fails leaves what was there.

An output whose metadata names a ``partition_field`` is partitioned by that column: the
write replaces only the partitions (values of that column) the DataFrame holds and keeps
every other row: once the rows are staged, those partitions are deleted and the staged
rows inserted.

A downstream input reads the whole table (``SELECT *``) as a DataFrame.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from headwater import Field, InputContext, IOManager, OutputContext, StringSource, io_manager
from headwater_gcp.bigquery import (
    call,
    load_file,
    parse_dataset,
    parse_table,
    run_query,
    to_dataframe,
)
from headwater_gcp.errors import BigQueryError, ConfigPlace

BIGQUERY_RESOURCE_KEY = "bigquery"
_PLACE = ConfigPlace("bigquery_pandas_io_manager (with the \"bigquery\" resource)",
                     "resources.io_manager.config")

# pandas dtype kind -> BigQuery type.
_KINDS = {"i": "INT64", "u": "INT64", "f": "FLOAT64", "b": "BOOL", "O": "STRING",
          "U": "STRING", "S": "STRING"}


def bigquery_schema(df: Any) -> list[Any]:
    """The BigQuery columns of a DataFrame, from its dtypes.

    Raises:
        BigQueryError: A column's dtype has no BigQuery type here (the message names it).
    """
    import pandas as pd
    from google.cloud import bigquery

    fields = []
    for name, dtype in df.dtypes.items():
        if isinstance(dtype, pd.DatetimeTZDtype):
            kind = "TIMESTAMP"
        elif pd.api.types.is_datetime64_dtype(dtype):
            kind = "DATETIME"
        elif pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
            kind = "DATE" if pd.api.types.infer_dtype(df[name], skipna=True) == "date" \
                else "STRING"
        elif pd.api.types.is_bool_dtype(dtype):
            kind = "BOOL"
        elif pd.api.types.is_integer_dtype(dtype):
            kind = "INT64"
        elif pd.api.types.is_float_dtype(dtype):
            kind = "FLOAT64"
        else:
            kind = _KINDS.get(getattr(dtype, "kind", ""), "")
        if not kind:
            raise BigQueryError(
                f'Column "{name}" has dtype {dtype}, which bigquery_pandas_io_manager cannot '
                "write. Convert it (to a number, string, bool or datetime) before returning "
                "the DataFrame.")
        fields.append(bigquery.SchemaField(str(name), kind))
    return fields


def _ndjson(df: Any) -> bytes:
    import pandas as pd

    frame = df.copy()
    for name in frame.columns:
        if pd.api.types.infer_dtype(frame[name], skipna=True) == "date":
            frame[name] = frame[name].map(lambda d: None if d is None else d.isoformat())
    text = frame.to_json(orient="records", lines=True, date_format="iso", date_unit="us")
    return text.encode("utf-8")


def _identifier(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_")


class BigQueryPandasIOManager(IOManager):
    """Writes DataFrame outputs to BigQuery tables and reads them back as DataFrames.

    Args:
        client: A ``google.cloud.bigquery.Client``.
        dataset: The dataset tables go to by default (``project.dataset`` or ``dataset``).
    """

    def __init__(self, client: Any, dataset: str) -> None:
        self.client = client
        self.dataset = dataset

    def table_for(self, context: OutputContext) -> str:
        """The table of an output: named by its metadata, else ``<dataset>.<step>_<output>``."""
        named = context.metadata.get("table")
        if named:
            table = named if "." in named else f"{self.dataset}.{named}"
            return parse_table(table, f'the metadata "table" of output "{context.name}"')
        name = f"{_identifier(str(context.step_key))}_{_identifier(str(context.name))}"
        if context.mapping_key is not None:
            name += f"_{_identifier(str(context.mapping_key))}"
        return f"{self.dataset}.{name}"

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        import pandas as pd
        from google.cloud import bigquery

        if not isinstance(obj, pd.DataFrame):
            raise BigQueryError(
                f'Output "{context.name}" of step "{context.step_key}" is a '
                f"{type(obj).__name__}; bigquery_pandas_io_manager stores pandas DataFrames. "
                "Give the output another IO manager (OutputDefinition(io_manager_key=...)).")
        table = self.table_for(context)
        field = context.metadata.get("partition_field")
        if field is not None and field not in obj.columns:
            raise BigQueryError(
                f'Output "{context.name}" of step "{context.step_key}" is partitioned by '
                f'"{field}" (its metadata partition_field), but the DataFrame has no such '
                f"column; it has {', '.join(map(str, obj.columns))}.")
        # Rows go to a staging table first: a load that fails leaves the table as it was.
        staging = f"{table}__staging_{uuid.uuid4().hex[:12]}"
        job_config = bigquery.LoadJobConfig(source_format="NEWLINE_DELIMITED_JSON",
                                            schema=bigquery_schema(obj),
                                            write_disposition="WRITE_TRUNCATE")
        load_file(self.client, io.BytesIO(_ndjson(obj)), staging, job_config, _PLACE,
                  f'storing output "{context.name}" of step "{context.step_key}" in {table}')
        try:
            if field is not None and self._exists(table):
                self._replace_partitions(obj, table, field, staging)
            else:
                run_query(self.client, f"CREATE OR REPLACE TABLE `{table}` AS "
                                       f"SELECT * FROM `{staging}`", _PLACE)
        finally:
            call(self.client, _PLACE, f"deleting {staging}", "delete_table", staging,
                 not_found_ok=True)
        if context.log is not None:
            context.log.debug(f"Stored {len(obj)} rows in {table}.")

    def _exists(self, table: str) -> bool:
        from google.api_core import exceptions as api

        try:
            call(self.client, _PLACE, f"looking up {table}", "get_table", table)
        except BigQueryError as error:
            if isinstance(error.__cause__, api.NotFound):
                return False
            raise
        return True

    def _replace_partitions(self, df: Any, table: str, field: str, staging: str) -> None:
        columns = ", ".join(f"`{name}`" for name in df.columns)
        run_query(self.client, f"DELETE FROM `{table}` WHERE `{field}` IN "
                               f"(SELECT DISTINCT `{field}` FROM `{staging}`)", _PLACE)
        run_query(self.client, f"INSERT INTO `{table}` ({columns}) "
                               f"SELECT {columns} FROM `{staging}`", _PLACE)

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None, "the BigQuery IO manager loads upstream outputs"
        table = self.table_for(upstream)
        rows = run_query(self.client, f"SELECT * FROM `{table}`", _PLACE)
        return to_dataframe(rows)


@io_manager(
    config_schema={
        "dataset": Field(StringSource, description="The dataset output tables go to "
                                                   "(project.dataset, or dataset in the "
                                                   "client's project)."),
    },
    required_resource_keys={BIGQUERY_RESOURCE_KEY},
    description="Writes pandas DataFrame outputs to BigQuery tables <dataset>.<step>_<output> "
                "(or the table named by the output's metadata) with load jobs, and reads "
                "them back for downstream inputs.",
)
def bigquery_pandas_io_manager(init_context):
    """A BigQueryPandasIOManager using the ``bigquery`` resource's client."""
    dataset = parse_dataset(init_context.resource_config["dataset"],
                            "resources.io_manager.config.dataset")
    return BigQueryPandasIOManager(init_context.resources.bigquery, dataset)
