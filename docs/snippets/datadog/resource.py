"""Datadog: DogStatsD metrics, events and service checks from inside a solid."""

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_datadog import datadog_resource


# [start:resource]
@solid(required_resource_keys={"datadog"})
def load_orders(context) -> int:
    datadog = context.resources.datadog
    with datadog.timed("orders.load_time", tags=["source:shop"]):
        rows = 120                                   # stands for the real load
    datadog.increment("orders.loaded", rows, tags=["source:shop"])
    datadog.gauge("orders.backlog", 4)
    datadog.service_check("orders.source", datadog.OK)
    datadog.event("Orders loaded", f"{rows} rows", alert_type="success")
    return rows


@pipeline(mode_defs=[ModeDefinition(resource_defs={"datadog": datadog_resource})])
def orders():
    load_orders()


execute_pipeline(orders, run_config={"resources": {"datadog": {"config": {
    "statsd_host": {"env": "DD_AGENT_HOST"},
    "statsd_port": {"env": "DD_DOGSTATSD_PORT"},
    "tags": ["team:data"],
}}}})
# [end:resource]


# [start:by-name]
@pipeline(mode_defs=[ModeDefinition(resource_defs={"datadog": "datadog_resource"})])
def orders_by_name():
    load_orders()
# [end:by-name]


execute_pipeline(orders_by_name, run_config={"resources": {"datadog": {"config": {
    "statsd_host": {"env": "DD_AGENT_HOST"}, "statsd_port": {"env": "DD_DOGSTATSD_PORT"}}}}})
