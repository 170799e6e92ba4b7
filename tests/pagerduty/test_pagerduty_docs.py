"""Every snippet of docs/integrations/pagerduty.md runs against the HTTPS stand-in, and
does to incidents what the page says it does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.pagerduty_stand_in import VALID_ROUTING_KEY

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "pagerduty"


def run_snippet(name, events_api, tmp_path):
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"),
               PAGERDUTY_ROUTING_KEY=VALID_ROUTING_KEY, PAGERDUTY_EVENTS_API_URL=events_api[1])
    completed = subprocess.run([sys.executable, str(SNIPPETS / name)], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return events_api[0]


def test_the_plugin_snippet_opens_then_resolves_the_nightly_incident(events_api, tmp_path):
    api = run_snippet("plugin.py", events_api, tmp_path)
    assert [(e["event_action"], e["dedup_key"]) for e in api.accepted()] == [
        ("trigger", "headwater/nightly"), ("resolve", "headwater/nightly")]
    assert api.incidents == {"headwater/nightly": "resolved"}
    assert api.accepted()[0]["links"][0]["href"].startswith("https://headwater.example.com/runs/")


def test_the_filters_snippet_pages_only_for_the_critical_prod_run(events_api, tmp_path):
    api = run_snippet("filters.py", events_api, tmp_path)
    (event,) = api.accepted()
    assert (event["dedup_key"], event["payload"]["severity"]) == ("headwater/billing",
                                                                  "critical")


def test_the_resource_snippet_sends_an_event_and_one_alert_for_the_failed_step(events_api,
                                                                               tmp_path):
    api = run_snippet("resource.py", events_api, tmp_path)
    assert [e["payload"]["summary"] for e in api.accepted()] == [
        "Disk 95% full on warehouse-1", "load failed"]
