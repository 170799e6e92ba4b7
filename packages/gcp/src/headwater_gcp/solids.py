"""Solids that work in BigQuery and on Dataproc.

Each takes its client from a resource by the conventional key (``bigquery``, ``dataproc``).
Table and dataset names in config are checked when the solid starts: a malformed
``project.dataset.table`` fails the step with a config error naming its config path.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Any

from headwater import (
    Field,
    InputDefinition,
    Nothing,
    OutputDefinition,
    Permissive,
    SolidDefinition,
    solid,
)
from headwater_gcp.bigquery import (
    LOAD_JOB_CONFIG,
    QUERY_JOB_CONFIG,
    Dataset,
    Table,
    call,
    load_file,
    load_job_config,
    load_uris,
    parse_dataset,
    parse_table,
    query_job_config,
    run_query,
    to_dataframe,
)
from headwater_gcp.errors import ConfigPlace

_BQ = ConfigPlace('the "bigquery" resource', "resources.bigquery.config")


def _path(context: Any, key: str) -> str:
    return f"solids.{context.solid_handle}.config.{key}"


def bq_solid_for_queries(sql_queries: Sequence[str], name: str | None = None) -> SolidDefinition:
    """A solid that runs ``sql_queries`` in order and outputs their results as a list of
    pandas DataFrames.

    Its name is ``bq_solid_<sha1 of the queries, 10 characters>`` unless given; it takes a
    ``start: Nothing`` input to order it after other solids, requires the ``bigquery``
    resource, and its config ``query_job_config`` sets BigQuery's QueryJobConfig.

    Example:
        >>> totals = bq_solid_for_queries(["SELECT region, SUM(total) FROM sales.orders "
        ...                                "GROUP BY region"])
    """
    queries = list(sql_queries)
    digest = hashlib.sha1("".join(queries).encode("utf-8")).hexdigest()[:10]

    @solid(name=name or f"bq_solid_{digest}",
           input_defs=[InputDefinition("start", Nothing)],
           output_defs=[OutputDefinition(list, description="One DataFrame per query.")],
           config_schema={"query_job_config": Field(QUERY_JOB_CONFIG, is_required=False)},
           required_resource_keys={"bigquery"}, tags={"kind": "sql", "sql": "\n".join(queries)},
           description="Runs BigQuery queries; outputs their results as DataFrames.")
    def _bq_solid(context):
        config = dict(context.solid_config.get("query_job_config") or {})
        if config.get("destination"):
            parse_table(config["destination"], _path(context, "query_job_config.destination"))
        if config.get("default_dataset"):
            parse_dataset(config["default_dataset"],
                          _path(context, "query_job_config.default_dataset"))
        client = context.resources.bigquery
        results = []
        for sql in queries:
            context.log.info(f"Running query: {sql}")
            rows = run_query(client, sql, _BQ, query_job_config(config))
            results.append(to_dataframe(rows))
        return results

    return _bq_solid


@solid(input_defs=[InputDefinition("start", Nothing)],
       config_schema={"dataset": Dataset,
                      "exists_ok": Field(bool, default_value=False,
                                         description="Succeed if the dataset exists.")},
       required_resource_keys={"bigquery"}, description="Creates a BigQuery dataset.")
def bq_create_dataset(context) -> None:
    """Create the dataset ``dataset`` (``project.dataset``)."""
    dataset = parse_dataset(context.solid_config["dataset"], _path(context, "dataset"))
    call(context.resources.bigquery, _BQ, f"creating dataset {dataset}", "create_dataset",
         dataset, exists_ok=context.solid_config["exists_ok"])
    context.log.info(f"Created dataset {dataset}.")


@solid(input_defs=[InputDefinition("start", Nothing)],
       config_schema={"dataset": Dataset,
                      "delete_contents": Field(bool, default_value=False,
                                               description="Delete its tables too."),
                      "not_found_ok": Field(bool, default_value=False,
                                            description="Succeed if it does not exist.")},
       required_resource_keys={"bigquery"}, description="Deletes a BigQuery dataset.")
def bq_delete_dataset(context) -> None:
    """Delete the dataset ``dataset`` (``project.dataset``)."""
    dataset = parse_dataset(context.solid_config["dataset"], _path(context, "dataset"))
    call(context.resources.bigquery, _BQ, f"deleting dataset {dataset}", "delete_dataset",
         dataset, delete_contents=context.solid_config["delete_contents"],
         not_found_ok=context.solid_config["not_found_ok"])
    context.log.info(f"Deleted dataset {dataset}.")


_LOAD_CONFIG = {"destination": Table,
                "load_job_config": Field(LOAD_JOB_CONFIG, is_required=False)}


def _load_settings(context) -> tuple[str, Any]:
    destination = parse_table(context.solid_config["destination"],
                              _path(context, "destination"))
    return destination, load_job_config(context.solid_config.get("load_job_config"))


@solid(input_defs=[InputDefinition("paths", list)],
       output_defs=[OutputDefinition(Nothing)], config_schema=_LOAD_CONFIG,
       required_resource_keys={"bigquery"},
       description="Loads files in GCS (gs:// URIs) into a BigQuery table.")
def import_gcs_paths_to_bq(context, paths: list) -> None:
    """Load the ``gs://`` files ``paths`` into ``destination`` with one load job."""
    destination, job_config = _load_settings(context)
    load_uris(context.resources.bigquery, list(paths), destination, job_config, _BQ)
    context.log.info(f"Loaded {len(paths)} file(s) into {destination}.")


@solid(input_defs=[InputDefinition("df", description="A pandas DataFrame.")],
       output_defs=[OutputDefinition(Nothing)], config_schema=_LOAD_CONFIG,
       required_resource_keys={"bigquery"},
       description="Loads a pandas DataFrame into a BigQuery table.")
def import_df_to_bq(context, df) -> None:
    """Load the DataFrame ``df`` into ``destination`` (newline-delimited JSON, with a schema
    from its dtypes unless ``load_job_config.schema`` gives one)."""
    from headwater_gcp.bigquery_io_manager import _ndjson, bigquery_schema

    destination, job_config = _load_settings(context)
    job_config.source_format = "NEWLINE_DELIMITED_JSON"
    if not job_config.schema:
        job_config.schema = bigquery_schema(df)
    load_file(context.resources.bigquery, io.BytesIO(_ndjson(df)), destination, job_config,
              _BQ, f"loading a DataFrame into {destination}")
    context.log.info(f"Loaded {len(df)} rows into {destination}.")


@solid(input_defs=[InputDefinition("path", str)],
       output_defs=[OutputDefinition(Nothing)], config_schema=_LOAD_CONFIG,
       required_resource_keys={"bigquery"},
       description="Loads a local file into a BigQuery table.")
def import_file_to_bq(context, path: str) -> None:
    """Load the local file ``path`` into ``destination`` (its format from
    ``load_job_config.source_format``)."""
    destination, job_config = _load_settings(context)
    with open(path, "rb") as file:
        load_file(context.resources.bigquery, file, destination, job_config, _BQ,
                  f"loading {path} into {destination}")
    context.log.info(f"Loaded {path} into {destination}.")


@solid(config_schema={
           "job_config": Field({
               "job": Field(Permissive(), description="Dataproc's Job, as in its REST API."),
               "projectId": Field(str, is_required=False,
                                  description="Must match the resource's projectId."),
               "region": Field(str, is_required=False,
                               description="Must match the resource's region."),
           }),
           "job_scoped_cluster": Field(bool, default_value=True,
                                       description="Create the cluster before the job and "
                                                   "delete it after."),
           "job_timeout_seconds": Field(float, is_required=False,
                                        description="Give up waiting for the job after this "
                                                    "long (default: the resource's)."),
       },
       required_resource_keys={"dataproc"},
       description="Submits a Dataproc job and waits for it, on a cluster made for it when "
                   "job_scoped_cluster is true.")
def dataproc_solid(context) -> dict:
    """Run one Dataproc job and output the finished job (a dict in the REST API's shape)."""
    dataproc = context.resources.dataproc
    job_config = context.solid_config["job_config"]
    timeout = context.solid_config.get("job_timeout_seconds")

    def run() -> dict:
        job_id = dataproc.submit_job(job_config["job"])["reference"]["jobId"]
        return dataproc.wait_for_job(job_id, timeout=timeout)

    if context.solid_config["job_scoped_cluster"]:
        with dataproc.cluster_context_manager():
            return run()
    return run()
