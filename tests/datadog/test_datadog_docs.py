"""Every snippet of docs/integrations/datadog.md runs against the stand-ins, and sends
what the page says it sends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.datadog_stand_ins import VALID_API_KEY

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "datadog"


def run_snippet(name, dogstatsd, datadog_api, tmp_path):
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"), DD_AGENT_HOST="127.0.0.1",
               DD_DOGSTATSD_PORT=str(dogstatsd.port), DD_API_KEY=VALID_API_KEY,
               DATADOG_HOST=datadog_api[1])
    completed = subprocess.run([sys.executable, str(SNIPPETS / name)], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return dogstatsd.received_until_now()


def test_the_plugin_snippet_sends_the_run_s_metrics_with_the_configured_tags(
        dogstatsd, datadog_api, tmp_path):
    packets = run_snippet("plugin.py", dogstatsd, datadog_api, tmp_path)
    (run_count,) = [p for p in packets if p.name == "headwater.run.count"]
    assert run_count.tags == {"pipeline:nightly", "mode:default", "status:success",
                              "env:prod", "team:data"}


def test_the_resource_snippet_sends_each_metric_twice(dogstatsd, datadog_api, tmp_path):
    packets = run_snippet("resource.py", dogstatsd, datadog_api, tmp_path)
    assert sorted(p.name for p in packets) == sorted(
        ["orders.load_time", "orders.loaded", "orders.backlog"] * 2)
    assert sum(line.startswith("_sc|orders.source|0") for line in dogstatsd.lines) == 2
