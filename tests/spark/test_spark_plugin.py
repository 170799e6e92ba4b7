"""headwater-spark as a plugin: found through its entry point, listed by `headwater plugins
list`, cheap to load."""

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
    info = get_plugin_manager().plugins["spark"]
    assert (info.status, info.distribution) == ("loaded", "headwater-spark")


def test_headwater_plugins_list_shows_everything_it_registers():
    result = CliRunner().invoke(cli, ["plugins", "list", "--json"], catch_exceptions=False)
    (spark,) = [row for row in json.loads(result.stdout) if row["name"] == "spark"]
    assert spark["registers"] == {
        "executors": ["spark"],
        "io_managers": ["pyspark_parquet_io_manager"],
        "resources": ["pyspark_resource", "spark_resource"],
        "solid_factories": ["create_spark_solid"],
        "types": ["PySparkDataFrame"],
    }


def test_loading_the_plugin_does_not_import_pyspark():
    code = ("import sys\n"
            "from headwater.plugins import get_plugin_manager\n"
            "get_plugin_manager().registry\n"
            "print(sorted(m for m in ('pyspark', 'py4j') if m in sys.modules))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)
    assert completed.stdout.strip() == "[]"
