"""bigquery_resource and the BigQuery solids, against bqemulator (and the GCS emulator for
loads from gs:// URIs)."""

from __future__ import annotations

import pandas as pd
import pytest
from gcp_stand_ins import PROJECT, rows

from headwater import (
    HeadwaterInvalidConfigError,
    ModeDefinition,
    execute_pipeline,
    execute_solid,
    pipeline,
    solid,
)
from headwater_gcp import (
    BigQueryError,
    bigquery_resource,
    bq_create_dataset,
    bq_delete_dataset,
    bq_solid_for_queries,
    import_df_to_bq,
    import_file_to_bq,
    import_gcs_paths_to_bq,
)
from headwater_gcp.bigquery import to_dataframe

MODE = ModeDefinition(resource_defs={"bigquery": bigquery_resource})
RESOURCES = {"bigquery": {"config": {"timeout_seconds": 15.0}}}


def run_solid(solid_def, config=None, input_values=None, raise_on_error=True):
    return execute_solid(solid_def, mode_def=MODE, input_values=input_values,
                         run_config={"resources": RESOURCES,
                                     "solids": {solid_def.name: {"config": config or {}}}},
                         raise_on_error=raise_on_error)


def step_error(result) -> str:
    return str(result.failure_data.error.message)


def test_bq_solid_for_queries_outputs_one_dataframe_per_query(bq):
    queries = ["SELECT 1 AS n, 'a' AS s", "SELECT 2.5 AS x UNION ALL SELECT 3.5 AS x"]
    result = run_solid(bq_solid_for_queries(queries))
    first, second = result.output_value()
    assert isinstance(first, pd.DataFrame)
    assert first.to_dict("records") == [{"n": 1, "s": "a"}]
    assert sorted(second["x"]) == [2.5, 3.5]


def test_bq_solid_for_queries_is_named_after_its_queries_and_tagged_sql(bq):
    solid_def = bq_solid_for_queries(["SELECT 1"])
    assert solid_def.name.startswith("bq_solid_") and len(solid_def.name) == 19
    assert solid_def.tags == {"kind": "sql", "sql": "SELECT 1"}


def test_query_job_config_sets_the_default_dataset_and_query_parameters(bq_client, dataset):
    bq_client.query(f"CREATE TABLE `{dataset}.numbers` AS SELECT 21 AS n").result()
    solid_def = bq_solid_for_queries(["SELECT n * @factor AS doubled FROM numbers"])
    result = run_solid(solid_def, {"query_job_config": {
        "default_dataset": dataset,
        "query_parameters": [{"name": "factor", "type": "INT64", "value": 2}]}})
    assert result.output_value()[0].to_dict("records") == [{"doubled": 42}]


def test_a_query_with_a_syntax_error_fails_showing_the_query_and_bigquerys_message(bq):
    result = run_solid(bq_solid_for_queries(["SELEC 1"]), raise_on_error=False)
    assert not result.success
    message = step_error(result)
    assert "BigQuery refused the query 'SELEC 1'" in message
    assert "Syntax error" in message


def test_bq_create_dataset_and_bq_delete_dataset(bq_client):
    name = f"{PROJECT}.made_by_solid"
    run_solid(bq_create_dataset, {"dataset": name})
    assert bq_client.get_dataset(name).dataset_id == "made_by_solid"
    run_solid(bq_delete_dataset, {"dataset": name, "delete_contents": True})
    assert name not in {f"{d.project}.{d.dataset_id}" for d in bq_client.list_datasets()}


def test_creating_a_dataset_that_exists_fails_unless_exists_ok(bq, dataset):
    assert run_solid(bq_create_dataset, {"dataset": dataset, "exists_ok": True}).success
    result = run_solid(bq_create_dataset, {"dataset": dataset}, raise_on_error=False)
    assert f"BigQuery refused creating dataset {dataset}" in step_error(result)


def test_deleting_a_missing_dataset_fails_unless_not_found_ok(bq):
    name = f"{PROJECT}.never_made"
    assert run_solid(bq_delete_dataset, {"dataset": name, "not_found_ok": True}).success
    result = run_solid(bq_delete_dataset, {"dataset": name}, raise_on_error=False)
    assert f"BigQuery refused deleting dataset {name}" in step_error(result)


def test_a_malformed_table_name_is_a_config_error_naming_its_path(bq):
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        run_solid(import_file_to_bq, {"destination": "just_a_table"},
                  input_values={"path": "unused.csv"})
    assert ('Value at path solids.import_file_to_bq.config.destination must be a table '
            '"project.dataset.table", received "just_a_table"') in str(raised.value)


def test_import_df_to_bq_loads_the_dataframe_with_a_schema_from_its_dtypes(bq_client, dataset):
    df = pd.DataFrame({"name": ["a", "b"], "n": [1, 2], "price": [1.5, None],
                       "ok": [True, False],
                       "at": pd.to_datetime(["2024-01-01T10:00:00Z", "2024-01-02T11:30:00Z"])})
    run_solid(import_df_to_bq, {"destination": f"{dataset}.frame"}, input_values={"df": df})
    # BigQuery names some types two ways (INT64 or INTEGER): compare the standard names.
    standard = {"INTEGER": "INT64", "FLOAT": "FLOAT64", "BOOLEAN": "BOOL"}
    types = {f.name: standard.get(f.field_type, f.field_type)
             for f in bq_client.get_table(f"{dataset}.frame").schema}
    assert types == {"name": "STRING", "n": "INT64", "price": "FLOAT64", "ok": "BOOL",
                     "at": "TIMESTAMP"}
    back = to_dataframe(bq_client.query(f"SELECT * FROM `{dataset}.frame` ORDER BY n").result())
    assert back["name"].tolist() == ["a", "b"]
    assert back["at"].tolist() == df["at"].tolist()


def test_import_file_to_bq_loads_a_local_csv(bq_client, dataset, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("id,total\n1,9.5\n2,3.25\n")
    run_solid(import_file_to_bq, {"destination": f"{dataset}.orders", "load_job_config": {
        "source_format": "CSV", "skip_leading_rows": 1,
        "schema": [{"name": "id", "type": "INT64"}, {"name": "total", "type": "FLOAT64"}]}},
        input_values={"path": str(path)})
    assert rows(bq_client, f"SELECT * FROM `{dataset}.orders` ORDER BY id") == [
        {"id": 1, "total": 9.5}, {"id": 2, "total": 3.25}]


def test_import_gcs_paths_to_bq_loads_files_written_to_gcs(bq_client, dataset, storage_client,
                                                           bucket):
    storage_client.bucket(bucket).blob("in/a.csv").upload_from_string("id,total\n1,9.5\n")
    storage_client.bucket(bucket).blob("in/b.csv").upload_from_string("id,total\n2,1.0\n")
    run_solid(import_gcs_paths_to_bq, {"destination": f"{dataset}.from_gcs", "load_job_config": {
        "source_format": "CSV", "skip_leading_rows": 1, "autodetect": True}},
        input_values={"paths": [f"gs://{bucket}/in/a.csv", f"gs://{bucket}/in/b.csv"]})
    assert rows(bq_client, f"SELECT * FROM `{dataset}.from_gcs` ORDER BY id") == [
        {"id": 1, "total": 9.5}, {"id": 2, "total": 1.0}]


@solid(required_resource_keys={"bigquery"})
def dataset_count(context) -> int:
    return len(list(context.resources.bigquery.list_datasets()))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"bigquery": "bigquery_resource"})])
def count_pipeline():
    dataset_count()


def test_bigquery_resource_is_a_client_bound_by_its_plugin_name(bq, dataset):
    result = execute_pipeline(count_pipeline)
    assert result.output_for_solid("dataset_count") >= 1


def test_loading_into_a_missing_dataset_names_the_table_and_keeps_nothing_half_written(
        bq, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id\n1\n")
    with pytest.raises(BigQueryError, match=f"loading {path} into {PROJECT}.no_dataset.t"):
        run_solid(import_file_to_bq, {"destination": f"{PROJECT}.no_dataset.t",
                                      "load_job_config": {"source_format": "CSV"}},
                  input_values={"path": str(path)})
