"""The lifecycle plugin: enabled in headwater.yaml, real runs open and resolve their
pipeline's incident on the HTTPS Events API v2 stand-in, through PagerDuty's client."""

from __future__ import annotations

from pagerduty_pipelines import exhausting, nightly, retrying, unreachable_warehouse

import headwater_pagerduty
from headwater import Instance, execute_pipeline


def run(pipeline, **kwargs):
    with Instance.get() as instance:
        result = execute_pipeline(pipeline, instance=instance, raise_on_error=False, **kwargs)
    assert headwater_pagerduty.flush(30)
    return result


def test_a_failed_run_triggers_one_incident_with_the_pipeline_s_dedup_key(
        enable_pagerduty, events_api, monkeypatch):
    enable_pagerduty()
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    run(nightly)
    api, _url = events_api
    (event,) = api.accepted()
    assert (event["event_action"], event["dedup_key"]) == ("trigger", "headwater/nightly")
    assert api.incidents == {"headwater/nightly": "triggered"}


def test_the_incident_carries_the_error_the_run_and_a_link_to_it(enable_pagerduty,
                                                                 events_api, monkeypatch):
    enable_pagerduty(run_url="https://headwater.example.com/runs/{run_id}")
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    result = run(nightly)
    (event,) = events_api[0].accepted()
    payload = event["payload"]
    assert payload["summary"] == ('Headwater pipeline "nightly" failed: step "load" raised '
                                  "ValueError: the source table is missing")
    assert (payload["source"], payload["severity"], payload["component"]) == (
        "test-host", "error", "nightly")
    assert payload["custom_details"]["run_id"] == result.run_id
    assert "the source table is missing" in payload["custom_details"]["stack"] or \
        payload["custom_details"]["error"].endswith("the source table is missing")
    assert event["links"] == [{"href": f"https://headwater.example.com/runs/{result.run_id}",
                               "text": f"Run {result.run_id}"}]


def test_the_next_successful_run_resolves_the_incident(enable_pagerduty, events_api,
                                                       monkeypatch):
    enable_pagerduty()
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    run(nightly)
    monkeypatch.delenv("NIGHTLY_SHOULD_FAIL")
    assert run(nightly).success
    api, _url = events_api
    assert [(e["event_action"], e["dedup_key"]) for e in api.accepted()] == [
        ("trigger", "headwater/nightly"), ("resolve", "headwater/nightly")]
    assert api.incidents == {"headwater/nightly": "resolved"}


def test_two_failed_runs_add_to_the_same_incident(enable_pagerduty, events_api, monkeypatch):
    enable_pagerduty()
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    run(nightly)
    run(nightly)
    api, _url = events_api
    assert {e["dedup_key"] for e in api.accepted()} == {"headwater/nightly"}
    assert list(api.incidents) == ["headwater/nightly"]


def test_a_successful_run_only_sends_a_resolve(enable_pagerduty, events_api):
    enable_pagerduty()
    assert run(nightly).success
    assert [e["event_action"] for e in events_api[0].accepted()] == ["resolve"]
    assert events_api[0].incidents == {}


def test_a_step_that_succeeds_on_retry_pages_nobody(enable_pagerduty, events_api):
    enable_pagerduty()
    assert run(retrying).success
    assert [e["event_action"] for e in events_api[0].accepted()] == ["resolve"]


def test_a_step_failing_after_its_last_retry_triggers_once(enable_pagerduty, events_api):
    enable_pagerduty()
    assert not run(exhausting).success
    (event,) = events_api[0].accepted()
    assert event["event_action"] == "trigger"
    assert 'step "always_down" raised ConnectionError' in event["payload"]["summary"]


def test_a_run_that_fails_without_a_failed_step_triggers_with_the_run_s_error(
        enable_pagerduty, events_api):
    enable_pagerduty()
    assert not run(unreachable_warehouse).success
    (event,) = events_api[0].accepted()
    assert event["dedup_key"] == "headwater/unreachable_warehouse"
    assert "the warehouse refused the connection" in event["payload"]["summary"]


def test_the_run_does_not_wait_for_pagerduty(enable_pagerduty, events_api, monkeypatch):
    api, _url = events_api
    enable_pagerduty()
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    api.hold.set()                              # the API answers only once released
    with Instance.get() as instance:
        result = execute_pipeline(nightly, instance=instance, raise_on_error=False)
    assert not result.success                   # the run ended while its alert was unsent
    assert not headwater_pagerduty.flush(0)
    api.released.set()
    assert headwater_pagerduty.flush(30)
    assert api.incidents == {"headwater/nightly": "triggered"}


def test_a_run_without_an_instance_pages_nobody(enable_pagerduty, events_api, monkeypatch):
    enable_pagerduty()
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    execute_pipeline(nightly, raise_on_error=False)
    assert headwater_pagerduty.flush(30)
    assert events_api[0].events == []


def test_resolve_on_success_false_leaves_the_incident_open(enable_pagerduty, events_api,
                                                           monkeypatch):
    enable_pagerduty(resolve_on_success=False)
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")
    run(nightly)
    monkeypatch.delenv("NIGHTLY_SHOULD_FAIL")
    run(nightly)
    assert [e["event_action"] for e in events_api[0].accepted()] == ["trigger"]
    assert events_api[0].incidents == {"headwater/nightly": "triggered"}
