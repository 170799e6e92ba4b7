"""headwater-airflow as a plugin: found through its entry point, listed by `headwater
plugins list`, its commands under `headwater airflow`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from headwater.cli import cli
from headwater.plugins import get_plugin_manager, reset_plugin_manager


@pytest.fixture(autouse=True)
def fresh_plugins():
    reset_plugin_manager()
    yield
    reset_plugin_manager()


def test_the_plugin_is_discovered_through_its_entry_point():
    info = get_plugin_manager().plugins["airflow"]
    assert (info.status, info.distribution) == ("loaded", "headwater-airflow")


def test_headwater_plugins_list_shows_its_command_group():
    result = CliRunner().invoke(cli, ["plugins", "list", "--json"], catch_exceptions=False)
    (airflow,) = [row for row in json.loads(result.stdout) if row["name"] == "airflow"]
    assert airflow["registers"] == {"cli_commands": ["airflow"]}


def test_headwater_airflow_scaffold_is_a_command():
    result = CliRunner().invoke(cli, ["airflow", "scaffold", "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "--pipeline" in result.output


def test_scaffold_needs_exactly_one_of_file_and_module():
    result = CliRunner().invoke(cli, ["airflow", "scaffold", "-p", "etl", "-o", "."])
    assert result.exit_code == 2
    assert "-f/--python-file" in result.output
