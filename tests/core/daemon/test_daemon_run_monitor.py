"""The run monitor: a run in progress whose process is gone, or silent for too long, ends
FAILURE (or CANCELED, if it was being canceled) with the reason, within a bounded time."""

import os
import signal
import subprocess
import sys
import time

from headwater.daemon import DaemonController, RunMonitorDuty
from headwater.execution.events import HeadwaterEventType
from headwater.execution.run import PipelineRunStatus
from headwater.instance.run_process import HOSTNAME_TAG, PID_TAG, RunProcess

S = PipelineRunStatus
TIMEOUT = 2.0


def _in_progress(instance, run, process, heartbeat, status=HeadwaterEventType.PIPELINE_START):
    """The run as a run process leaves it: started, its process recorded, a heartbeat."""
    instance.report_run_event(run, status, "as its process would")
    instance.add_run_tags(run.run_id, process.tags)
    instance.record_run_heartbeat(run.run_id, heartbeat)
    return instance.get_run_by_id(run.run_id)


def _gone_process():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return RunProcess(child.pid, RunProcess.current().hostname)


def test_a_launched_run_whose_process_was_killed_ends_failure_within_the_poll_interval(
        launch_instance, make_run, work_config, wait_until, tmp_path):
    pid_file = tmp_path / "second.pid"
    run = make_run(launch_instance, work_config(sleep=60, pid_file=str(pid_file)))
    launch_instance.launch_run(run.run_id)
    wait_until(pid_file.exists, what="the run's second step to start")
    process = RunProcess.of(launch_instance.get_run_by_id(run.run_id))
    os.kill(process.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    controller = DaemonController(launch_instance, [RunMonitorDuty.for_instance(launch_instance)])

    def failed():
        controller.run_once()
        return launch_instance.get_run_by_id(run.run_id).status is S.FAILURE

    wait_until(failed, TIMEOUT, "the monitor to fail the run")
    assert time.monotonic() - killed_at < TIMEOUT
    [failure] = launch_instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")
    assert f"its process ({process.describe()}) is gone" in failure.user_message
    [engine] = [e for e in launch_instance.all_logs(run.run_id, of_type="ENGINE_EVENT")
                if "run monitor" in e.user_message]
    assert "is STARTED but its process" in engine.user_message


def test_a_run_whose_heartbeat_stopped_ends_failure_once_the_timeout_passed(
        launch_instance, make_run, work_config):
    elsewhere = RunProcess(4242, "another-host")
    run = _in_progress(launch_instance, make_run(launch_instance, work_config()), elsewhere,
                       heartbeat=1000.0)
    monitor = RunMonitorDuty(0.1, heartbeat_timeout_seconds=TIMEOUT)
    monitor.run_iteration(launch_instance, now=1000.0 + TIMEOUT - 0.5)
    assert launch_instance.get_run_by_id(run.run_id).status is S.STARTED
    monitor.run_iteration(launch_instance, now=1000.0 + TIMEOUT + 0.5)
    assert launch_instance.get_run_by_id(run.run_id).status is S.FAILURE
    [failure] = launch_instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")
    assert "wrote no heartbeat for 2.5s (the limit is 2s)" in failure.user_message


def test_a_run_whose_process_lives_and_beats_is_left_alone(launch_instance, make_run,
                                                           work_config):
    run = _in_progress(launch_instance, make_run(launch_instance, work_config()),
                       RunProcess.current(), heartbeat=time.time())
    RunMonitorDuty(0.1, TIMEOUT).run_iteration(launch_instance, time.time())
    assert launch_instance.get_run_by_id(run.run_id).status is S.STARTED


def test_a_run_executed_from_python_records_no_process_and_is_left_alone(
        launch_instance, make_run, work_config):
    run = make_run(launch_instance, work_config())
    launch_instance.report_run_event(run, HeadwaterEventType.PIPELINE_START, "in a notebook")
    RunMonitorDuty(0.1, TIMEOUT).run_iteration(launch_instance, time.time() + 3600)
    run = launch_instance.get_run_by_id(run.run_id)
    assert run.status is S.STARTED
    assert PID_TAG not in run.tags and HOSTNAME_TAG not in run.tags


def test_a_run_being_canceled_whose_process_is_gone_ends_canceled(launch_instance, make_run,
                                                                  work_config):
    run = _in_progress(launch_instance, make_run(launch_instance, work_config()),
                       _gone_process(), time.time(), HeadwaterEventType.PIPELINE_CANCELING)
    RunMonitorDuty(0.1, TIMEOUT).run_iteration(launch_instance, time.time())
    assert launch_instance.get_run_by_id(run.run_id).status is S.CANCELED


def test_a_starting_run_whose_process_is_gone_ends_failure(launch_instance, make_run,
                                                           work_config):
    run = _in_progress(launch_instance, make_run(launch_instance, work_config()),
                       _gone_process(), time.time(), HeadwaterEventType.PIPELINE_STARTING)
    RunMonitorDuty(0.1, TIMEOUT).run_iteration(launch_instance, time.time())
    [failure] = launch_instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")
    assert "Steps it was running did not finish" in failure.user_message
