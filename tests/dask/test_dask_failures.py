"""What the dask executor does when a step's worker dies, when the run is stopped, and
what it refuses before it starts anything."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from dask_pipelines import PIPELINES, pointer, wait_until
from distributed import Future

from headwater import execute_pipeline
from headwater.errors import (
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvariantViolationError,
)
from headwater.execution.api import execute_pipeline_iterator
from headwater.execution.reconstruct import ReconstructablePipeline

BROKEN_ON_WORKERS = Path(__file__).with_name("broken_on_workers.py")

pytestmark = pytest.mark.timeout(60)


def failure_of(result, step_key):
    failures = [e for e in result.events_by_step_key[step_key] if e.is_step_failure]
    assert len(failures) == 1
    return failures[0].event_specific_data.error


def test_a_worker_killed_mid_step_fails_the_step_and_the_run_ends(instance):
    # The run starts its own cluster: Dask reports the lost worker at once.
    local = {"local": {"n_workers": 1, "threads_per_worker": 1, "host": "127.0.0.1"}}

    result = execute_pipeline(pointer("killed_worker"), instance=instance,
                              raise_on_error=False,
                              run_config={"execution": {"dask": {"config": {"cluster": local}}}})

    assert not result.success
    error = failure_of(result, "kill_own_worker")
    assert error.cls_name == "WorkerLostError"
    assert 'running step "kill_own_worker" was lost before the step finished' in error.message
    assert "after_kill" not in result.events_by_step_key
    recorded = [e for e in instance.all_logs(result.run_id)
                if e.headwater_event and e.headwater_event.is_step_failure]
    assert recorded[0].headwater_event.event_specific_data.error == error
    assert instance.get_run_by_id(result.run_id).is_finished


def test_a_step_dask_runs_again_after_its_worker_was_lost_fails_instead(instance, on_cluster,
                                                                        tmp_path):
    # The shared cluster re-runs tasks of lost workers; the step kills its worker only
    # the first time, so the second run would succeed unnoticed.
    run_config = {"execution": on_cluster, "solids": {
        "kill_own_worker": {"config": {"marker": str(tmp_path / "killed-once")}}}}

    result = execute_pipeline(pointer("killed_worker"), run_config=run_config,
                              instance=instance, raise_on_error=False)

    assert not result.success
    error = failure_of(result, "kill_own_worker")
    assert error.cls_name == "WorkerLostError"
    assert "Dask started the step again on tcp://127.0.0.1:" in error.message
    starts = [e for e in result.events_by_step_key["kill_own_worker"]
              if e.event_type_value == "STEP_START"]
    assert len(starts) == 1
    assert "after_kill" not in result.events_by_step_key


def test_stopping_the_run_cancels_the_steps_not_started_and_clears_the_scheduler(
        instance, on_cluster, leftovers, tmp_path):
    signal, marks = tmp_path / "go", tmp_path / "marks"
    marks.mkdir()
    run_config = {"execution": on_cluster, "solids": {
        "numbers": {"config": {"width": 4}},
        "mark_and_wait": {"config": {"signal": str(signal), "marks": str(marks)}}}}
    events = execute_pipeline_iterator(pointer("waiters"), run_config=run_config,
                                       instance=instance)
    try:
        started = 0
        for event in events:
            if event.event_type_value == "STEP_START" and event.solid_handle == "mark_and_wait":
                started += 1
                if started == 2:  # both workers busy, two steps still waiting for one
                    break
        run_id = instance.get_runs()[0].run_id
        assert leftovers(run_id)

        events.close()

        assert leftovers(run_id) == []
    finally:
        signal.touch()  # lets the two running steps, which Dask cannot interrupt, finish
    time.sleep(1.0)  # time enough for a step still submitted to start
    assert len(list(marks.iterdir())) == 2


def test_a_worker_that_cannot_load_the_pipeline_fails_the_step_with_the_load_error(
        instance, on_cluster):
    broken = ReconstructablePipeline({"python_file": str(BROKEN_ON_WORKERS),
                                      "attribute": "loads_only_on_the_driver"})

    result = execute_pipeline(broken, run_config={"execution": on_cluster},
                              instance=instance, raise_on_error=False)

    error = failure_of(result, "anything")
    assert error.message.startswith('The Dask task of step "anything" raised on its worker: ')
    assert "No module named 'only_on_the_driver'" in error.message
    assert error.stack


def test_a_task_cancelled_by_someone_else_on_the_cluster_fails_its_step(instance, on_cluster,
                                                                         client, tmp_path):
    signal = tmp_path / "go"
    run_config = {"execution": on_cluster,
                  "solids": {"wait_for_signal": {"config": {"signal": str(signal)}}}}
    results = []
    runner = threading.Thread(daemon=True, target=lambda: results.append(execute_pipeline(
        pointer("waits_for_signal"), run_config=run_config, instance=instance,
        raise_on_error=False)))
    runner.start()
    try:
        key = wait_until(lambda: _task_key_of(client, "wait_for_signal"), "the task")
        wait_until(lambda: _processing(client, key), "the task to start")

        client.cancel([Future(key, client)], force=True)

        runner.join(30)
    finally:
        signal.touch()
    assert results, "the run did not end"
    error = failure_of(results[0], "wait_for_signal")
    assert error.message == ('The Dask task of step "wait_for_signal" was cancelled on the '
                             "cluster before the step finished.")


def _task_key_of(client, solid):
    keys = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.tasks))
    return next((key for key in keys if str(key).startswith(f"{solid}-")), None)


def _processing(client, key):
    return client.run_on_scheduler(
        lambda dask_scheduler: dask_scheduler.tasks[key].state == "processing")


def test_canceling_a_launched_run_cancels_its_tasks_and_marks_it_canceled(
        instance, cluster, leftovers, tmp_path):
    signal, marks = tmp_path / "go", tmp_path / "marks"
    marks.mkdir()
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump({
        "execution": {"dask": {"config": {"cluster": {
            "existing": {"address": cluster.scheduler_address}}}}},
        "solids": {"numbers": {"config": {"width": 4}},
                   "mark_and_wait": {"config": {"signal": str(signal), "marks": str(marks)}}}}))
    launched = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "launch", "-f", PIPELINES, "-a",
         "waiters", "-c", str(config)], capture_output=True, text=True, check=True)
    run_id = launched.stdout.strip().split()[-1]
    try:
        wait_until(lambda: len(list(marks.iterdir())) == 2, "two started steps")

        canceled = instance.cancel_run(run_id)

        assert canceled.status.value == "CANCELED"
        assert leftovers(run_id) == []
    finally:
        signal.touch()
    time.sleep(1.0)
    assert len(list(marks.iterdir())) == 2


def test_a_finished_run_leaves_no_tasks_or_queues_on_the_scheduler(instance, on_cluster,
                                                                    leftovers):
    result = execute_pipeline(pointer("fan_out"), instance=instance,
                              run_config={"execution": on_cluster,
                                          "solids": {"numbers": {"config": {"width": 3}}}})

    assert result.success
    assert leftovers(result.run_id) == []


def test_outputs_kept_in_memory_are_refused_before_a_run_is_recorded(instance, on_cluster):
    with pytest.raises(HeadwaterInvariantViolationError,
                       match=r"IO manager\(s\) \['io_manager'\] keep outputs in memory"):
        execute_pipeline(pointer("in_memory_outputs"), run_config={"execution": on_cluster},
                         instance=instance)

    assert instance.get_runs() == []


def test_a_cluster_kind_whose_library_is_missing_names_the_package(instance):
    slurm = {"dask": {"config": {"cluster": {"slurm": {"cores": 1, "memory": "1GB"}}}}}

    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        execute_pipeline(pointer("process_ids"), run_config={"execution": slurm},
                         instance=instance)

    assert 'The cluster kind "slurm" at execution.dask.config.cluster.slurm needs the ' \
           "package dask-jobqueue, which is not installed: pip install dask-jobqueue." \
           in str(raised.value)


def test_a_malformed_resources_tag_is_refused_before_any_step_is_submitted(instance,
                                                                            on_cluster):
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match='tag "headwater-dask/resources" of solid "bad_tag" must be a dict'):
        execute_pipeline(pointer("malformed_resources"), run_config={"execution": on_cluster},
                         instance=instance)
