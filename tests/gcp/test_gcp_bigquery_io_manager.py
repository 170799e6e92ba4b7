"""bigquery_pandas_io_manager: DataFrame outputs as BigQuery tables, read back downstream,
in this process, in worker processes and in re-executions; partitioned outputs replace only
their partitions."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from gcp_pipelines import CALLS_ENV, calls, daily_sales_pipeline, orders_pipeline
from gcp_stand_ins import rows

from headwater import (
    build_output_context,
    execute_pipeline,
    reconstructable,
    reexecute_pipeline,
)
from headwater.instance import instance_for_test
from headwater_gcp import BigQueryError, BigQueryPandasIOManager


@pytest.fixture
def bq_run_config(bq, dataset):
    return {"resources": {"io_manager": {"config": {"dataset": dataset}},
                          "bigquery": {"config": {"timeout_seconds": 15.0}}}}


@pytest.fixture
def calls_file(tmp_path, monkeypatch):
    path = tmp_path / "calls.txt"
    monkeypatch.setenv(CALLS_ENV, str(path))
    return path


def test_each_output_is_a_table_named_after_its_step_and_output(bq_client, dataset,
                                                                bq_run_config):
    result = execute_pipeline(orders_pipeline, run_config=bq_run_config)
    assert result.success
    assert rows(bq_client, f"SELECT region, amount FROM `{dataset}.region_totals_result` "
                           "ORDER BY region") == [{"region": "north", "amount": 13.75},
                                                  {"region": "south", "amount": 20.0}]
    assert len(rows(bq_client, f"SELECT * FROM `{dataset}.orders_result`")) == 3


def test_downstream_steps_read_the_upstream_table_as_a_dataframe(bq_run_config):
    result = execute_pipeline(orders_pipeline, run_config=bq_run_config)
    totals = result.output_for_solid("region_totals")
    assert isinstance(totals, pd.DataFrame)
    assert totals.to_dict("records") == [{"region": "north", "amount": 13.75},
                                         {"region": "south", "amount": 20.0}]


def test_a_second_run_replaces_the_table(bq_client, dataset, bq_run_config):
    execute_pipeline(orders_pipeline, run_config=bq_run_config)
    execute_pipeline(orders_pipeline, run_config=bq_run_config)
    assert len(rows(bq_client, f"SELECT * FROM `{dataset}.orders_result`")) == 3


def test_the_multiprocess_executor_passes_dataframes_between_workers_through_bigquery(
        bq_run_config):
    run_config = {**bq_run_config, "execution": {"multiprocess": {}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(orders_pipeline), run_config=run_config,
                                  instance=instance)
    assert result.success
    assert result.output_for_solid("region_totals")["amount"].tolist() == [13.75, 20.0]


def test_reexecution_from_failure_reads_the_parents_table(bq_run_config, calls_file):
    failing = {**bq_run_config, "solids": {"region_totals": {"config": {"fail": True}}}}
    with instance_for_test() as instance:
        parent = execute_pipeline(orders_pipeline, run_config=failing, instance=instance,
                                  raise_on_error=False)
        assert not parent.success
        child = reexecute_pipeline(orders_pipeline, parent.run_id, run_config=bq_run_config,
                                   instance=instance, from_failure=True)
    assert child.success
    assert calls(calls_file) == ["orders", "region_totals", "region_totals"]


def test_a_partitioned_output_replaces_only_its_partition(bq_client, dataset, bq_run_config):
    def run(day: str) -> None:
        config = {**bq_run_config, "solids": {"daily_sales": {"config": {"day": day}}}}
        assert execute_pipeline(daily_sales_pipeline, run_config=config).success

    run("2024-01-01")
    run("2024-01-02")
    run("2024-01-01")  # again: replaces that day's rows, keeps the other day's
    assert rows(bq_client, f"SELECT day, COUNT(*) AS n, SUM(sold) AS sold "
                           f"FROM `{dataset}.daily_sales` GROUP BY day ORDER BY day") == [
        {"day": "2024-01-01", "n": 2, "sold": 30}, {"day": "2024-01-02", "n": 2, "sold": 30}]
    tables = {t.table_id for t in bq_client.list_tables(dataset)}
    assert tables == {"daily_sales"}  # no staging table is left behind


def test_an_output_that_is_not_a_dataframe_is_refused_naming_the_fix(bq_client, dataset):
    manager = BigQueryPandasIOManager(bq_client, dataset)
    with pytest.raises(BigQueryError, match="is a list; bigquery_pandas_io_manager stores "
                                            "pandas DataFrames"):
        manager.handle_output(build_output_context(step_key="s", name="result"), [1])


def test_a_dataframe_that_cannot_be_written_leaves_the_table_as_it_was(bq_client, dataset):
    manager = BigQueryPandasIOManager(bq_client, dataset)
    context = build_output_context(step_key="s", name="result")
    manager.handle_output(context, pd.DataFrame({"n": [1, 2]}))
    with pytest.raises(BigQueryError, match='Column "n" has dtype complex128'):
        manager.handle_output(context, pd.DataFrame({"n": [1j]}))
    assert rows(bq_client, f"SELECT n FROM `{dataset}.s_result` ORDER BY n") == [
        {"n": 1}, {"n": 2}]


def test_a_missing_dataset_is_named_with_the_table_being_written(bq_client):
    manager = BigQueryPandasIOManager(bq_client, "headwater-test.no_such_dataset")
    with pytest.raises(BigQueryError, match=re.escape(
            'storing output "result" of step "s" in headwater-test.no_such_dataset.s_result')):
        manager.handle_output(build_output_context(step_key="s", name="result"),
                              pd.DataFrame({"n": [1]}))
