"""snowflake_pandas_io_manager. Writes use write_pandas, which uploads files to a stage:
only fakesnow's patch mode (in-process, on DuckDB) supports that, so these tests run
there; loading a table the server holds goes through the real connector over HTTP."""

from __future__ import annotations

import pandas as pd
import pytest

from headwater import (
    Field,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater_snowflake import (
    SnowflakeConnection,
    SnowflakeTableNotFoundError,
    snowflake_pandas_io_manager,
    snowflake_resource,
)

MODE = ModeDefinition(resource_defs={"io_manager": snowflake_pandas_io_manager,
                                     "snowflake": snowflake_resource})


def every_type() -> pd.DataFrame:
    return pd.DataFrame({
        "id": pd.Series([1, 2, 3], dtype="int64"),
        "score": pd.Series([1.5, None, -2.25], dtype="float64"),
        "name": pd.Series(["a", None, "c"], dtype="object"),
        "seen_at": pd.Series(pd.to_datetime(["2024-01-01T10:00:00Z", None,
                                             "2024-06-30T23:59:59Z"], utc=True)),
        "active": pd.Series([True, False, True], dtype="bool"),
        "maybe": pd.Series([True, None, False], dtype="boolean"),
        "count": pd.Series([7, None, 9], dtype="Int64"),
    })


def writes(frame_fn, metadata=None, name="orders"):
    """A pipeline whose solid ``name`` outputs ``frame_fn(config)`` and whose solid
    ``copy`` loads it back (and outputs it, kept in memory)."""

    @solid(name=name, config_schema={"n": Field(int, default_value=0)},
           output_defs=[OutputDefinition(metadata=metadata or {})])
    def produce(context):
        return frame_fn(context.solid_config["n"])

    @solid(output_defs=[OutputDefinition(io_manager_key="mem")])
    def copy(frame):
        return frame

    from headwater import mem_io_manager

    mode = ModeDefinition(resource_defs={**MODE.resource_defs, "mem": mem_io_manager})

    @pipeline(mode_defs=[mode])
    def write_and_read():
        copy(produce())

    return write_and_read


def run(pipe, config, **more):
    run_config = {"resources": {"snowflake": {"config": config}}, **more}
    return execute_pipeline(pipe, run_config=run_config, raise_on_error=False)


def table(config, sql):
    return SnowflakeConnection(config).execute_query(sql, fetch_results=True,
                                                     use_pandas_result=True)


def test_every_column_type_round_trips_with_its_nulls(patched_snowflake):
    result = run(writes(lambda _: every_type()), patched_snowflake)
    assert result.success
    pd.testing.assert_frame_equal(result.output_for_solid("copy"), every_type(),
                                  check_dtype=True, check_exact=True,
                                  check_datetimelike_compat=True)


def test_the_table_is_named_after_the_solid_in_the_resources_database_and_schema(
        patched_snowflake):
    assert run(writes(lambda _: every_type()), patched_snowflake).success
    assert len(table(patched_snowflake, "SELECT * FROM warehouse.analytics.orders")) == 3


def test_output_metadata_names_the_database_schema_and_table(patched_snowflake):
    SnowflakeConnection(patched_snowflake).execute_query("CREATE SCHEMA warehouse.marts")
    pipe = writes(lambda _: every_type(), metadata={"table": "warehouse.marts.daily_orders"})
    assert run(pipe, patched_snowflake).success
    assert len(table(patched_snowflake, "SELECT * FROM warehouse.marts.daily_orders")) == 3


def test_a_second_run_replaces_the_tables_rows(patched_snowflake):
    pipe = writes(lambda n: pd.DataFrame({"id": list(range(n))}))
    assert run(pipe, patched_snowflake, solids={"orders": {"config": {"n": 5}}}).success
    assert run(pipe, patched_snowflake, solids={"orders": {"config": {"n": 2}}}).success
    assert table(patched_snowflake, "SELECT id FROM orders ORDER BY id")["id"].tolist() == [0, 1]


def daily(day: str) -> pd.DataFrame:
    return pd.DataFrame({"day": pd.to_datetime([f"{day}T01:00:00Z", f"{day}T02:00:00Z"],
                                               utc=True),
                         "amount": [1.0, 2.0], "note": [day, day]})


def partitioned(day_frame):
    return writes(lambda _: day_frame, metadata={"partition_expr": "day"})


def partition_config(start, end):
    return {"orders": {"outputs": {"result": {"partition": {"start": start, "end": end}}}}}


def test_a_partitioned_output_replaces_only_its_partitions_rows(patched_snowflake):
    for day in ("2024-01-01", "2024-01-02"):
        assert run(partitioned(daily(day)), patched_snowflake,
                   solids=partition_config(day, f"{day[:-2]}{int(day[-2:]) + 1:02d}")).success
    changed = daily("2024-01-02").assign(amount=[10.0, 20.0])
    result = run(partitioned(changed), patched_snowflake,
                 solids=partition_config("2024-01-02", "2024-01-03"))
    assert result.success
    # A downstream input loads the whole table.
    assert len(result.output_for_solid("copy")) == 4
    rows = table(patched_snowflake, "SELECT note, amount FROM orders ORDER BY day")
    assert rows["amount"].tolist() == [1.0, 2.0, 10.0, 20.0]


def test_rows_outside_the_partition_fail_the_step_and_write_nothing(patched_snowflake):
    assert run(partitioned(daily("2024-01-01")), patched_snowflake,
               solids=partition_config("2024-01-01", "2024-01-02")).success
    result = run(partitioned(daily("2024-01-05")), patched_snowflake,
                 solids=partition_config("2024-01-01", "2024-01-02"))
    assert not result.success
    error = result.result_for_solid("orders").failure_data.error
    assert "2 rows of the DataFrame of output \"result\" of step \"orders\"" in error.message
    assert table(patched_snowflake, "SELECT note FROM orders")["note"].tolist() == \
        ["2024-01-01"] * 2


def test_columns_that_do_not_match_the_table_fail_the_step_and_keep_its_rows(
        patched_snowflake):
    assert run(writes(lambda _: pd.DataFrame({"id": [1], "amount": [2.0]})),
               patched_snowflake).success
    result = run(writes(lambda _: pd.DataFrame({"id": [9], "total": [2.0]})), patched_snowflake)
    assert not result.success
    error = result.result_for_solid("orders").failure_data.error
    assert error.cls_name == "SnowflakeTableMismatchError"
    assert 'output "result" of step "orders" (table WAREHOUSE.ANALYTICS.ORDERS)' in \
        error.message
    assert "missing AMOUNT; not in the table TOTAL" in error.message
    assert table(patched_snowflake, "SELECT id FROM orders")["id"].tolist() == [1]


def test_a_write_that_fails_part_way_keeps_the_previous_rows(patched_snowflake):
    assert run(writes(lambda _: pd.DataFrame({"id": [1, 2]})), patched_snowflake).success
    result = run(writes(lambda _: pd.DataFrame({"id": ["three", "four"]})), patched_snowflake)
    assert not result.success
    assert table(patched_snowflake, "SELECT id FROM orders ORDER BY id")["id"].tolist() == [1, 2]


def test_a_value_that_is_not_a_dataframe_is_refused_with_the_output_named(patched_snowflake):
    result = run(writes(lambda _: [1, 2, 3]), patched_snowflake)
    error = result.result_for_solid("orders").failure_data.error
    assert 'output "result" of step "orders" is a list' in error.message


def test_a_column_name_that_is_not_an_identifier_is_refused(patched_snowflake):
    result = run(writes(lambda _: pd.DataFrame({"order id": [1]})), patched_snowflake)
    error = result.result_for_solid("orders").failure_data.error
    assert "Column 'order id' of the DataFrame" in error.message


def test_loading_a_table_that_does_not_exist_names_the_step_that_writes_it(snowflake_config):
    from headwater import build_input_context, build_output_context
    from headwater_snowflake import SnowflakePandasIOManager

    manager = SnowflakePandasIOManager(SnowflakeConnection(snowflake_config),
                                       snowflake_config["database"], "analytics")
    upstream = build_output_context(step_key="orders", name="result")
    with pytest.raises(SnowflakeTableNotFoundError, match='Run the step "orders"'):
        manager.load_input(build_input_context(name="frame", upstream_output=upstream))


def test_an_input_loads_a_table_through_the_real_connector(snowflake_config):
    from headwater import build_input_context, build_output_context
    from headwater_snowflake import SnowflakePandasIOManager

    connection = SnowflakeConnection(snowflake_config)
    connection.execute_queries([
        "CREATE TABLE orders (id INT, region TEXT, amount FLOAT, paid BOOLEAN)",
        "INSERT INTO orders VALUES (1, 'north', 9.5, TRUE), (2, NULL, 20.0, FALSE)",
    ])
    manager = SnowflakePandasIOManager(connection, snowflake_config["database"], "analytics")
    upstream = build_output_context(step_key="orders", name="result")
    frame = manager.load_input(build_input_context(name="frame", upstream_output=upstream))
    expected = pd.DataFrame({"id": [1, 2], "region": ["north", None], "amount": [9.5, 20.0],
                             "paid": [True, False]})
    pd.testing.assert_frame_equal(frame.sort_values("id").reset_index(drop=True), expected)


def test_an_output_to_a_schema_that_does_not_exist_fails_the_step_with_the_statement(
        patched_snowflake):
    pipe = writes(lambda _: every_type(), metadata={"table": "warehouse.nowhere.orders"})
    result = run(pipe, patched_snowflake)
    error = result.result_for_solid("orders").failure_data.error
    assert error.cls_name == "SnowflakeQueryError"
    assert 'Storing output "result" of step "orders" (table WAREHOUSE.NOWHERE.ORDERS) ' \
        'failed.' in error.message
    assert "Schema with name NOWHERE does not exist" in error.message


def test_each_value_of_a_dynamic_output_has_a_table_of_its_own(patched_snowflake):
    from headwater import DynamicOutput, DynamicOutputDefinition

    @solid(output_defs=[DynamicOutputDefinition()])
    def regions():
        for region in ("north", "south"):
            yield DynamicOutput(pd.DataFrame({"region": [region]}), mapping_key=region)

    @pipeline(mode_defs=[MODE])
    def fan_out():
        regions()

    assert run(fan_out, patched_snowflake).success
    for region in ("north", "south"):
        frame = table(patched_snowflake, f"SELECT region FROM regions_{region}")
        assert frame["region"].tolist() == [region]
