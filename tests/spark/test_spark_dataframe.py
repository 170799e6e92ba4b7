"""The DataFrame type: an input read from its config (csv, parquet, json, orc, text,
table), an output written by its config; a missing path or a schema that does not match is
an error naming the config."""

from __future__ import annotations

import pytest
from spark_pipelines import read_pipeline, totals_pipeline

from headwater import check_headwater_type, execute_pipeline
from headwater_spark import DataFrame, SparkDataFrameError


@pytest.fixture
def orders_frame(spark_session):
    return spark_session.createDataFrame([(1, "apples", 3.5), (2, "pears", 2.0)],
                                         "id INT, fruit STRING, amount DOUBLE")


def run_config(tmp_path, source: dict) -> dict:
    return {"resources": {"io_manager": {"config": {"base_path": str(tmp_path / "store")}},
                          "values": {"config": {"base_dir": str(tmp_path / "values")}}},
            "solids": {"passthrough": {"inputs": {"orders": source}}}}


def read_back(tmp_path, source: dict) -> list:
    result = execute_pipeline(read_pipeline, run_config=run_config(tmp_path, source))
    assert result.success
    return sorted(tuple(row) for row in result.result_for_solid("passthrough").output_value()
                  .collect())


@pytest.mark.parametrize("fmt", ["parquet", "json", "orc"])
def test_an_input_is_read_from_files_of_a_self_describing_format(fmt, tmp_path, orders_frame):
    orders_frame.write.format(fmt).save(str(tmp_path / "orders"))
    result = execute_pipeline(read_pipeline, run_config=run_config(
        tmp_path, {fmt: {"path": str(tmp_path / "orders")}}))
    frame = result.result_for_solid("passthrough").output_value()
    assert sorted(row["fruit"] for row in frame.collect()) == ["apples", "pears"]


def test_a_csv_input_takes_spark_reader_options_and_a_schema(tmp_path):
    (tmp_path / "orders.csv").write_text("id;fruit;amount\n1;apples;3.5\n2;pears;2.0\n")
    rows = read_back(tmp_path, {"csv": {"path": str(tmp_path / "orders.csv"), "sep": ";",
                                        "header": True,
                                        "schema": "id INT, fruit STRING, amount DOUBLE"}})
    assert rows == [(1, "apples", 3.5), (2, "pears", 2.0)]


def test_a_text_input_has_one_line_per_row(tmp_path):
    (tmp_path / "words.txt").write_text("to be\nor not\n")
    rows = read_back(tmp_path, {"text": {"path": str(tmp_path / "words.txt")}})
    assert rows == [("or not",), ("to be",)]


def test_a_table_input_reads_the_catalog(tmp_path, spark_session, orders_frame):
    orders_frame.createOrReplaceTempView("orders_view")
    rows = read_back(tmp_path, {"table": {"name": "orders_view"}})
    assert len(rows) == 2


def test_a_path_that_does_not_exist_is_named_with_its_config_path(tmp_path, spark_session):
    missing = tmp_path / "no-such-orders"
    with pytest.raises(SparkDataFrameError) as raised:
        execute_pipeline(read_pipeline,
                         run_config=run_config(tmp_path, {"parquet": {"path": str(missing)}}))
    assert str(raised.value).startswith(f"{missing} does not exist "
                                        "(solids.<solid>.inputs.<input>.parquet.path)")


def test_a_schema_that_does_not_match_the_files_names_the_columns(tmp_path, orders_frame):
    orders_frame.write.parquet(str(tmp_path / "orders"))
    result = execute_pipeline(read_pipeline, raise_on_error=False, run_config=run_config(
        tmp_path, {"parquet": {"path": str(tmp_path / "orders"),
                               "schema": "id BIGINT, customer STRING"}}))
    assert not result.success
    message = result.result_for_solid("passthrough").failure_data.error.message
    assert "solids.<solid>.inputs.<input>.parquet.schema" in message
    assert "column 'id' is int, not bigint; no column 'customer'" in message


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "orc"])
def test_an_output_is_also_written_where_its_config_says(fmt, tmp_path, spark_session):
    target = tmp_path / f"totals.{fmt}"
    options = {"path": str(target), **({"header": True} if fmt == "csv" else {})}
    config = {"resources": {"io_manager": {"config": {"base_path": str(tmp_path / "store")}},
                            "values": {"config": {"base_dir": str(tmp_path / "values")}}},
              "solids": {"totals_by_fruit": {"outputs": {"result": {fmt: options}}}}}
    result = execute_pipeline(totals_pipeline, run_config=config)
    assert result.success
    reader = spark_session.read.options(header=True, inferSchema=True).format(fmt)
    written = {row["fruit"]: float(row["total"]) for row in reader.load(str(target)).collect()}
    assert written == {"apples": 5.0, "pears": 2.0}
    (materialization,) = result.result_for_solid("totals_by_fruit").materializations_during_compute
    assert tuple(materialization.asset_key.path[:2]) == ("spark", fmt)


def test_an_output_saved_as_a_table_is_in_the_catalog(tmp_path, spark_session):
    config = {"resources": {"io_manager": {"config": {"base_path": str(tmp_path / "store")}},
                            "values": {"config": {"base_dir": str(tmp_path / "values")}}},
              "solids": {"totals_by_fruit": {"outputs": {"result": {"saveAsTable": {
                  "name": "fruit_totals", "mode": "overwrite"}}}}}}
    assert execute_pipeline(totals_pipeline, run_config=config).success
    assert spark_session.table("fruit_totals").count() == 2


def test_the_type_accepts_dataframes_and_rejects_other_values(orders_frame):
    assert check_headwater_type(DataFrame, orders_frame).success
    assert not check_headwater_type(DataFrame, [(1, "apples")]).success
