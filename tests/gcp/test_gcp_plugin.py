"""headwater-gcp as a plugin: found through its entry point, listed by `headwater plugins
list`, cheap to load, and written against the published interface only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.cli import cli
from headwater.plugins import get_plugin_manager, reset_plugin_manager

PACKAGE = Path(__file__).resolve().parents[2] / "packages" / "gcp" / "src" / "headwater_gcp"


@pytest.fixture(autouse=True)
def fresh_plugins():
    reset_plugin_manager()
    yield
    reset_plugin_manager()


def test_the_plugin_is_discovered_through_its_entry_point():
    info = get_plugin_manager().plugins["gcp"]
    assert (info.status, info.distribution) == ("loaded", "headwater-gcp")


def test_headwater_plugins_list_shows_everything_it_registers():
    result = CliRunner().invoke(cli, ["plugins", "list", "--json"], catch_exceptions=False)
    (gcp,) = [row for row in json.loads(result.stdout) if row["name"] == "gcp"]
    assert gcp["registers"] == {
        "compute_logs": ["gcs"],
        "io_managers": ["bigquery_pandas_io_manager", "gcs_pickle_io_manager"],
        "resources": ["bigquery_resource", "dataproc_resource", "gcs_file_manager",
                      "gcs_resource"],
        "solid_factories": ["bq_solid_for_queries"],
    }


def test_loading_the_plugin_does_not_import_the_google_libraries():
    code = ("import sys\n"
            "from headwater.plugins import get_plugin_manager\n"
            "get_plugin_manager().registry\n"
            "print(sorted(m for m in sys.modules if m.startswith(('google', 'pandas'))))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)
    assert completed.stdout.strip() == "[]"


def test_the_package_imports_only_headwater_and_headwater_integration():
    imported = set()
    for path in PACKAGE.glob("*.py"):
        imported |= set(re.findall(r"^\s*(?:from|import) (headwater\.[\w.]+)", path.read_text(),
                                   re.MULTILINE))
    assert imported <= {"headwater.integration"}
