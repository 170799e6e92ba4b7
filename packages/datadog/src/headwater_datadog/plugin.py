"""headwater-datadog's hook implementations: the resource, and run metrics once enabled.

Installing the package registers ``datadog_resource``. Enabling the plugin in the
instance's headwater.yaml (``plugins: {datadog: {config: ...}}``) makes every run of that
instance send its metrics, with no pipeline code; see ``observer.py`` for what is sent.
Importing this module is cheap: the datadog client is imported when something is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater import Array, BoolSource, Field, IntSource, StringSource
from headwater.integration import hookimpl

if TYPE_CHECKING:
    from headwater_datadog.observer import DatadogObserver

_observer: DatadogObserver | None = None


def current_observer() -> DatadogObserver | None:
    """The observer that the instance's settings configured, or None before that."""
    return _observer


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """``resource_defs={"datadog": "datadog_resource"}``."""
    from headwater_datadog.resources import datadog_resource

    return {"datadog_resource": datadog_resource}


@hookimpl
def headwater_plugin_config_schema() -> Any:
    """The settings under ``plugins.datadog.config``."""
    return {
        "statsd_host": Field(StringSource, default_value="localhost",
                             description="Host of the Datadog agent's DogStatsD (UDP)."),
        "statsd_port": Field(IntSource, default_value=8125,
                             description="Port of the agent's DogStatsD."),
        "api_key": Field(StringSource, is_required=False,
                         description="Datadog API key, for the event of a failed run; give "
                                     "it as {env: DD_API_KEY}. Without it, no event is sent."),
        "app_key": Field(StringSource, is_required=False,
                         description="Datadog application key (not needed to post events)."),
        "api_host": Field(StringSource, default_value="https://api.datadoghq.com",
                          description="The Datadog site's API URL."),
        "tags": Field(Array(str), default_value=[],
                      description='Tags added to every metric and event, e.g. ["env:prod"].'),
        "metric_prefix": Field(str, default_value="headwater",
                               description="Prefix of every metric name."),
        "send_events": Field(BoolSource, default_value=True,
                             description="Post a Datadog event for each failed run."),
        "flush_timeout": Field(float, default_value=5.0,
                               description="Seconds a process waits, as it exits, for metrics "
                                           "and events still unsent."),
    }


@hookimpl
def headwater_configure(config: Any) -> None:
    """Start observing with the settings of the instance's headwater.yaml."""
    from headwater_datadog.observer import DatadogObserver, DatadogSettings

    global _observer
    config = dict(config or {})
    config["tags"] = tuple(config.get("tags") or ())
    _observer = DatadogObserver(DatadogSettings(**config))


@hookimpl
def headwater_run_started(run: Any) -> None:
    """Start measuring the run."""
    if _observer is not None:
        _observer.run_started(run)


@hookimpl
def headwater_step_started(run: Any, step_key: str) -> None:
    """Note when the step (or its retry) started, for the duration of a failure."""
    if _observer is not None:
        _observer.step_started(run, step_key)


@hookimpl
def headwater_step_succeeded(run: Any, step_key: str, duration_ms: float) -> None:
    """Count the step and its duration under ``status:success``."""
    if _observer is not None:
        _observer.step_succeeded(run, step_key, duration_ms)


@hookimpl
def headwater_step_failed(run: Any, step_key: str, error: Any) -> None:
    """Count the step and its duration under ``status:failure``."""
    if _observer is not None:
        _observer.step_failed(run, step_key, error)


@hookimpl
def headwater_step_retried(run: Any, step_key: str) -> None:
    """Count the retry."""
    if _observer is not None:
        _observer.step_retried(run, step_key)


@hookimpl
def headwater_run_succeeded(run: Any) -> None:
    """Send the run's metrics."""
    if _observer is not None:
        _observer.run_finished(run, "success")


@hookimpl
def headwater_run_failed(run: Any, error: Any) -> None:
    """Send the run's metrics and the failure event."""
    if _observer is not None:
        _observer.run_finished(run, "failure", error)


@hookimpl
def headwater_run_canceled(run: Any) -> None:
    """Send the run's metrics."""
    if _observer is not None:
        _observer.run_finished(run, "canceled")
