"""pagerduty_resource and pagerduty_on_failure, used by pipeline code, against the HTTPS
stand-in."""

from __future__ import annotations

import pytest

from headwater import ModeDefinition, build_init_resource_context, execute_pipeline, pipeline, solid
from headwater_pagerduty import HeadwaterPagerDutyError, pagerduty_on_failure, pagerduty_resource
from support.pagerduty_stand_in import VALID_ROUTING_KEY


def service(url: str, routing_key: str = VALID_ROUTING_KEY):
    return pagerduty_resource(build_init_resource_context(
        config={"routing_key": routing_key, "events_api_url": url}))


def test_eventv2_create_triggers_an_alert_and_returns_its_dedup_key(events_api):
    api, url = events_api
    dedup_key = service(url).EventV2_create(
        summary="Disk full on warehouse-1", source="warehouse-1", severity="critical",
        dedup_key="disk-warehouse-1", component="postgres", group="warehouse",
        event_class="disk", custom_details={"free": "0 B"})
    assert dedup_key == "disk-warehouse-1"
    (event,) = api.accepted()
    assert event["payload"] == {"summary": "Disk full on warehouse-1", "source": "warehouse-1",
                                "severity": "critical", "component": "postgres",
                                "group": "warehouse", "class": "disk",
                                "custom_details": {"free": "0 B"}}


def test_eventv2_create_resolves_by_dedup_key(events_api):
    api, url = events_api
    pagerduty = service(url)
    dedup_key = pagerduty.EventV2_create(summary="x", source="y", severity="info")
    pagerduty.EventV2_create(event_action="resolve", dedup_key=dedup_key)
    assert api.incidents == {dedup_key: "resolved"}


def test_an_unknown_severity_is_refused_before_sending(events_api):
    with pytest.raises(ValueError, match="use one of info, warning, error, critical"):
        service(events_api[1]).EventV2_create(summary="x", source="y", severity="high")
    assert events_api[0].events == []


def test_a_wrong_routing_key_raises_an_error_that_does_not_show_it(events_api):
    with pytest.raises(HeadwaterPagerDutyError) as raised:
        service(events_api[1], "WRONGKEY0123456789abcdefWRONGKEY").EventV2_create(
            summary="x", source="y", severity="info")
    assert "refused the routing key" in str(raised.value)
    assert "WRONGKEY" not in str(raised.value)


@solid
def load() -> int:
    raise ValueError("the source table is missing")


def test_pagerduty_on_failure_alerts_for_the_failed_step(events_api):
    api, url = events_api

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"pagerduty": pagerduty_resource})],
              hook_defs={pagerduty_on_failure("critical",
                                              run_url="https://ui.example/runs/{run_id}")})
    def daily():
        load()

    result = execute_pipeline(daily, raise_on_error=False, run_config={"resources": {
        "pagerduty": {"config": {"routing_key": VALID_ROUTING_KEY, "events_api_url": url}}}})
    (event,) = api.accepted()
    assert event["dedup_key"] == f"{result.run_id}-load"
    assert event["payload"]["severity"] == "critical"
    assert event["payload"]["summary"] == ('Step "load" of pipeline "daily" failed: '
                                           "ValueError: the source table is missing")
    assert event["links"][0]["href"] == f"https://ui.example/runs/{result.run_id}"


def test_pagerduty_on_failure_takes_a_summary_function(events_api):
    api, url = events_api

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"pagerduty": pagerduty_resource})],
              hook_defs={pagerduty_on_failure("error", lambda c: f"{c.step_key} is down")})
    def daily():
        load()

    execute_pipeline(daily, raise_on_error=False, run_config={"resources": {
        "pagerduty": {"config": {"routing_key": VALID_ROUTING_KEY, "events_api_url": url}}}})
    assert [e["payload"]["summary"] for e in api.accepted()] == ["load is down"]


def test_pagerduty_on_failure_refuses_an_unknown_severity():
    with pytest.raises(ValueError, match="pagerduty_on_failure: severity \"high\""):
        pagerduty_on_failure("high")


def test_an_http_url_is_refused_with_the_setting_to_fix():
    with pytest.raises(HeadwaterPagerDutyError, match=r"events_api_url .* is not an https URL"):
        service("http://127.0.0.1:8080")


def test_a_refused_alert_of_the_hook_is_a_hook_errored_event_without_the_key(events_api):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"pagerduty": pagerduty_resource})],
              hook_defs={pagerduty_on_failure("error")})
    def daily():
        load()

    result = execute_pipeline(daily, raise_on_error=False, run_config={"resources": {
        "pagerduty": {"config": {"routing_key": "WRONGKEY0123456789abcdefWRONGKEY",
                                 "events_api_url": events_api[1]}}}})
    (errored,) = [e for e in result.event_list if e.event_type_value == "HOOK_ERRORED"]
    error = errored.event_specific_data.error
    assert "refused the routing key" in error.message
    assert "WRONGKEY" not in error.message + "".join(error.stack or []) + repr(error.cause)
