"""A wrong routing key or an unreachable endpoint is a warning once per run, the run
unaffected; bad settings are a config error at instance load that names the setting."""

from __future__ import annotations

import logging
import socket

import pytest
from pagerduty_pipelines import nightly

import headwater_pagerduty
from headwater import Instance, execute_pipeline
from headwater.errors import HeadwaterInstanceConfigError


def run(pipeline):
    with Instance.get() as instance:
        result = execute_pipeline(pipeline, instance=instance, raise_on_error=False)
    assert headwater_pagerduty.flush(60)
    return result


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pagerduty_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "headwater_pagerduty" and r.levelno == logging.WARNING]


@pytest.fixture(autouse=True)
def nightly_fails(monkeypatch):
    monkeypatch.setenv("NIGHTLY_SHOULD_FAIL", "1")


def test_a_wrong_routing_key_is_one_warning_for_the_run_without_the_key(enable_pagerduty,
                                                                        caplog):
    enable_pagerduty(routing_key="WRONGKEY0123456789abcdefWRONGKEY")
    with caplog.at_level(logging.WARNING):
        result = run(nightly)
    (warning,) = pagerduty_warnings(caplog)
    assert f"run {result.run_id}" in warning
    assert "refused the routing key (HTTP 400)" in warning
    assert "plugins.pagerduty.config" in warning
    assert "WRONGKEY" not in caplog.text


def test_a_wrong_routing_key_leaves_the_run_s_events_alone(enable_pagerduty):
    enable_pagerduty(routing_key="WRONGKEY0123456789abcdefWRONGKEY")
    result = run(nightly)
    assert not [e for e in result.event_list if "Lifecycle hook" in (e.message or "")]
    assert result.event_list[-1].event_type_value == "PIPELINE_FAILURE"


def test_an_unreachable_endpoint_is_retried_a_bounded_number_of_times_then_one_warning(
        enable_pagerduty, caplog):
    url = f"https://127.0.0.1:{closed_port()}"
    enable_pagerduty(events_api_url=url, max_attempts=2)
    with caplog.at_level(logging.WARNING):
        assert not run(nightly).success
    (warning,) = pagerduty_warnings(caplog)
    assert f"PagerDuty at {url} could not be reached" in warning
    retries = [r for r in caplog.records if r.name == "pagerduty.api_client"
               and "retrying" in r.getMessage()]
    assert len(retries) == 1                   # two attempts: one retry


@pytest.mark.parametrize("status", [429, 503])
def test_a_throttled_or_failing_api_gets_max_attempts_tries_then_one_warning(
        enable_pagerduty, events_api, caplog, status):
    api, _url = events_api
    api.fail_with = status
    enable_pagerduty(max_attempts=2)
    with caplog.at_level(logging.WARNING):
        assert not run(nightly).success
    assert [event["_status"] for event in api.events] == [status, status]
    (warning,) = pagerduty_warnings(caplog)
    assert f"(HTTP {status})" in warning


@pytest.mark.parametrize(("settings", "expected"), [
    ({"severity": "urgent"}, "plugins.pagerduty.config.severity"),
    ({"max_attempts": "three"}, "plugins.pagerduty.config.max_attempts"),
    ({"pipelines": "nightly"}, "plugins.pagerduty.config.pipelines"),
    ({"events_api_url": "http://127.0.0.1:1"}, "plugins.pagerduty.config.events_api_url"),
    ({"run_url": "https://ui/runs/{id}"}, "plugins.pagerduty.config.run_url"),
])
def test_bad_settings_are_an_instance_config_error_naming_the_path(enable_pagerduty, settings,
                                                                   expected):
    enable_pagerduty(**settings)
    with pytest.raises(HeadwaterInstanceConfigError) as raised, Instance.get() as instance:
        execute_pipeline(nightly, instance=instance, raise_on_error=False)
    assert expected in str(raised.value)


def test_a_missing_routing_key_is_named_and_never_shown(enable_pagerduty, headwater_home):
    from pathlib import Path

    import yaml

    (Path(headwater_home) / "headwater.yaml").write_text(yaml.safe_dump(
        {"plugins": {"pagerduty": {"config": {"source": "test-host"}}}}))
    with pytest.raises(HeadwaterInstanceConfigError) as raised, Instance.get() as instance:
        execute_pipeline(nightly, instance=instance, raise_on_error=False)
    assert 'Missing required config entry "routing_key" at plugins.pagerduty.config' in str(
        raised.value)


def test_a_routing_key_from_an_unset_variable_names_the_variable(enable_pagerduty):
    enable_pagerduty(routing_key={"env": "PAGERDUTY_ROUTING_KEY"})
    with pytest.raises(HeadwaterInstanceConfigError) as raised, Instance.get() as instance:
        execute_pipeline(nightly, instance=instance, raise_on_error=False)
    assert "PAGERDUTY_ROUTING_KEY" in str(raised.value)
    assert "plugins.pagerduty.config.routing_key" in str(raised.value)
