"""Fault injection on launched runs: a process that is stopped, starved of the GIL, or cut
off from the monitor never ends up running a run twice or recording success for a run the
monitor failed."""

from __future__ import annotations

import os
import signal
import time

import pytest

from headwater.daemon.controller import DaemonController
from headwater.daemon.run_monitor import RunMonitorDuty
from headwater.errors import HeadwaterInvariantViolationError
from headwater.execution.reexecution import reexecute_pipeline
from headwater.execution.run import PipelineRunStatus
from headwater.instance.run_process import HOSTNAME_TAG, RunProcess

S = PipelineRunStatus
TIMEOUT = 2.0  # the heartbeat timeout of the test instances (conftest.FAST_MONITORING)


def _chain_config(counter, **second):
    return {"solids": {"first": {"config": {"counter": str(counter)}},
                       "second": {"config": {"counter": str(counter), **second}},
                       "third": {"config": {"counter": str(counter)}}}}


def _monitor_for(instance, seconds):
    """Run the monitor's iterations for ``seconds`` (longer than the heartbeat timeout)."""
    controller = DaemonController(instance, [RunMonitorDuty.for_instance(instance)])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        controller.run_once()
        time.sleep(0.1)


def _heartbeat_age(instance, run_id):
    [record] = [r for r in instance.get_run_records() if r.run.run_id == run_id]
    return time.time() - record.heartbeat_timestamp


@pytest.fixture
def started_chain(launch_instance, make_run, counter, tmp_path, wait_until):
    """``started_chain(**second_config)``: a launched run of ``chain`` whose second step is
    running (its process id known)."""

    def start(**second):
        pid_file = tmp_path / "second.pid"
        run = make_run(launch_instance, _chain_config(counter, pid_file=str(pid_file),
                                                      **second), pipeline="chain")
        launch_instance.launch_run(run.run_id)
        wait_until(pid_file.exists, what="the run's second step to start")
        wait_until(lambda: pid_file.read_text(), what="the pid to be written")
        return run, int(pid_file.read_text())

    return start


def test_a_stopped_local_process_is_not_failed_and_its_run_ends_success_once_resumed(
        launch_instance, started_chain, finished_run, counted):
    run, pid = started_chain(sleep=0.5)
    os.kill(pid, signal.SIGSTOP)
    try:
        _monitor_for(launch_instance, TIMEOUT + 1.5)
        assert _heartbeat_age(launch_instance, run.run_id) > TIMEOUT
        assert launch_instance.get_run_by_id(run.run_id).status is S.STARTED
    finally:
        os.kill(pid, signal.SIGCONT)
    assert finished_run(launch_instance, run.run_id).status is S.SUCCESS
    assert counted() == ["first", "second", "third"]


def test_a_solid_holding_the_gil_past_the_heartbeat_timeout_keeps_its_run(
        launch_instance, started_chain, finished_run, counted, wait_until):
    run, _ = started_chain(hold_gil_seconds=TIMEOUT * 2)
    controller = DaemonController(launch_instance, [RunMonitorDuty.for_instance(launch_instance)])

    def silent_past_timeout():
        controller.run_once()
        return _heartbeat_age(launch_instance, run.run_id) > TIMEOUT

    wait_until(silent_past_timeout, 30, "the starved heartbeat to go past the timeout")
    controller.run_once()
    assert finished_run(launch_instance, run.run_id).status is S.SUCCESS
    assert counted() == ["first", "second", "third"]
    assert not launch_instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")


def test_a_process_on_another_host_that_lost_its_run_stops_and_records_no_success(
        launch_instance, started_chain, finished_run, counted, wait_until):
    run, pid = started_chain(sleep=1.0)
    # As the monitor sees it, the process runs on another host: only its heartbeat tells.
    launch_instance.add_run_tags(run.run_id, {HOSTNAME_TAG: "another-host"})
    os.kill(pid, signal.SIGSTOP)
    try:
        _monitor_for(launch_instance, TIMEOUT + 1.5)
        assert launch_instance.get_run_by_id(run.run_id).status is S.FAILURE
    finally:
        os.kill(pid, signal.SIGCONT)
    local = RunProcess.local(pid)
    wait_until(lambda: not local.is_alive(), 30, "the process that lost its run to exit")
    assert launch_instance.get_run_by_id(run.run_id).status is S.FAILURE
    assert counted() == ["first", "second"]
    assert not launch_instance.all_logs(run.run_id, of_type="PIPELINE_SUCCESS")
    assert not launch_instance.all_logs(run.run_id, of_type="STEP_START")[2:]
    stopped = [e.user_message for e in launch_instance.all_logs(run.run_id,
                                                                of_type="ENGINE_EVENT")]
    assert any('is FAILURE' in m and 'step "third" does not start' in m for m in stopped)


def test_reexecution_is_refused_while_the_parent_runs_process_is_alive(
        launch_instance, started_chain, finished_run, work_file):
    from headwater.execution.reconstruct import ReconstructablePipeline

    run, pid = started_chain(sleep=30)
    chain = ReconstructablePipeline({"python_file": str(work_file), "pipeline_name": "chain"})
    with pytest.raises(HeadwaterInvariantViolationError,
                       match=rf"process \(pid {pid} on .*\) is still alive"):
        reexecute_pipeline(chain, run.run_id, instance=launch_instance)
    launch_instance.cancel_run(run.run_id, grace_seconds=5)
    assert finished_run(launch_instance, run.run_id).status is S.CANCELED
