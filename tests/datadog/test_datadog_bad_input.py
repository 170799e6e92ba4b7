"""Bad settings and unreachable endpoints: a warning once per run, the run unaffected, and
config errors at instance load that name the setting."""

from __future__ import annotations

import logging
import socket

import pytest
from datadog_pipelines import breaking, doubling

import headwater_datadog
from headwater import Instance, execute_pipeline
from headwater.errors import HeadwaterInstanceConfigError


def run(pipeline):
    with Instance.get() as instance:
        result = execute_pipeline(pipeline, instance=instance, raise_on_error=False)
    assert headwater_datadog.flush(30)
    return result


def closed_port() -> int:
    """A loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def datadog_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "headwater_datadog" and r.levelno == logging.WARNING]


def test_a_wrong_api_key_is_one_warning_for_the_run_and_never_shown(enable_datadog, caplog,
                                                                    datadog_api):
    enable_datadog(api_key="not-the-key-123")
    with caplog.at_level(logging.WARNING):
        result = run(breaking)
    (warning,) = datadog_warnings(caplog)
    assert f"run {result.run_id}" in warning
    assert "refused the API key (api_key)" in warning
    assert "plugins.datadog.config" in warning
    assert "not-the-key-123" not in caplog.text
    assert len(datadog_api[0].events()) == 1      # one attempt: a 403 is not retried


def test_a_wrong_api_key_leaves_the_run_and_its_metrics_alone(enable_datadog, dogstatsd):
    enable_datadog(api_key="not-the-key-123")
    result = run(breaking)
    assert not [e for e in result.event_list if "Lifecycle hook" in (e.message or "")]
    assert [e.event_type_value for e in result.event_list][-1] == "PIPELINE_FAILURE"
    assert "headwater.run.count" in {p.name for p in dogstatsd.received_until_now()}


def test_an_unreachable_api_is_one_warning_naming_the_host(enable_datadog, caplog):
    api_host = f"http://127.0.0.1:{closed_port()}"
    enable_datadog(api_host=api_host)
    with caplog.at_level(logging.WARNING):
        result = run(breaking)
    assert not result.success
    (warning,) = datadog_warnings(caplog)
    assert f"the Datadog API at {api_host}" in warning


def test_an_unreachable_agent_does_not_fail_the_run(enable_datadog, caplog):
    enable_datadog(statsd_port=closed_port())
    with caplog.at_level(logging.WARNING):
        assert run(doubling).success
    assert datadog_warnings(caplog) == []     # UDP: nothing tells the client it was lost


@pytest.mark.parametrize(("settings", "expected"), [
    ({"statsd_port": "eight"}, "plugins.datadog.config.statsd_port"),
    ({"tags": "env:prod"}, "plugins.datadog.config.tags"),
    ({"stats_host": "localhost"}, "plugins.datadog.config"),
])
def test_bad_settings_are_an_instance_config_error_naming_the_path(enable_datadog, settings,
                                                                   expected):
    enable_datadog(**settings)
    with pytest.raises(HeadwaterInstanceConfigError) as raised, Instance.get() as instance:
        execute_pipeline(doubling, instance=instance)
    assert expected in str(raised.value)


def test_a_misspelled_setting_suggests_the_right_one(enable_datadog):
    enable_datadog(stats_host="localhost")
    with pytest.raises(HeadwaterInstanceConfigError) as raised, Instance.get() as instance:
        execute_pipeline(doubling, instance=instance)
    assert "statsd_host" in str(raised.value)
