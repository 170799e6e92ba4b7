"""BigQuery config types and calls: the enums and ``Table``/``Dataset`` names of job config,
job configs built from solid config, and queries and loads bounded by the client's timeout
with errors that show the query and BigQuery's message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from headwater import Enum, EnumValue, Field, HeadwaterInvalidConfigError, Noneable, Permissive
from headwater_gcp.clients import endpoint_of, timeout_of
from headwater_gcp.errors import BigQueryError, ConfigPlace, gcp_errors


def _enum(name: str, values: list[str], description: str) -> Enum:
    return Enum(name, [EnumValue(value) for value in values], description=description)


BQCreateDisposition = _enum("BQCreateDisposition", ["CREATE_IF_NEEDED", "CREATE_NEVER"],
                            "Whether a job may create its destination table.")
BQPriority = _enum("BQPriority", ["BATCH", "INTERACTIVE"], "The priority of a query.")
BQSchemaUpdateOption = _enum("BQSchemaUpdateOption",
                             ["ALLOW_FIELD_ADDITION", "ALLOW_FIELD_RELAXATION"],
                             "How a job may change the destination's schema.")
BQWriteDisposition = _enum("BQWriteDisposition", ["WRITE_APPEND", "WRITE_EMPTY", "WRITE_TRUNCATE"],
                           "What a job does with rows already in its destination.")
BQEncoding = _enum("BQEncoding", ["UTF_8", "ISO_8859_1"], "The encoding of loaded files.")
BQSourceFormat = _enum("BQSourceFormat", ["AVRO", "CSV", "DATASTORE_BACKUP",
                                          "NEWLINE_DELIMITED_JSON", "ORC", "PARQUET"],
                       "The format of loaded files.")

_NAME = r"[A-Za-z0-9_\-:.]+"  # a project id may hold ':' and '.' (domain-scoped projects)
_TABLE = re.compile(rf"^(?:({_NAME})\.)?([A-Za-z0-9_]+)\.([A-Za-z0-9_\-$]+)$")
_DATASET = re.compile(rf"^(?:({_NAME})\.)?([A-Za-z0-9_]+)$")

Table = Field(str, description="A table: project.dataset.table (or dataset.table, in the "
                                "client's project).")
Dataset = Field(str, description="A dataset: project.dataset (or dataset, in the client's "
                                  "project).")


def _bad_name(value: str, path: str, kind: str, form: str) -> HeadwaterInvalidConfigError:
    message = (f'Value at path {path} must be a {kind} "{form}", received "{value}". Write '
               f"it as {form} (letters, digits and underscores in each part).")
    return HeadwaterInvalidConfigError(f"Invalid BigQuery {kind} name in {path}.", [message],
                                       value)


def parse_table(value: str, path: str) -> str:
    """``value`` when it is a table name (``[project.]dataset.table``).

    Raises:
        HeadwaterInvalidConfigError: It is not, naming ``path`` (the config path).
    """
    if not _TABLE.match(value):
        raise _bad_name(value, path, "table", "project.dataset.table")
    return value


def parse_dataset(value: str, path: str) -> str:
    """``value`` when it is a dataset name (``[project.]dataset``).

    Raises:
        HeadwaterInvalidConfigError: It is not, naming ``path`` (the config path).
    """
    if not _DATASET.match(value):
        raise _bad_name(value, path, "dataset", "project.dataset")
    return value


_TIME_PARTITIONING = {
    "type": Field(str, default_value="DAY", description="DAY, HOUR, MONTH or YEAR."),
    "expiration_ms": Field(int, is_required=False, description="How long a partition lives."),
    "field": Field(str, is_required=False,
                   description="The column partitioned on (default: ingestion time)."),
    "require_partition_filter": Field(bool, is_required=False,
                                      description="Refuse queries without a partition filter."),
}

QUERY_JOB_CONFIG = {
    "allow_large_results": Field(bool, is_required=False),
    "clustering_fields": Field([str], is_required=False),
    "create_disposition": Field(BQCreateDisposition, is_required=False),
    "default_dataset": Field(str, is_required=False,
                             description="The dataset of unqualified table names "
                                         "(project.dataset)."),
    "destination": Field(str, is_required=False,
                         description="Write the results to this table (project.dataset.table)."),
    "destination_encryption_configuration": Field(str, is_required=False,
                                                  description="A Cloud KMS key name."),
    "dry_run": Field(bool, is_required=False),
    "flatten_results": Field(bool, is_required=False),
    "maximum_billing_tier": Field(int, is_required=False),
    "maximum_bytes_billed": Field(int, is_required=False),
    "priority": Field(BQPriority, is_required=False),
    "query_parameters": Field([Permissive()], is_required=False,
                              description="Each {name, type, value}: a scalar parameter "
                                          "(@name in the query)."),
    "schema_update_options": Field([BQSchemaUpdateOption], is_required=False),
    "time_partitioning": Field(_TIME_PARTITIONING, is_required=False),
    "use_legacy_sql": Field(bool, is_required=False),
    "use_query_cache": Field(bool, is_required=False),
    "write_disposition": Field(BQWriteDisposition, is_required=False),
}

LOAD_JOB_CONFIG = {
    "allow_jagged_rows": Field(bool, is_required=False),
    "allow_quoted_newlines": Field(bool, is_required=False),
    "autodetect": Field(bool, is_required=False),
    "clustering_fields": Field([str], is_required=False),
    "create_disposition": Field(BQCreateDisposition, is_required=False),
    "destination_encryption_configuration": Field(str, is_required=False),
    "destination_table_description": Field(str, is_required=False),
    "destination_table_friendly_name": Field(str, is_required=False),
    "encoding": Field(BQEncoding, is_required=False),
    "field_delimiter": Field(str, is_required=False),
    "ignore_unknown_values": Field(bool, is_required=False),
    "max_bad_records": Field(int, is_required=False),
    "null_marker": Field(str, is_required=False),
    "quote_character": Field(str, is_required=False),
    "schema": Field(Noneable([Permissive()]), is_required=False,
                    description="Each {name, type, mode}: the destination's columns."),
    "schema_update_options": Field([BQSchemaUpdateOption], is_required=False),
    "skip_leading_rows": Field(int, is_required=False),
    "source_format": Field(BQSourceFormat, is_required=False),
    "time_partitioning": Field(_TIME_PARTITIONING, is_required=False),
    "use_avro_logical_types": Field(bool, is_required=False),
    "write_disposition": Field(BQWriteDisposition, is_required=False),
}


def _common(job_config: Any, config: Mapping[str, Any]) -> Mapping[str, Any]:
    from google.cloud import bigquery

    rest = dict(config)
    if "time_partitioning" in rest:
        partitioning = rest.pop("time_partitioning")
        job_config.time_partitioning = bigquery.TimePartitioning(
            type_=partitioning["type"], field=partitioning.get("field"),
            expiration_ms=partitioning.get("expiration_ms"),
            require_partition_filter=partitioning.get("require_partition_filter"))
    if "destination_encryption_configuration" in rest:
        job_config.destination_encryption_configuration = \
            bigquery.EncryptionConfiguration(
                kms_key_name=rest.pop("destination_encryption_configuration"))
    return rest


def query_job_config(config: Mapping[str, Any] | None) -> Any:
    """A ``bigquery.QueryJobConfig`` from the ``query_job_config`` of solid config."""
    from google.cloud import bigquery

    job_config = bigquery.QueryJobConfig()
    rest = dict(_common(job_config, config or {}))
    parameters = rest.pop("query_parameters", None)
    if parameters:
        job_config.query_parameters = [
            bigquery.ScalarQueryParameter(p.get("name"), p.get("type", "STRING"), p.get("value"))
            for p in parameters]
    for name, value in rest.items():
        setattr(job_config, name, value)
    return job_config


def load_job_config(config: Mapping[str, Any] | None) -> Any:
    """A ``bigquery.LoadJobConfig`` from the ``load_job_config`` of solid config."""
    from google.cloud import bigquery

    job_config = bigquery.LoadJobConfig()
    rest = dict(_common(job_config, config or {}))
    schema = rest.pop("schema", None)
    if schema:
        job_config.schema = [bigquery.SchemaField(f["name"], f.get("type", "STRING"),
                                                  mode=f.get("mode", "NULLABLE"))
                             for f in schema]
    table_description = rest.pop("destination_table_description", None)
    if table_description is not None:
        job_config.destination_table_description = table_description
    for name, value in rest.items():
        setattr(job_config, name, value)
    return job_config


def _retries(client: Any) -> dict[str, Any]:
    from google.cloud import bigquery

    timeout = timeout_of(client)
    return {"retry": bigquery.DEFAULT_RETRY.with_timeout(timeout), "timeout": timeout}


def _details(client: Any) -> dict[str, Any]:
    return {"endpoint": endpoint_of(client), "timeout": timeout_of(client)}


def _job_message(error: Any) -> str:
    errors = getattr(error, "errors", None) or []
    messages = [e.get("message", "") for e in errors if isinstance(e, dict)]
    return "; ".join(m for m in messages if m) or getattr(error, "message", str(error))


def run_query(client: Any, sql: str, place: ConfigPlace, job_config: Any = None) -> Any:
    """Run ``sql`` and wait for it; the ``RowIterator`` of its results.

    Raises:
        BigQueryError: BigQuery refused the query (the message shows the query and
            BigQuery's reason).
        GcpEndpointUnreachableError: Nothing answered within the client's timeout.
    """
    from google.api_core import exceptions as api

    with gcp_errors("running a BigQuery query", place, **_details(client)):
        try:
            # job_retry would re-run a failed query for ten minutes, sleeping past any
            # shorter timeout: a failed query is reported instead (re-running a step is
            # the job of its RetryPolicy).
            job = client.query(sql, job_config=job_config, job_retry=None,
                               **_retries(client))
            return job.result(job_retry=None, **_retries(client))
        except (api.BadRequest, api.NotFound, api.Forbidden) as error:
            # Forbidden included: BigQuery answers so for a table the query cannot see.
            raise BigQueryError(
                f"BigQuery refused the query {sql!r} ({place.owner}): {_job_message(error)}. "
                "Fix the query, or create the tables it reads.") from error


def load_file(client: Any, file_obj: Any, destination: str, job_config: Any,
              place: ConfigPlace, action: str) -> Any:
    """Load a file (an open binary file) into ``destination`` and wait for the job."""
    from google.api_core import exceptions as api

    with gcp_errors(action, place, **_details(client)):
        try:
            # load_table_from_file takes no retry: the upload is retried by the library's
            # resumable-media layer, bounded by the timeout.
            job = client.load_table_from_file(file_obj, destination, job_config=job_config,
                                              timeout=timeout_of(client))
            return job.result(**_retries(client))
        except (api.BadRequest, api.NotFound) as error:
            raise BigQueryError(
                f"BigQuery refused {action} ({place.owner}): {_job_message(error)}. Check "
                "that the dataset exists and that the data matches the table's schema; the "
                "table is as it was before the load.") from error


def load_uris(client: Any, uris: list[str], destination: str, job_config: Any,
              place: ConfigPlace) -> Any:
    """Load the GCS files ``uris`` into ``destination`` and wait for the job."""
    from google.api_core import exceptions as api

    action = f"loading {', '.join(uris)} into {destination}"
    with gcp_errors(action, place, **_details(client)):
        try:
            job = client.load_table_from_uri(uris, destination, job_config=job_config,
                                             **_retries(client))
            return job.result(**_retries(client))
        except (api.BadRequest, api.NotFound) as error:
            raise BigQueryError(f"BigQuery refused {action} ({place.owner}): "
                                f"{_job_message(error)}.") from error


def call(client: Any, place: ConfigPlace, action: str, method: str, *args: Any,
         **kwargs: Any) -> Any:
    """``client.<method>(*args, **kwargs)`` bounded by the client's timeout, errors
    translated (a missing dataset becomes a :class:`BigQueryError`)."""
    from google.api_core import exceptions as api

    with gcp_errors(action, place, **_details(client)):
        try:
            return getattr(client, method)(*args, **kwargs, **_retries(client))
        except (api.NotFound, api.Conflict, api.BadRequest) as error:
            raise BigQueryError(f"BigQuery refused {action} ({place.owner}): "
                                f"{_job_message(error)}.") from error


def to_dataframe(rows: Any) -> Any:
    """The pandas DataFrame of a query's ``RowIterator`` (read over REST, page by page)."""
    import warnings

    with warnings.catch_warnings():
        # google-cloud-bigquery points DataFrame users at pandas-gbq, a package this one
        # does not need: the client's own conversion is what it uses.
        warnings.filterwarnings("ignore", message=".*pandas.gbq.*", category=Warning)
        warnings.filterwarnings("ignore", message=".*pandas-gbq.*", category=Warning)
        return rows.to_dataframe(create_bqstorage_client=False)
