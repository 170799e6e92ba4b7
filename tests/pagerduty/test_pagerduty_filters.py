"""The plugin's filters: by pipeline, by run tag, by severity."""

from __future__ import annotations

import pytest
from pagerduty_pipelines import exhausting, nightly

import headwater_pagerduty
from headwater import Instance, execute_pipeline


def run(pipeline, tags=None):
    with Instance.get() as instance:
        execute_pipeline(pipeline, instance=instance, raise_on_error=False, tags=tags)
    assert headwater_pagerduty.flush(30)


@pytest.fixture(autouse=True)
def nightly_fails(monkeypatch):
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")


def test_only_the_listed_pipelines_page(enable_pagerduty, events_api):
    enable_pagerduty(pipelines=["exhausting"])
    run(nightly)
    run(exhausting)
    assert set(events_api[0].incidents) == {"headwater/exhausting"}


def test_only_runs_with_the_configured_tags_page(enable_pagerduty, events_api):
    enable_pagerduty(tags={"env": "prod"})
    run(nightly, tags={"env": "staging"})
    assert events_api[0].events == []
    run(nightly, tags={"env": "prod"})
    assert events_api[0].incidents == {"headwater/nightly": "triggered"}


def test_runs_below_the_minimum_severity_page_nobody(enable_pagerduty, events_api):
    enable_pagerduty(severity="warning", min_severity="error")
    run(nightly)
    assert events_api[0].events == []


def test_a_run_tag_raises_the_severity_above_the_minimum(enable_pagerduty, events_api):
    enable_pagerduty(severity="warning", min_severity="error")
    run(nightly, tags={"pagerduty/severity": "critical"})
    (event,) = events_api[0].accepted()
    assert event["payload"]["severity"] == "critical"


def test_the_dedup_key_prefix_is_configurable(enable_pagerduty, events_api):
    enable_pagerduty(dedup_key_prefix="warehouse-prod")
    run(nightly)
    assert events_api[0].incidents == {"warehouse-prod/nightly": "triggered"}
