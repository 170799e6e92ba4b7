"""headwater-postgres as a plugin: found through its entry point, listed by `headwater
plugins list`, cheap to load."""

from __future__ import annotations

import json
import subprocess
import sys

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
    info = get_plugin_manager().plugins["postgres"]
    assert (info.status, info.distribution) == ("loaded", "headwater-postgres")


def test_headwater_plugins_list_shows_the_storages_it_registers():
    result = CliRunner().invoke(cli, ["plugins", "list", "--json"], catch_exceptions=False)
    (postgres,) = [row for row in json.loads(result.stdout) if row["name"] == "postgres"]
    assert postgres["registers"] == {"event_log_storage": ["postgres"],
                                     "run_storage": ["postgres"],
                                     "schedule_storage": ["postgres"]}


def test_loading_the_plugin_does_not_import_psycopg():
    code = ("import sys\n"
            "from headwater.plugins import get_plugin_manager\n"
            "get_plugin_manager().registry\n"
            "print('psycopg' in sys.modules)")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)
    assert completed.stdout.strip() == "False"
