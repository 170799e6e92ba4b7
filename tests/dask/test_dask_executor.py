"""The dask executor runs each step of a run as a task on a Dask cluster's worker
processes, with outputs passing through the run's persistent IO manager and events
recorded as they happen."""

from __future__ import annotations

import itertools
import logging
import os
import threading

import pytest
from dask_pipelines import pointer, wait_until

from headwater import execute_pipeline
from headwater.instance import Instance, instance_for_test


def step_event_types(result):
    return {key: [e.event_type_value for e in events]
            for key, events in result.events_by_step_key.items()}


def test_steps_and_their_resources_run_in_the_worker_processes(instance, on_cluster):
    result = execute_pipeline(pointer("process_ids"), run_config={"execution": on_cluster},
                              instance=instance)

    assert result.success
    resource_pid, step_pid = result.output_for_solid("own_pid")
    assert os.getpid() not in (resource_pid, step_pid)
    starts = [e.headwater_event for e in instance.all_logs(result.run_id)
              if e.headwater_event and e.headwater_event.event_type_value == "STEP_START"]
    assert len(starts) == 2
    assert all(event.pid not in (None, os.getpid()) for event in starts)


def test_resources_built_on_a_worker_are_torn_down_there_when_the_run_ends(instance,
                                                                          on_cluster):
    result = execute_pipeline(pointer("process_ids"), run_config={"execution": on_cluster},
                              instance=instance)

    resource_pid, _ = result.output_for_solid("own_pid")
    lines = [e.user_message for e in instance.all_logs(result.run_id)
             if e.user_message.startswith("Tore down")]
    # The driver builds the run's resources too, and tears its own down last.
    assert lines == [f"Tore down the resource of process {resource_pid}.",
                     f"Tore down the resource of process {os.getpid()}."]


def test_a_hundred_way_dynamic_fan_out_runs_across_the_workers_and_is_collected_whole(
        instance, on_cluster):
    result = execute_pipeline(pointer("fan_out"), run_config={"execution": on_cluster},
                              instance=instance)

    assert result.success
    collected = result.output_for_solid("total")
    assert collected["count"] == 100
    assert collected["sum"] == sum(n * n for n in range(100))
    assert len(collected["pids"]) == 2
    assert os.getpid() not in collected["pids"]


def test_a_step_starts_when_its_own_inputs_are_ready_not_when_its_level_is_done(
        instance, on_cluster):
    run_config = {"execution": on_cluster, "solids": {
        "slow": {"config": {"seconds": 1.5}}, "fast": {"config": {"seconds": 0.0}}}}

    result = execute_pipeline(pointer("slow_and_fast"), run_config=run_config,
                              instance=instance)

    assert result.success
    assert result.output_for_solid("fast_then") < result.output_for_solid("slow")


def test_max_concurrent_limits_the_steps_submitted_at_once(instance, on_cluster):
    on_cluster["dask"]["config"]["max_concurrent"] = 1
    run_config = {"execution": on_cluster, "solids": {
        "slow": {"config": {"seconds": 0.5}}, "fast": {"config": {"seconds": 0.0}}}}

    result = execute_pipeline(pointer("slow_and_fast"), run_config=run_config,
                              instance=instance)

    assert result.success
    # One at a time: the step after "fast" cannot finish before "slow" if "slow" went
    # first, nor can "slow" overlap the other two.
    starts = {e.step_key: e.timestamp for e in instance.all_logs(result.run_id)
              if e.headwater_event and e.headwater_event.event_type_value == "STEP_START"}
    ends = {e.step_key: e.timestamp for e in instance.all_logs(result.run_id)
            if e.headwater_event and e.headwater_event.event_type_value == "STEP_SUCCESS"}
    spans = sorted((starts[key], ends[key]) for key in starts)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


def test_events_and_log_lines_reach_the_instance_while_the_run_is_still_going(
        instance, on_cluster, tmp_path):
    signal = tmp_path / "go"
    run_config = {"execution": on_cluster,
                  "solids": {"wait_for_signal": {"config": {"signal": str(signal)}}}}
    results = []
    runner = threading.Thread(daemon=True, target=lambda: results.append(execute_pipeline(
        pointer("waits_for_signal"), run_config=run_config, instance=instance)))
    runner.start()
    try:
        # Another reader of the same instance, as `headwater run logs --follow` is.
        with Instance.from_ref(instance.get_ref()) as reader:
            seen = wait_until(lambda: _seen_waiting(reader), "the log line", timeout=10)
            assert runner.is_alive()
            assert not reader.get_runs()[0].is_finished
    finally:
        signal.touch()
        runner.join(30)
    assert results, "the run did not end"

    assert seen == [("first", "STEP_START"), ("first", "STEP_SUCCESS"),
                    ("wait_for_signal", "STEP_START"), ("wait_for_signal", "INFO")]
    assert results[0].success


def _seen_waiting(reader):
    """What the run has recorded about its steps, once the waiting step says it waits."""
    runs = reader.get_runs()
    if not runs:
        return None
    entries = [e for e in reader.logs_after(runs[0].run_id, -1) if e.step_key]
    if not any(e.user_message == "Waiting for the signal." for e in entries):
        return None
    return [(e.step_key, e.headwater_event.event_type_value if e.headwater_event else
             logging.getLevelName(e.level)) for e in entries
            if e.headwater_event is None or e.headwater_event.event_type_value in
            ("STEP_START", "STEP_SUCCESS")]


@pytest.mark.parametrize("retries", [{"enabled": {}}, {"disabled": {}}])
def test_retries_and_retry_policies_behave_as_with_the_in_process_executor(
        instance, on_cluster, retries):
    on_cluster["dask"]["config"]["retries"] = retries
    in_process = execute_pipeline(
        pointer("retries"), instance=instance, raise_on_error=False,
        run_config={"execution": {"in_process": {"config": {"retries": retries}}}})

    on_dask = execute_pipeline(pointer("retries"), run_config={"execution": on_cluster},
                               instance=instance, raise_on_error=False)

    assert step_event_types(on_dask) == step_event_types(in_process)
    assert not on_dask.success
    if "enabled" in retries:
        assert on_dask.output_for_solid("after_fails_twice") == 2
        assert on_dask.output_for_solid("after_asks_for_retry") == 1
    assert "after_always_fails" not in step_event_types(on_dask)


def test_a_single_thread_worker_keeps_what_each_step_prints(on_cluster):
    with instance_for_test(overrides={"compute_logs": "local"}) as instance:
        result = execute_pipeline(pointer("two_printers"), instance=instance,
                                  run_config={"execution": on_cluster})

        assert result.success
        for step_key in ("printer_a", "printer_b"):
            pid = result.output_for_solid(step_key)
            logs = instance.compute_log_manager.read_logs(result.run_id, step_key)
            assert logs.stdout == f"printed by {pid}\n"


def test_a_worker_with_several_threads_runs_printing_steps_at_once_without_capturing(
        on_threaded_cluster):
    with instance_for_test(overrides={"compute_logs": "local"}) as instance:
        result = execute_pipeline(pointer("two_printers"), instance=instance,
                                  run_config={"execution": on_threaded_cluster})

        assert result.success
        assert result.output_for_solid("printer_a") == result.output_for_solid("printer_b")
        assert instance.compute_log_manager.read_logs(result.run_id, "printer_a").stdout == ""


def test_workers_in_the_runs_own_process_run_steps_without_capturing(tmp_path):
    # tcp on loopback: the in-process protocol looks up the machine's address outside.
    in_process = {"local": {"processes": False, "n_workers": 1, "threads_per_worker": 1,
                            "protocol": "tcp://", "host": "127.0.0.1"}}
    with instance_for_test(overrides={"compute_logs": "local"}) as instance:
        result = execute_pipeline(
            pointer("two_printers"), instance=instance,
            run_config={"execution": {"dask": {"config": {"cluster": in_process}}}})

        assert result.success
        assert result.output_for_solid("printer_a") == os.getpid()
        assert instance.compute_log_manager.read_logs(result.run_id, "printer_a").stdout == ""
