"""cloudwatch_logger: a run's log lines reach a CloudWatch Logs stream, in batches, and none
is lost when the run (or a worker process) ends."""

from __future__ import annotations

import subprocess
import sys
import time

import boto3
import pytest
from aws_pipelines import logging_pipeline
from aws_stand_ins import REGION, free_port

from headwater import ModeDefinition, execute_pipeline, pipeline, reconstructable, solid
from headwater.instance import instance_for_test

GROUP, STREAM = "/headwater/tests", "nightly"


@pytest.fixture
def logs(moto):
    """The test's own CloudWatch Logs client."""
    return boto3.client("logs", endpoint_url=moto, region_name=REGION)


def logger_config(moto: str, **config) -> dict:
    return {"loggers": {"cloudwatch": {"config": {
        "log_group_name": GROUP, "log_stream_name": STREAM, "endpoint_url": moto, **config}}}}


def received(logs) -> list[str]:
    """The messages of the stream, oldest first."""
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=STREAM,
                                 startFromHead=True)["events"]
    return [event["message"] for event in events]


def test_the_runs_log_lines_reach_a_stream_the_logger_creates(moto, logs):
    result = execute_pipeline(logging_pipeline, run_config=logger_config(moto))
    run = result.run_id[:8]
    assert received(logs) == [
        f"INFO - logging_pipeline - {run} - log_lines - line 0 from log_lines",
        f"INFO - logging_pipeline - {run} - log_lines - line 1 from log_lines",
        f"INFO - logging_pipeline - {run} - log_lines - line 2 from log_lines",
        f"WARNING - logging_pipeline - {run} - log_count - log_lines logged 3 lines",
    ]


def test_an_existing_group_and_stream_are_written_to(moto, logs):
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName=STREAM)
    execute_pipeline(logging_pipeline, run_config=logger_config(moto))
    assert len(received(logs)) == 4


def test_events_are_sent_when_the_log_level_lets_them_through(moto, logs):
    execute_pipeline(logging_pipeline, run_config=logger_config(moto, log_level="DEBUG"))
    messages = received(logs)
    assert any("STEP_START - Started execution of step \"log_lines\"" in m for m in messages)
    assert messages[-1].startswith("DEBUG - logging_pipeline - ")
    assert "PIPELINE_SUCCESS - Finished execution of run" in messages[-1]


def test_lines_below_the_log_level_are_not_sent(moto, logs):
    execute_pipeline(logging_pipeline, run_config=logger_config(moto, log_level="WARNING"))
    assert [m.split(" - ")[-1] for m in received(logs)] == ["log_lines logged 3 lines"]


def test_lines_logged_in_worker_processes_are_all_sent_before_the_run_ends(moto, logs):
    run_config = {**logger_config(moto), "execution": {"multiprocess": {}},
                  "solids": {"log_lines": {"config": {"lines": 25}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(logging_pipeline), run_config=run_config,
                                  instance=instance)
    assert result.success
    assert len(received(logs)) == 26


def test_lines_still_waiting_are_sent_when_the_process_exits(moto, logs):
    code = (
        "from headwater import build_init_logger_context\n"
        "from headwater_aws import cloudwatch_logger\n"
        f"config = {{'log_group_name': {GROUP!r}, 'log_stream_name': {STREAM!r}, "
        f"'endpoint_url': {moto!r}, 'log_level': 'INFO', 'name': 'headwater', "
        "'flush_interval_seconds': 600.0, 'max_batch_size': 1000, 'max_attempts': 5, "
        "'use_unsigned_session': False}\n"
        "cloudwatch_logger.logger_fn(build_init_logger_context(config)).info('last words')\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert received(logs) == ["INFO - last words"]


def wait_for_lines(logs, count: int, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            messages = received(logs)
        except logs.exceptions.ResourceNotFoundException:
            messages = []
        if len(messages) >= count:
            return messages
        time.sleep(0.05)
    return messages


@solid
def log_a_full_batch_then_look(context) -> int:
    for number in range(5):
        context.log.info(f"batched line {number}")
    client = boto3.client("logs", endpoint_url=context.run_config["loggers"]["cloudwatch"]
                          ["config"]["endpoint_url"], region_name=REGION)
    return len(received(client))


@solid
def log_one_line_then_wait(context) -> int:
    context.log.info("a lonely line")
    client = boto3.client("logs", endpoint_url=context.run_config["loggers"]["cloudwatch"]
                          ["config"]["endpoint_url"], region_name=REGION)
    # Well before the default interval (5 seconds) would send it.
    return len(wait_for_lines(client, 1, timeout=2.0))


@pipeline(mode_defs=[ModeDefinition(logger_defs={"cloudwatch": "cloudwatch_logger"})])
def batching_pipeline():
    log_a_full_batch_then_look()
    log_one_line_then_wait()


def test_a_full_batch_is_sent_without_waiting_for_the_step_to_end(moto):
    result = execute_pipeline(batching_pipeline, run_config=logger_config(moto, max_batch_size=5),
                              solid_selection=["log_a_full_batch_then_look"])
    assert result.output_for_solid("log_a_full_batch_then_look") == 5


def test_a_line_waits_no_longer_than_the_flush_interval(moto):
    result = execute_pipeline(batching_pipeline,
                              run_config=logger_config(moto, flush_interval_seconds=0.1),
                              solid_selection=["log_one_line_then_wait"])
    assert result.output_for_solid("log_one_line_then_wait") == 1


def test_an_unreachable_endpoint_loses_the_lines_but_not_the_run(moto, capfd):
    nowhere = f"http://127.0.0.1:{free_port()}"
    result = execute_pipeline(logging_pipeline,
                              run_config=logger_config(nowhere, max_attempts=1))
    assert result.success
    assert "log lines were not sent to CloudWatch Logs: Could not connect to " \
           f"{nowhere} while sending log lines" in capfd.readouterr().err
