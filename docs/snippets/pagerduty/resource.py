"""PagerDuty: events from solids (pagerduty_resource) and an alert per failed step
(pagerduty_on_failure)."""

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_pagerduty import pagerduty_on_failure, pagerduty_resource

run_config = {"resources": {"pagerduty": {"config": {
    "routing_key": {"env": "PAGERDUTY_ROUTING_KEY"},
    "events_api_url": {"env": "PAGERDUTY_EVENTS_API_URL"},
}}}}


# [start:resource]
@solid(required_resource_keys={"pagerduty"})
def check_disk(context) -> None:
    context.resources.pagerduty.EventV2_create(
        summary="Disk 95% full on warehouse-1",
        source="warehouse-1",
        severity="warning",
        dedup_key="disk-warehouse-1",
        component="postgres",
        custom_details={"used": "95%"},
    )


@pipeline(mode_defs=[ModeDefinition(resource_defs={"pagerduty": pagerduty_resource})])
def housekeeping():
    check_disk()
# [end:resource]


execute_pipeline(housekeeping, run_config=run_config)


# [start:hook]
@solid
def load() -> int:
    raise ValueError("the source table is missing")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"pagerduty": "pagerduty_resource"})],
          hook_defs={pagerduty_on_failure("critical",
                                          summary_fn=lambda c: f"{c.step_key} failed")})
def daily():
    load()


execute_pipeline(daily, run_config=run_config, raise_on_error=False)   # one alert: "load failed"
# [end:hook]
