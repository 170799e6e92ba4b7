"""Launching runs: each in a ``headwater api execute-run`` process of its own, through the
run coordinator; and the run process itself."""

import os
import subprocess
import sys

import pytest

from headwater.errors import HeadwaterInstanceError, HeadwaterInvariantViolationError
from headwater.execution.run import PipelineRunStatus
from headwater.instance import Instance
from headwater.instance.run_process import RunProcess
from headwater.serdes import serialize

S = PipelineRunStatus


def test_a_launched_run_executes_in_a_process_of_its_own(launch_instance, make_run,
                                                          work_config, finished_run, counted):
    run = make_run(launch_instance, work_config())
    launched = launch_instance.launch_run(run.run_id)
    assert launched.status is S.STARTING
    ended = finished_run(launch_instance, run.run_id)
    assert ended.status is S.SUCCESS
    process = RunProcess.of(ended)
    assert process.pid != os.getpid()
    assert process.is_local
    assert counted() == ["first", "second"]
    [record] = launch_instance.get_run_records()
    assert record.heartbeat_timestamp is not None
    kinds = [e.event_type.value for e in launch_instance.all_logs(run.run_id)
             if e.event_type is not None and e.step_key is None]
    assert kinds == ["PIPELINE_STARTING", "ENGINE_EVENT", "PIPELINE_START", "PIPELINE_SUCCESS"]


def test_the_default_coordinator_launches_a_submitted_run_at_once(launch_instance, make_run,
                                                                  work_config, finished_run):
    run = make_run(launch_instance, work_config())
    assert launch_instance.submit_run(run.run_id).status is S.STARTING
    assert finished_run(launch_instance, run.run_id).status is S.SUCCESS


def test_the_queued_coordinator_puts_a_submitted_run_in_the_queue(open_instance, make_run,
                                                                  work_config):
    with open_instance({"run_coordinator": "queued"}) as instance:
        run = make_run(instance, work_config())
        assert instance.submit_run(run.run_id).status is S.QUEUED
        [enqueued] = instance.all_logs(run.run_id, of_type="PIPELINE_ENQUEUED")
        assert "run queue" in enqueued.user_message


def test_a_run_that_fails_to_load_its_code_ends_failure_with_the_reason(
        launch_instance, make_run, work_config, work_file, finished_run):
    run = make_run(launch_instance, work_config())
    work_file.write_text("raise ImportError('the code is broken')\n")
    launch_instance.launch_run(run.run_id)
    ended = finished_run(launch_instance, run.run_id)
    assert ended.status is S.FAILURE
    [failure] = launch_instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")
    assert "could not start" in failure.user_message
    assert "the code is broken" in failure.user_message


def test_a_failed_launched_run_re_executed_from_failure_reuses_the_parent_outputs(
        launch_instance, make_run, work_config, work_file, finished_run, counted):
    from headwater.execution.reconstruct import ReconstructablePipeline
    from headwater.execution.reexecution import prepare_reexecution

    parent = make_run(launch_instance, work_config(fail=True))
    launch_instance.launch_run(parent.run_id)
    assert finished_run(launch_instance, parent.run_id).status is S.FAILURE
    pipeline = ReconstructablePipeline(parent.pipeline_origin)
    prepared, _ = prepare_reexecution(pipeline, parent.run_id, launch_instance,
                                      work_config(), from_failure=True)
    launch_instance.create_run(prepared.run)
    launch_instance.launch_run(prepared.run.run_id)
    assert finished_run(launch_instance, prepared.run.run_id).status is S.SUCCESS
    assert counted() == ["first", "second", "second"]


def test_launching_needs_a_persistent_instance(make_run, work_config):
    with Instance.ephemeral() as instance:
        run = make_run(instance, work_config())
        with pytest.raises(HeadwaterInstanceError, match="keeps runs in memory"):
            instance.launch_run(run.run_id)


def test_a_run_that_started_cannot_be_launched_again(launch_instance, make_run, work_config,
                                                     finished_run):
    run = make_run(launch_instance, work_config())
    launch_instance.launch_run(run.run_id)
    finished_run(launch_instance, run.run_id)
    with pytest.raises(HeadwaterInvariantViolationError, match="only a run not started yet"):
        launch_instance.launch_run(run.run_id)


def _execute_run(instance, run_id):
    command = [sys.executable, "-m", "headwater", "api", "execute-run", "--run-id", run_id,
               "--instance-ref", serialize(instance.get_ref())]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_the_run_process_exits_0_when_the_run_succeeds(launch_instance, make_run,
                                                       work_config):
    run = make_run(launch_instance, work_config())
    assert _execute_run(launch_instance, run.run_id).returncode == 0
    assert launch_instance.get_run_by_id(run.run_id).status is S.SUCCESS


def test_the_run_process_exits_1_when_the_run_fails(launch_instance, make_run, work_config):
    run = make_run(launch_instance, work_config(fail=True))
    assert _execute_run(launch_instance, run.run_id).returncode == 1
    assert launch_instance.get_run_by_id(run.run_id).status is S.FAILURE
