"""headwater-datadog as a plugin: found through its entry point, listed by `headwater plugins
list` with its resource and lifecycle hooks, cheap to load."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from headwater.cli import cli
from headwater.plugins import get_plugin_manager

LIFECYCLE_HOOKS = {"run_started", "run_succeeded", "run_failed", "run_canceled", "step_started",
                   "step_succeeded", "step_failed", "step_retried"}


def test_the_plugin_is_discovered_through_its_entry_point():
    info = get_plugin_manager().plugins["datadog"]
    assert (info.status, info.distribution) == ("loaded", "headwater-datadog")


def test_headwater_plugins_list_shows_its_resource_and_lifecycle_hooks():
    result = CliRunner().invoke(cli, ["plugins", "list", "--json"], catch_exceptions=False)
    (row,) = [row for row in json.loads(result.stdout) if row["name"] == "datadog"]
    assert row["registers"] == {"resources": ["datadog_resource"]}
    assert set(row["lifecycle_hooks"]) >= LIFECYCLE_HOOKS


def test_loading_the_plugin_does_not_import_the_client():
    code = ("import sys\n"
            "from headwater.plugins import get_plugin_manager\n"
            "get_plugin_manager().registry\n"
            "print('datadog' in sys.modules)")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)
    assert completed.stdout.strip() == "False"
