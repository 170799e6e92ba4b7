"""datadog_resource inside solids: DogStatsD packets on the UDP receiver, HTTP API calls on
the recorder."""

from __future__ import annotations

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_datadog import datadog_resource
from support.datadog_stand_ins import VALID_API_KEY, Packet


def run_with_datadog(solid_def, dogstatsd, api_url=None):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"datadog": datadog_resource})])
    def measured():
        solid_def()

    config = {"statsd_host": "127.0.0.1", "statsd_port": dogstatsd.port, "tags": ["team:data"]}
    if api_url:
        config.update(api_key=VALID_API_KEY, api_host=api_url)
    return execute_pipeline(measured, run_config={"resources": {"datadog": {"config": config}}})


def test_metric_methods_send_dogstatsd_packets_with_the_configured_tags(dogstatsd):
    @solid(required_resource_keys={"datadog"})
    def count_rows(context):
        datadog = context.resources.datadog
        datadog.increment("rows.loaded", 3, tags=["table:orders"])
        datadog.decrement("rows.pending")
        datadog.gauge("queue.depth", 7)
        datadog.histogram("batch.size", 12)
        datadog.distribution("latency", 0.5)
        datadog.set("users.unique", 42)
        datadog.timing("query.time", 250)

    run_with_datadog(count_rows, dogstatsd)
    assert set(dogstatsd.received_until_now()) == {
        Packet("rows.loaded", 3, "c", frozenset({"table:orders", "team:data"})),
        Packet("rows.pending", -1, "c", frozenset({"team:data"})),
        Packet("queue.depth", 7, "g", frozenset({"team:data"})),
        Packet("batch.size", 12, "h", frozenset({"team:data"})),
        Packet("latency", 0.5, "d", frozenset({"team:data"})),
        Packet("users.unique", 42, "s", frozenset({"team:data"})),
        Packet("query.time", 250, "ms", frozenset({"team:data"})),
    }


def test_timed_measures_a_block_in_milliseconds(dogstatsd):
    @solid(required_resource_keys={"datadog"})
    def timed_block(context):
        with context.resources.datadog.timed("block.time"):
            sum(range(1000))

    run_with_datadog(timed_block, dogstatsd)
    (packet,) = dogstatsd.received_until_now()
    assert (packet.name, packet.kind) == ("block.time", "ms") and packet.value >= 0


def test_event_and_service_check_go_over_dogstatsd(dogstatsd):
    @solid(required_resource_keys={"datadog"})
    def report(context):
        datadog = context.resources.datadog
        datadog.event("Load finished", "3 rows", alert_type="success")
        datadog.service_check("warehouse.up", datadog.OK)

    run_with_datadog(report, dogstatsd)
    dogstatsd.received_until_now()
    assert any(line.startswith("_e{13,6}:Load finished|3 rows|t:success")
               for line in dogstatsd.lines)
    assert any(line.startswith("_sc|warehouse.up|0|") for line in dogstatsd.lines)


def test_the_api_posts_events_with_the_resource_s_keys(dogstatsd, datadog_api):
    recorder, url = datadog_api

    @solid(required_resource_keys={"datadog"})
    def announce(context):
        context.resources.datadog.api.Event.create(title="Backfill done", text="2026-12",
                                                   tags=["team:data"])

    run_with_datadog(announce, dogstatsd, api_url=url)
    ((path, headers, body),) = recorder.requests
    assert path.startswith("/api/v1/events")
    assert headers["DD-API-KEY"] == VALID_API_KEY
    assert (body["title"], body["text"], body["tags"]) == ("Backfill done", "2026-12",
                                                          ["team:data"])
