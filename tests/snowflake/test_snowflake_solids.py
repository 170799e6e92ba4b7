"""snowflake_solid_for_query: one statement per solid, against the fakesnow server."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from headwater import ModeDefinition, execute_pipeline, pipeline
from headwater.cli import cli
from headwater_snowflake import snowflake_resource, snowflake_solid_for_query

MODE = ModeDefinition(resource_defs={"snowflake": snowflake_resource})


def run(pipe, config):
    return execute_pipeline(pipe, run_config={"resources": {"snowflake": {"config": config}}},
                            raise_on_error=False)


def test_the_solid_is_tagged_as_sql_and_requires_the_snowflake_resource():
    query = snowflake_solid_for_query("SELECT 1", name="one")
    assert query.tags == {"kind": "sql", "sql": "SELECT 1"}
    assert query.required_resource_keys == {"snowflake"}
    assert [i.name for i in query.input_defs] == ["start"]


def test_statements_run_in_the_order_their_start_inputs_give(snowflake_config):
    create = snowflake_solid_for_query("CREATE TABLE orders (id INT)", name="create")
    insert = snowflake_solid_for_query("INSERT INTO orders VALUES (%s)", parameters=(7,),
                                       name="insert")
    count = snowflake_solid_for_query("SELECT COUNT(*), MAX(id) FROM orders", name="count",
                                      output="rows")

    @pipeline(mode_defs=[MODE])
    def ordered():
        count(start=insert(start=create()))

    result = run(ordered, snowflake_config)
    assert result.success
    assert result.output_for_solid("count") == [(1, 7)]


def test_a_dataframe_output_has_lower_case_columns(snowflake_config):
    query = snowflake_solid_for_query("SELECT 1 AS n, 'x' AS label", name="frame",
                                      output="dataframe")

    @pipeline(mode_defs=[MODE])
    def frame():
        query()

    result = run(frame, snowflake_config)
    assert result.output_for_solid("frame").to_dict("records") == [{"n": 1, "label": "x"}]


def test_a_failing_statement_fails_the_solid_with_its_name_and_the_statement(
        snowflake_config):
    broken = snowflake_solid_for_query("SELEC 1", name="broken")

    @pipeline(mode_defs=[MODE])
    def failing():
        broken()

    result = run(failing, snowflake_config)
    error = result.result_for_solid("broken").failure_data.error
    assert error.cls_name == "SnowflakeQueryError"
    assert 'Solid "broken": Snowflake refused the statement' in error.message
    assert "    SELEC 1" in error.message


def test_pipeline_print_verbose_shows_the_statement(tmp_path):
    module = tmp_path / "queries.py"
    module.write_text(
        "from headwater import ModeDefinition, pipeline\n"
        "from headwater_snowflake import snowflake_resource, snowflake_solid_for_query\n"
        "refresh = snowflake_solid_for_query('DELETE FROM stale_orders', name='refresh')\n"
        "@pipeline(mode_defs=[ModeDefinition(resource_defs={'snowflake': snowflake_resource})])\n"
        "def nightly():\n"
        "    refresh()\n")
    result = CliRunner().invoke(cli, ["pipeline", "print", "-f", str(module), "--verbose"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "DELETE FROM stale_orders" in result.output


def test_an_unknown_output_kind_is_refused_when_the_solid_is_made():
    with pytest.raises(ValueError, match="output must be one of none, rows, dataframe"):
        snowflake_solid_for_query("SELECT 1", output="table")
