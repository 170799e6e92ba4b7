"""headwater-snowflake as a plugin: found through its entry point, listed by `headwater
plugins list`, cheap to load, bound by name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater.cli import cli
from headwater.plugins import get_plugin_manager, reset_plugin_manager


@pytest.fixture(autouse=True)
def fresh_plugins():
    reset_plugin_manager()
    yield
    reset_plugin_manager()


def test_the_plugin_is_discovered_through_its_entry_point():
    info = get_plugin_manager().plugins["snowflake"]
    assert (info.status, info.distribution) == ("loaded", "headwater-snowflake")


def test_headwater_plugins_list_shows_everything_it_registers():
    result = CliRunner().invoke(cli, ["plugins", "list", "--json"], catch_exceptions=False)
    (snowflake,) = [row for row in json.loads(result.stdout) if row["name"] == "snowflake"]
    assert snowflake["registers"] == {
        "io_managers": ["snowflake_pandas_io_manager"],
        "resources": ["snowflake_resource"],
        "solid_factories": ["snowflake_solid_for_query"],
    }


def test_loading_the_plugin_does_not_import_the_connector_or_pandas():
    code = ("import sys\n"
            "from headwater.plugins import get_plugin_manager\n"
            "get_plugin_manager().registry\n"
            "print(sorted(m for m in ('snowflake.connector', 'pandas', 'pyarrow') "
            "if m in sys.modules))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)
    assert completed.stdout.strip() == "[]"


def test_a_mode_binds_the_resource_by_its_registered_name(snowflake_config):
    @solid(required_resource_keys={"snowflake"})
    def ask(context):
        return context.resources.snowflake.execute_query("SELECT 42", fetch_results=True)

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": "snowflake_resource"})])
    def by_name():
        ask()

    result = execute_pipeline(by_name, run_config={"resources": {"snowflake": {
        "config": snowflake_config}}})
    assert result.output_for_solid("ask") == [(42,)]
