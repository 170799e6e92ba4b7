"""The spark executor, on the tests' local[2] SparkContext (which it joins): each step a
Spark task in a Python worker, its events recorded in the run's instance, failures and
lost steps failing the run with their cause."""

from __future__ import annotations

import os
import threading
import time

import pytest
from spark_pipelines import squares_pipeline, troubled_pipeline

from headwater import (
    HeadwaterInvalidDefinitionError,
    ModeDefinition,
    PipelineRunStatus,
    execute_pipeline,
    fs_io_manager,
    instance_for_test,
    pipeline,
    reconstructable,
    reexecute_pipeline,
    solid,
)
from headwater_spark import RESOURCES_TAG

ON_SPARK = {"execution": {"spark": {}}}


def test_every_step_runs_in_a_spark_python_worker_and_the_run_succeeds(spark_session):
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(squares_pipeline), run_config=ON_SPARK,
                                  instance=instance)
        assert result.success
        assert result.output_for_solid("total") == 0 + 1 + 4 + 9
    step_pids = {event.pid for event in result.event_list if event.is_step_event}
    assert step_pids and os.getpid() not in step_pids


def test_with_one_slot_every_step_of_the_run_runs_in_one_python_worker(spark_session):
    # max_concurrent 1: one long-running task pulls all ten steps, one after another.
    run_config = {"execution": {"spark": {"config": {"max_concurrent": 1}}},
                  "solids": {"fan_out": {"config": {"count": 8}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(squares_pipeline), run_config=run_config,
                                  instance=instance)
    assert result.success
    step_pids = {event.pid for event in result.event_list if event.is_step_event}
    assert len(step_pids) == 1


def test_the_steps_events_and_log_lines_are_in_the_runs_instance(spark_session):
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(squares_pipeline), run_config=ON_SPARK,
                                  instance=instance)
        entries = instance.all_logs(result.run_id)
        messages = [entry.user_message for entry in entries]
        successes = [e for e in entries if e.headwater_event is not None
                     and e.headwater_event.event_type_value == "STEP_SUCCESS"]
        logs = instance.compute_log_manager.read_logs(result.run_id, "square[n3]")
    assert any(message.startswith("squaring 3 in process") for message in messages)
    assert "printed while squaring 3" in logs.stdout
    assert len(successes) == 6  # fan_out, four squares, total


def test_a_step_that_raises_fails_the_run_with_its_error_and_keeps_other_outputs(
        spark_session):
    config = {**ON_SPARK, "solids": {"troublesome": {"config": {"how": "raise"}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(troubled_pipeline), run_config=config,
                                  instance=instance, raise_on_error=False)
        assert instance.get_run_by_id(result.run_id).status == PipelineRunStatus.FAILURE
        failure = result.result_for_solid("troublesome").failure_data
        assert "the data for 2026-12-04 is not there yet" in failure.error.message
        # What succeeded is stored, and a re-execution from the failure runs only the rest.
        child = reexecute_pipeline(reconstructable(troubled_pipeline), result.run_id,
                                   run_config=ON_SPARK, instance=instance, from_failure=True)
        assert child.success
        assert child.output_for_solid("add") == 2
    assert {e.step_key for e in child.event_list if e.event_type_value == "STEP_START"} == {
        "troublesome", "add"}


def test_a_step_whose_python_worker_dies_fails_with_sparks_reason(spark_session):
    config = {**ON_SPARK, "solids": {"troublesome": {"config": {"how": "lose"}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(troubled_pipeline), run_config=config,
                                  instance=instance, raise_on_error=False)
        status = instance.get_run_by_id(result.run_id).status
    assert status == PipelineRunStatus.FAILURE
    message = result.result_for_solid("troublesome").failure_data.error.message
    assert message.startswith('The Spark task of step "troublesome" failed on the cluster:')
    assert result.result_for_solid("one").success


@solid(tags={RESOURCES_TAG: '{"cpus": "two"}'})
def greedy(_context) -> int:
    return 1


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def greedy_pipeline():
    greedy()


def test_a_malformed_resources_tag_is_refused_before_any_step_runs(spark_session):
    with instance_for_test() as instance, pytest.raises(HeadwaterInvalidDefinitionError) as raised:
        execute_pipeline(reconstructable(greedy_pipeline), run_config=ON_SPARK,
                         instance=instance)
    assert f'The tag "{RESOURCES_TAG}" of solid "greedy"' in str(raised.value)


def test_a_steps_log_line_is_in_the_instance_while_the_step_is_still_running(
        spark_session, tmp_path):
    from spark_pipelines import signal_pipeline

    signal = tmp_path / "go"
    config = {**ON_SPARK, "solids": {"wait_for_signal": {"config": {"signal": str(signal)}}}}
    with instance_for_test() as instance:
        outcome: dict = {}
        runner = threading.Thread(target=lambda: outcome.setdefault("result", execute_pipeline(
            reconstructable(signal_pipeline), run_config=config, instance=instance)))
        runner.start()
        try:
            seen = _wait_for_message(instance, f"waiting for {signal}", deadline_seconds=180)
            step_ended = {entry.headwater_event.event_type_value
                          for entry in instance.all_logs(seen.run_id)
                          if entry.headwater_event is not None
                          and entry.headwater_event.step_key == "wait_for_signal"}
        finally:
            signal.touch()  # the step ends either way
            runner.join(timeout=300)
        assert "STEP_SUCCESS" not in step_ended and "STEP_FAILURE" not in step_ended
        assert outcome["result"].output_for_solid("wait_for_signal") == "signalled"


def _wait_for_message(instance, message: str, deadline_seconds: float):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        for run in instance.get_runs():
            for entry in instance.all_logs(run.run_id):
                if entry.user_message == message:
                    return entry
        time.sleep(0.1)
    pytest.fail(f"{message!r} did not reach the instance within {deadline_seconds:g}s")
