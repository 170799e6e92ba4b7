"""examples/alerting runs through the command line as its docstring says: the instance's
headwater.yaml enables both plugins, and the pipeline, which names neither, is measured in
Datadog and pages PagerDuty when it fails, then resolves when it succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.datadog_stand_ins import VALID_API_KEY
from support.pagerduty_stand_in import VALID_ROUTING_KEY

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "alerting"


def execute(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f",
         str(EXAMPLE / "nightly.py"), *args],
        capture_output=True, text=True, timeout=120, env={**env, "HEADWATER_HOME": str(home)})


def test_a_failed_then_a_successful_run_are_measured_and_page_then_resolve(
        tmp_path, dogstatsd, datadog_api, pagerduty):
    api, events_api_url, cert = pagerduty
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(EXAMPLE / "headwater.yaml", home / "headwater.yaml")
    env = {**os.environ, "DD_AGENT_HOST": "127.0.0.1", "DD_DOGSTATSD_PORT": str(dogstatsd.port),
           "DD_API_KEY": VALID_API_KEY, "DATADOG_HOST": datadog_api[1],
           "PAGERDUTY_ROUTING_KEY": VALID_ROUTING_KEY, "PAGERDUTY_EVENTS_API_URL": events_api_url,
           "SSL_CERT_FILE": str(cert), "REQUESTS_CA_BUNDLE": str(cert)}
    missing = tmp_path / "missing.yaml"
    missing.write_text("solids: {load: {config: {table_exists: false}}}\n")

    failed = execute(home, env, "-c", str(missing))
    assert failed.returncode != 0
    assert api.incidents == {"headwater/nightly": "triggered"}
    (event,) = datadog_api[0].events()
    assert event["title"] == "Headwater run failed: nightly"

    succeeded = execute(home, env)
    assert succeeded.returncode == 0, succeeded.stdout + succeeded.stderr
    assert api.incidents == {"headwater/nightly": "resolved"}
    run_counts = [p for p in dogstatsd.received_until_now() if p.name == "headwater.run.count"]
    assert sorted(tag for p in run_counts for tag in p.tags if tag.startswith("status:")) == [
        "status:failure", "status:success"]
    assert all("service:headwater" in p.tags for p in run_counts)
