"""Alerting with no pipeline code: this pipeline knows nothing of Datadog or PagerDuty.

The instance does: its ``headwater.yaml`` (``examples/alerting/headwater.yaml``) enables the
``datadog`` and ``pagerduty`` plugins, so every run it records sends run and step metrics to
the Datadog agent, a failed run opens the pipeline's PagerDuty incident (and posts a Datadog
event), and the next successful run resolves the incident. Run it:

    pip install -e packages/core -e packages/datadog -e packages/pagerduty
    export HEADWATER_HOME=$(mktemp -d)
    cp examples/alerting/headwater.yaml $HEADWATER_HOME/
    export DD_AGENT_HOST=localhost DD_DOGSTATSD_PORT=8125 DD_API_KEY=... \\
           DATADOG_HOST=https://api.datadoghq.com \\
           PAGERDUTY_ROUTING_KEY=... PAGERDUTY_EVENTS_API_URL=https://events.pagerduty.com
    headwater pipeline execute -f examples/alerting/nightly.py

Make it fail (and page), then succeed (and resolve):

    echo 'solids: {load: {config: {table_exists: false}}}' > missing.yaml
    headwater pipeline execute -f examples/alerting/nightly.py -c missing.yaml
    headwater pipeline execute -f examples/alerting/nightly.py
"""

from headwater import Field, pipeline, solid


@solid(config_schema={"table_exists": Field(bool, default_value=True,
                                            description="False makes the load fail.")})
def load(context) -> list[int]:
    """Load the day's orders (fails when the source table is missing)."""
    if not context.solid_config["table_exists"]:
        raise ValueError("the source table orders_2026_12_04 is missing")
    return [12, 30, 7]


@solid
def report(context, orders: list[int]) -> int:
    """Report the day's revenue."""
    context.log.info(f"Revenue: {sum(orders)}")
    return sum(orders)


@pipeline
def nightly():
    """Load the day's orders and report on them."""
    report(load())
