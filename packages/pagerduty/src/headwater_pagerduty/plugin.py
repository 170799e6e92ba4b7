"""headwater-pagerduty's hook implementations: the resource, and incidents once enabled.

Installing the package registers ``pagerduty_resource``. Enabling the plugin in the
instance's headwater.yaml (``plugins: {pagerduty: {config: {routing_key: ...}}}``) makes
every failed run of that instance open its pipeline's incident and the next successful run
resolve it, with no pipeline code; see ``alerting.py``. The pagerduty client is imported
only when an event is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater import Array, BoolSource, Enum, EnumValue, Field, IntSource, Permissive, StringSource
from headwater.integration import HeadwaterInstanceConfigError, hookimpl
from headwater_pagerduty.errors import SEVERITIES
from headwater_pagerduty.resources import DEFAULT_EVENTS_API_URL

if TYPE_CHECKING:
    from headwater_pagerduty.alerting import PagerDutyAlerter

_alerter: PagerDutyAlerter | None = None

_SEVERITY = Enum("PagerDutySeverity", [EnumValue(severity) for severity in SEVERITIES])


def current_alerter() -> PagerDutyAlerter | None:
    """The alerter that the instance's settings configured, or None before that."""
    return _alerter


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """``resource_defs={"pagerduty": "pagerduty_resource"}``."""
    from headwater_pagerduty.resources import pagerduty_resource

    return {"pagerduty_resource": pagerduty_resource}


@hookimpl
def headwater_plugin_config_schema() -> Any:
    """The settings under ``plugins.pagerduty.config``."""
    return {
        "routing_key": Field(StringSource, description="The integration key of an Events API "
                                                       "v2 integration; give it as "
                                                       "{env: PAGERDUTY_ROUTING_KEY}."),
        "events_api_url": Field(StringSource, default_value=DEFAULT_EVENTS_API_URL,
                                description="The Events API's base URL (https only)."),
        "run_url": Field(StringSource, is_required=False,
                         description="Link to a run shown on the incident, e.g. "
                                     "https://headwater.example.com/runs/{run_id}."),
        "source": Field(StringSource, is_required=False,
                        description="payload.source of each alert (default: this host)."),
        "severity": Field(_SEVERITY, default_value="error",
                          description="Severity of an incident, unless the run's "
                                      "pagerduty/severity tag gives one."),
        "min_severity": Field(_SEVERITY, default_value="info",
                              description="Runs whose severity is below this page nobody."),
        "pipelines": Field(Array(str), default_value=[],
                           description="Only these pipelines page (all when empty)."),
        "tags": Field(Permissive({}), default_value={},
                      description="Only runs with all these tags (name: value) page."),
        "dedup_key_prefix": Field(str, default_value="headwater",
                                  description="An incident's dedup_key is <prefix>/<pipeline>."),
        "resolve_on_success": Field(BoolSource, default_value=True,
                                    description="A successful run resolves its pipeline's "
                                                "incident."),
        "max_attempts": Field(IntSource, default_value=3,
                              description="Tries per event when the network fails."),
        "timeout": Field(float, default_value=10.0,
                         description="Seconds to wait for PagerDuty to answer one try."),
        "flush_timeout": Field(float, default_value=10.0,
                               description="Seconds a process waits, as it exits, for events "
                                           "still unsent."),
    }


@hookimpl
def headwater_configure(config: Any) -> None:
    """Start alerting with the settings of the instance's headwater.yaml.

    Raises:
        HeadwaterInstanceConfigError: settings the schema cannot check (the URLs).
    """
    from headwater_pagerduty.alerting import PagerDutyAlerter, PagerDutySettings

    global _alerter
    config = dict(config)
    problems = []
    if not config["events_api_url"].startswith("https://"):
        problems.append(f'plugins.pagerduty.config.events_api_url: "{config["events_api_url"]}" '
                        "is not an https URL; PagerDuty's client sends events over https "
                        f"only. Use {DEFAULT_EVENTS_API_URL} (or your region's Events API).")
    run_url = config.get("run_url")
    if run_url is not None:
        try:
            run_url.format(run_id="run", pipeline="pipeline")
        except (KeyError, IndexError, ValueError) as error:
            problems.append(f'plugins.pagerduty.config.run_url: "{run_url}" has a '
                            f"placeholder other than {{run_id}} and {{pipeline}} ({error!r}).")
    if problems:
        raise HeadwaterInstanceConfigError(
            "Errors in the plugins section of the Headwater instance settings:", problems, None)
    config["pipelines"] = tuple(config["pipelines"])
    config["tags"] = {str(name): str(value) for name, value in config["tags"].items()}
    _alerter = PagerDutyAlerter(PagerDutySettings(**config))


@hookimpl
def headwater_step_failed(run: Any, step_key: str, error: Any) -> None:
    """Trigger the pipeline's incident: a step failed after its last retry."""
    if _alerter is not None:
        _alerter.step_failed(run, step_key, error)


@hookimpl
def headwater_run_failed(run: Any, error: Any) -> None:
    """Trigger the pipeline's incident, unless a failed step of the run already did."""
    if _alerter is not None:
        _alerter.run_failed(run, error)


@hookimpl
def headwater_run_succeeded(run: Any) -> None:
    """Resolve the pipeline's incident."""
    if _alerter is not None:
        _alerter.run_succeeded(run)
