"""The multiprocess executor with a real instance: steps run in worker processes, their
events and output are recorded, and a worker that dies fails its step and the run."""

import os
import sys

from headwater import execute_pipeline
from headwater.execution.reconstruct import ReconstructablePipeline


def _work(work_file, name="work"):
    return ReconstructablePipeline({"python_file": str(work_file), "pipeline_name": name})


def test_steps_run_in_worker_processes_and_are_recorded_in_the_instance(
        launch_instance, work_file, work_config, counted):
    result = execute_pipeline(_work(work_file), work_config("multiprocess"),
                              instance=launch_instance)
    assert result.success
    starts = launch_instance.all_logs(result.run_id, of_type="STEP_START")
    pids = {entry.headwater_event.pid for entry in starts}
    assert len(starts) == 2
    assert os.getpid() not in pids
    assert counted() == ["first", "second"]
    assert launch_instance.get_run_by_id(result.run_id).status.value == "SUCCESS"
    assert result.result_for_solid("second").output_value() == 2


def test_a_worker_killed_with_sigkill_fails_its_step_and_the_run_with_the_reason(
        launch_instance, work_file, work_config):
    result = execute_pipeline(_work(work_file), work_config("multiprocess", kill=True),
                              instance=launch_instance, raise_on_error=False)
    assert not result.success
    [failure] = launch_instance.all_logs(result.run_id, of_type="STEP_FAILURE")
    assert failure.step_key == "second"
    assert "exited unexpectedly with signal SIGKILL" in failure.user_message
    assert launch_instance.get_run_by_id(result.run_id).status.value == "FAILURE"
    [run_failure] = launch_instance.all_logs(result.run_id, of_type="PIPELINE_FAILURE")
    assert "Steps failed" in run_failure.user_message


def test_what_steps_print_in_workers_is_kept_as_their_compute_logs(
        launch_instance, work_file, work_config):
    result = execute_pipeline(_work(work_file), work_config("multiprocess"),
                              instance=launch_instance)
    logs = launch_instance.compute_log_manager.read_logs(result.run_id, "first")
    assert logs.stdout == "first says hello\n"
    # What the worker's console logger wrote during the step is the step's output too.
    assert logs.stderr.endswith("first ran\nfirst warns\n")


def test_what_steps_print_in_process_is_kept_as_their_compute_logs(
        launch_instance, work_file, work_config, monkeypatch):
    # print() as in a real process: to file descriptors 1 and 2 (pytest's own stand-ins
    # write elsewhere).
    monkeypatch.setattr(sys, "stdout", sys.__stdout__)
    monkeypatch.setattr(sys, "stderr", sys.__stderr__)
    result = execute_pipeline(_work(work_file), work_config(), instance=launch_instance)
    logs = launch_instance.compute_log_manager.read_logs(result.run_id, "first")
    assert logs.stdout == "first says hello\n"
    assert logs.stderr.endswith("first ran\nfirst warns\n")
    assert launch_instance.compute_log_manager.read_logs(result.run_id, "second").stdout == ""


def test_a_run_without_an_instance_captures_nothing(work_file, work_config, capfd):
    result = execute_pipeline(_work(work_file), work_config())
    assert result.success
    assert "first says hello" in capfd.readouterr().out


HOOKED = '''
from headwater import ModeDefinition, fs_io_manager, pipeline, solid, success_hook

MARKER = {marker!r}


@success_hook
def mark(context):
    with open(MARKER, "a") as file:
        file.write(context.step_key + "\\n")


@solid
def only() -> int:
    return 1


@pipeline(mode_defs=[ModeDefinition(resource_defs={{"io_manager": fs_io_manager}})])
def hooked():
    only.with_hooks({{mark}})()
'''


def test_the_last_steps_hooks_run_in_the_worker_before_the_run_ends(launch_instance, tmp_path):
    marker = tmp_path / "hooks.txt"
    pipeline_file = tmp_path / "hooked.py"
    pipeline_file.write_text(HOOKED.format(marker=str(marker)))
    pipeline = ReconstructablePipeline({"python_file": str(pipeline_file),
                                        "pipeline_name": "hooked"})
    result = execute_pipeline(pipeline, {"execution": {"multiprocess": {}}},
                              instance=launch_instance)
    assert result.success
    assert marker.read_text() == "only\n"
    [hook_event] = launch_instance.all_logs(result.run_id, of_type="HOOK_COMPLETED")
    assert hook_event.step_key == "only"
