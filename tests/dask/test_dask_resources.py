"""Solid tags that reach Dask: ``headwater-dask/resources`` (resources a step holds on its
worker while it runs) and ``headwater/priority`` (which waiting step a worker takes
first)."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading

from dask_pipelines import pointer, wait_until

from headwater import execute_pipeline
from headwater.instance import Instance


def overlap(first, second):
    return first[0] < second[1] and second[0] < first[1]


def test_steps_needing_the_only_gpu_take_turns_while_other_steps_run_beside_them(
        instance, on_threaded_cluster):
    result = execute_pipeline(pointer("gpu_and_cpu_steps"), instance=instance,
                              run_config={"execution": on_threaded_cluster})

    assert result.success
    spans = {name: result.output_for_solid(name)
             for name in ("gpu_a", "gpu_b", "cpu_a", "cpu_b")}
    assert not overlap(spans["gpu_a"], spans["gpu_b"])
    # The worker has two threads: a GPU step shares it with a step that needs no GPU.
    assert any(overlap(spans[gpu], spans[cpu]) for gpu in ("gpu_a", "gpu_b")
               for cpu in ("cpu_a", "cpu_b"))


def test_the_waiting_step_with_the_higher_priority_gets_the_gpu_first(instance,
                                                                       on_threaded_cluster):
    run_config = {"execution": on_threaded_cluster,
                  "solids": {"hold": {"config": {"seconds": 2.0}}}}

    result = execute_pipeline(pointer("priorities"), run_config=run_config,
                              instance=instance)

    assert result.success
    hold, low, high = (result.output_for_solid(name) for name in ("hold", "low", "high"))
    submitted = {e.step_key: e.timestamp for e in instance.all_logs(result.run_id)
                 if e.headwater_event and e.headwater_event.event_type_value == "STEP_SUCCESS"}
    # "low" was ready (its gate done) before "high", and both waited for "hold".
    assert submitted["low_gate"] < submitted["high_gate"] < hold[1]
    assert hold[1] <= high[0] < low[0]


def test_a_step_needing_a_resource_no_worker_offers_waits_for_a_worker_that_does(
        instance, cluster, on_cluster):
    results = []
    runner = threading.Thread(daemon=True, target=lambda: results.append(execute_pipeline(
        pointer("unknown_resource"), run_config={"execution": on_cluster}, instance=instance)))
    runner.start()
    worker = None
    try:
        with Instance.from_ref(instance.get_ref()) as reader:
            warnings = wait_until(lambda: _warnings(reader), "the warning")
        worker = subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", cluster.scheduler_address, "--host",
             "127.0.0.1", "--nthreads", "1", "--resources", "TPU=1", "--no-nanny",
             "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runner.join(30)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)

    assert results, "the run did not end"
    assert warnings == [
        "No worker of the Dask cluster offers the resource(s) ['TPU'] that steps ask for "
        'with the tag "headwater-dask/resources"; those steps wait until a worker offering '
        "them joins the cluster."]
    assert results[0].success


def _warnings(reader):
    runs = reader.get_runs()
    if not runs:
        return None
    return [e.user_message for e in reader.all_logs(runs[0].run_id)
            if e.headwater_event is None and e.level == logging.WARNING] or None
