"""adls2_pickle_io_manager under the Dask executor: steps on a cluster's worker processes
pass their outputs through the file system, and a re-execution on the cluster reads the
parent run's."""

from __future__ import annotations

import os

import pytest
from azure_pipelines import CALLS_ENV, calls, sum_pipeline
from azure_stand_ins import ACCOUNT_KEY, KEY_ENV
from distributed import LocalCluster

from headwater import execute_pipeline, reconstructable, reexecute_pipeline
from headwater.instance import instance_for_test


@pytest.fixture(scope="module")
def worker_calls_file(tmp_path_factory):
    """The file the solids on the workers append their names to."""
    return tmp_path_factory.mktemp("dask-calls") / "calls.txt"


@pytest.fixture(scope="module")
def on_cluster(worker_calls_file):
    """``execution`` run config for two Dask worker processes on 127.0.0.1, started with
    the account key in their environment, as a deployment's workers would have it."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None,
                      env={KEY_ENV: ACCOUNT_KEY, CALLS_ENV: str(worker_calls_file)}) as cluster:
        yield {"dask": {"config": {"cluster": {"existing": {
            "address": cluster.scheduler_address}}}}}


def test_steps_on_dask_workers_pass_outputs_through_the_file_system(
        blob_service, container, adls2_run_config, on_cluster):
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(sum_pipeline), instance=instance,
                                  run_config={**adls2_run_config, "execution": on_cluster})
    assert result.success
    assert os.getpid() not in {event.pid for event in result.event_list
                               if event.is_step_event}
    assert result.output_for_solid("total") == 12
    assert blob_service.get_blob_client(
        container, f"runs/storage/{result.run_id}/doubled/result").exists()


def test_reexecution_on_dask_workers_loads_the_parent_runs_outputs(
        adls2_run_config, on_cluster, worker_calls_file):
    worker_calls_file.unlink(missing_ok=True)
    failing = {**adls2_run_config, "solids": {"total": {"config": {"fail": True}}},
               "execution": on_cluster}
    with instance_for_test() as instance:
        parent = execute_pipeline(reconstructable(sum_pipeline), run_config=failing,
                                  instance=instance, raise_on_error=False)
        assert not parent.success
        child = reexecute_pipeline(reconstructable(sum_pipeline), parent.run_id,
                                   run_config={**adls2_run_config, "execution": on_cluster},
                                   instance=instance, from_failure=True)
    assert child.success
    assert child.output_for_solid("total") == 12
    assert calls(worker_calls_file) == ["numbers", "doubled", "total", "total"]
