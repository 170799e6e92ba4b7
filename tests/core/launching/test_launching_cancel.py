"""Canceling runs: a queued run is dropped; a run in progress is stopped and ends CANCELED,
and none of its processes is left behind."""

from headwater.execution.run import PipelineRunStatus
from headwater.instance.run_process import RunProcess

S = PipelineRunStatus


def _started(instance, run_id, pid_file, wait_until):
    """The run's process, once its second step is running (it wrote its pid)."""
    wait_until(pid_file.exists, what="the second step to start")
    return RunProcess.of(instance.get_run_by_id(run_id))


def test_canceling_a_launched_run_ends_it_canceled_and_stops_its_process(
        launch_instance, make_run, work_config, wait_until, tmp_path):
    pid_file = tmp_path / "second.pid"
    run = make_run(launch_instance, work_config(sleep=60, pid_file=str(pid_file)))
    launch_instance.launch_run(run.run_id)
    process = _started(launch_instance, run.run_id, pid_file, wait_until)
    canceled = launch_instance.cancel_run(run.run_id, grace_seconds=20)
    assert canceled.status is S.CANCELED
    wait_until(lambda: not process.is_alive(), 10, "the run's process to exit")
    [event] = launch_instance.all_logs(run.run_id, of_type="PIPELINE_CANCELED")
    assert "received SIGTERM" in event.user_message


def test_canceling_a_multiprocess_run_stops_its_workers(launch_instance, make_run,
                                                        work_config, wait_until, tmp_path):
    pid_file = tmp_path / "second.pid"
    run = make_run(launch_instance, work_config("multiprocess", sleep=60,
                                                pid_file=str(pid_file)))
    launch_instance.launch_run(run.run_id)
    process = _started(launch_instance, run.run_id, pid_file, wait_until)
    worker = RunProcess(int(pid_file.read_text()), process.hostname)
    assert worker.pid != process.pid
    assert launch_instance.cancel_run(run.run_id, grace_seconds=20).status is S.CANCELED
    wait_until(lambda: not process.is_alive() and not worker.is_alive(), 10,
               "the run's process and its worker to exit")


def test_a_run_process_that_does_not_stop_is_killed_after_the_grace_period(
        launch_instance, make_run, work_config, wait_until, tmp_path):
    pid_file = tmp_path / "second.pid"
    run = make_run(launch_instance, work_config(sleep=60, ignore_sigterm=True,
                                                pid_file=str(pid_file)))
    launch_instance.launch_run(run.run_id)
    process = _started(launch_instance, run.run_id, pid_file, wait_until)
    canceled = launch_instance.cancel_run(run.run_id, grace_seconds=0.5)
    assert canceled.status is S.CANCELED
    wait_until(lambda: not process.is_alive(), 10, "the killed process to be gone")
    [event] = launch_instance.all_logs(run.run_id, of_type="PIPELINE_CANCELED")
    assert "did not stop within 0.5s and was killed" in event.user_message


def test_a_run_marked_canceling_elsewhere_stops_at_its_next_heartbeat(
        launch_instance, make_run, work_config, wait_until, tmp_path, finished_run):
    pid_file = tmp_path / "second.pid"
    run = make_run(launch_instance, work_config(sleep=60, pid_file=str(pid_file)))
    launch_instance.launch_run(run.run_id)
    _started(launch_instance, run.run_id, pid_file, wait_until)
    # What a cancel from another host does: it cannot signal the process.
    launch_instance.report_run_canceling(launch_instance.get_run_by_id(run.run_id))
    assert finished_run(launch_instance, run.run_id, timeout=10).status is S.CANCELED


def test_canceling_a_queued_run_ends_it_canceled_without_launching_it(open_instance,
                                                                      make_run, work_config,
                                                                      counted):
    with open_instance({"run_coordinator": "queued"}) as instance:
        run = make_run(instance, work_config())
        instance.submit_run(run.run_id)
        assert instance.cancel_run(run.run_id).status is S.CANCELED
        assert instance.all_logs(run.run_id, of_type="PIPELINE_STARTING") == []
    assert counted() == []


def test_canceling_a_run_that_ended_leaves_it_as_it_is(launch_instance, make_run,
                                                       work_config, finished_run):
    run = make_run(launch_instance, work_config())
    launch_instance.launch_run(run.run_id)
    finished_run(launch_instance, run.run_id)
    assert launch_instance.cancel_run(run.run_id).status is S.SUCCESS
