"""The lifecycle plugin: enabled in headwater.yaml, real runs send their metrics to a
DogStatsD receiver on 127.0.0.1 and a failed run posts an event to the HTTP API stand-in."""

from __future__ import annotations

from collections import Counter

from datadog_pipelines import breaking, doubling, retrying

import headwater_datadog
from headwater import Instance, execute_pipeline
from support.datadog_stand_ins import Packet


def run(pipeline, **kwargs):
    with Instance.get() as instance:
        result = execute_pipeline(pipeline, instance=instance, raise_on_error=False, **kwargs)
    assert headwater_datadog.flush(10)
    return result


def counts(packets: list[Packet]) -> Counter:
    """``(name, sorted tags)`` of each count packet, with how many times it came."""
    return Counter((p.name, tuple(sorted(p.tags))) for p in packets if p.kind == "c")


def histograms(packets: list[Packet]) -> dict[tuple[str, tuple[str, ...]], float]:
    return {(p.name, tuple(sorted(p.tags))): p.value for p in packets if p.kind == "h"}


BASE = ("mode:default", "team:data")


def test_a_successful_run_counts_the_run_and_each_step_with_their_tags(enable_datadog,
                                                                       dogstatsd):
    enable_datadog(tags=["team:data"])
    assert run(doubling).success
    packets = dogstatsd.wait_for(6)
    assert counts(packets) == Counter({
        ("headwater.run.count", tuple(sorted(("pipeline:doubling", *BASE, "status:success")))): 1,
        ("headwater.step.count", tuple(sorted(("pipeline:doubling", *BASE, "solid:extract",
                                               "status:success")))): 1,
        ("headwater.step.count", tuple(sorted(("pipeline:doubling", *BASE, "solid:double",
                                               "status:success")))): 1,
    })


def test_run_and_step_durations_are_histograms_in_milliseconds(enable_datadog, dogstatsd):
    enable_datadog()
    run(doubling)
    durations = histograms(dogstatsd.wait_for(6))
    assert sorted(name for name, _tags in durations) == [
        "headwater.run.duration", "headwater.step.duration", "headwater.step.duration"]
    run_ms = durations[("headwater.run.duration",
                        ("mode:default", "pipeline:doubling", "status:success"))]
    step_ms = durations[("headwater.step.duration", ("mode:default", "pipeline:doubling",
                                                     "solid:double", "status:success"))]
    assert 0 < step_ms <= run_ms < 60_000


def test_a_failed_run_counts_the_failed_step_and_the_run_under_status_failure(enable_datadog,
                                                                               dogstatsd):
    enable_datadog()
    assert not run(breaking).success
    assert counts(dogstatsd.wait_for(4)) == Counter({
        ("headwater.run.count", ("mode:default", "pipeline:breaking", "status:failure")): 1,
        ("headwater.step.count", ("mode:default", "pipeline:breaking", "solid:broken",
                                  "status:failure")): 1,
    })


def test_a_failed_run_posts_one_error_event_with_the_error(enable_datadog, datadog_api):
    enable_datadog(tags=["team:data"])
    result = run(breaking)
    recorder, _url = datadog_api
    (event,) = recorder.events()
    assert event["title"] == "Headwater run failed: breaking"
    assert event["alert_type"] == "error"
    assert f"Run {result.run_id} of pipeline breaking" in event["text"]
    assert "Step broken failed: ValueError: the source table is missing" in event["text"]
    assert set(event["tags"]) == {"pipeline:breaking", "mode:default", "status:failure",
                                  f"run_id:{result.run_id}", "team:data"}


def test_a_successful_run_posts_no_event(enable_datadog, datadog_api, dogstatsd):
    enable_datadog()
    run(doubling)
    assert datadog_api[0].events() == []


def test_a_retried_step_counts_its_retry_and_succeeds(enable_datadog, dogstatsd):
    enable_datadog()
    assert run(retrying).success
    assert counts(dogstatsd.wait_for(7)) == Counter({
        ("headwater.run.count", ("mode:default", "pipeline:retrying", "status:success")): 1,
        ("headwater.step.retries", ("mode:default", "pipeline:retrying", "solid:flaky")): 1,
        ("headwater.step.count", ("mode:default", "pipeline:retrying", "solid:flaky",
                                  "status:success")): 1,
        ("headwater.step.count", ("mode:default", "pipeline:retrying", "solid:double",
                                  "status:success")): 1,
    })


def test_a_run_s_metrics_arrive_together_in_one_datagram(enable_datadog, dogstatsd):
    enable_datadog()
    run(doubling)
    dogstatsd.wait_for(6)
    assert dogstatsd.datagrams == 1


def test_the_metric_prefix_is_configurable(enable_datadog, dogstatsd):
    enable_datadog(metric_prefix="etl")
    run(doubling)
    assert {p.name for p in dogstatsd.wait_for(6)} == {
        "etl.run.count", "etl.run.duration", "etl.step.count", "etl.step.duration"}


def test_a_run_without_an_instance_sends_nothing(enable_datadog, dogstatsd):
    enable_datadog()
    execute_pipeline(doubling)
    assert headwater_datadog.flush(10)
    assert dogstatsd.received_until_now() == []


def test_an_instance_that_does_not_enable_the_plugin_sends_nothing(dogstatsd):
    run(doubling)
    assert dogstatsd.received_until_now() == []


def test_steps_run_in_worker_processes_are_measured_by_the_recording_process(enable_datadog,
                                                                             dogstatsd):
    from datadog_pipelines import doubling_in_processes

    from headwater import reconstructable

    enable_datadog()
    assert run(reconstructable(doubling_in_processes),
               run_config={"execution": {"multiprocess": {}}}).success
    step_counts = [p for p in dogstatsd.wait_for(6) if p.name == "headwater.step.count"]
    assert sorted(tag for p in step_counts for tag in p.tags if tag.startswith("solid:")) == [
        "solid:double", "solid:extract"]


def test_the_run_does_not_wait_for_the_datadog_api(enable_datadog, datadog_api):
    recorder, _url = datadog_api
    enable_datadog()
    recorder.hold.set()                       # the API answers only once released
    with Instance.get() as instance:
        result = execute_pipeline(breaking, instance=instance, raise_on_error=False)
    assert not result.success                 # the run ended while its event was unsent
    assert not headwater_datadog.flush(0)
    recorder.released.set()
    assert headwater_datadog.flush(30)
    assert [event["title"] for event in recorder.events()] == ["Headwater run failed: breaking"]


def test_the_event_of_a_run_that_fails_before_any_step_carries_the_run_s_error(
        enable_datadog, datadog_api):
    from datadog_pipelines import unreachable_warehouse

    enable_datadog()
    assert not run(unreachable_warehouse).success
    (event,) = datadog_api[0].events()
    assert "the warehouse refused the connection" in event["text"]


def test_send_events_false_sends_metrics_but_no_event(enable_datadog, datadog_api, dogstatsd):
    enable_datadog(send_events=False)
    run(breaking)
    assert datadog_api[0].events() == []
    assert "headwater.run.count" in {p.name for p in dogstatsd.received_until_now()}
