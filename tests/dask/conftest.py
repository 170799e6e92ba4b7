"""A Dask cluster with worker processes on 127.0.0.1, shared by the dask tests, and a
persistent instance per test."""

from __future__ import annotations

import pytest
from distributed import Client, LocalCluster

from headwater.instance import instance_for_test


@pytest.fixture(scope="session")
def cluster():
    """Two worker processes of one thread each. Its scheduler re-runs a task whose worker
    died (Dask's default), as a long-lived cluster does."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="session")
def threaded_cluster():
    """One worker process with two threads and one GPU (a Dask resource)."""
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                      dashboard_address=None, resources={"GPU": 1}) as local:
        yield local


@pytest.fixture
def on_threaded_cluster(threaded_cluster):
    """``execution`` run config for the two-thread, one-GPU cluster."""
    return {"dask": {"config": {"cluster": {
        "existing": {"address": threaded_cluster.scheduler_address}}}}}


@pytest.fixture(scope="session")
def client(cluster):
    """A client of the shared cluster, to look at its state."""
    with Client(cluster) as connected:
        yield connected


@pytest.fixture
def on_cluster(cluster, client):
    """``execution`` run config for the shared cluster; after the test, the cluster has its
    two workers again (a test may have killed one)."""
    yield {"dask": {"config": {"cluster": {"existing": {"address": cluster.scheduler_address}}}}}
    client.wait_for_workers(2, timeout=30)


@pytest.fixture
def instance():
    with instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture
def leftovers(client):
    """``leftovers(run_id)``: the tasks and event queues a run left on the shared
    cluster's scheduler."""

    def find(run_id):
        def on_scheduler(dask_scheduler):
            tasks = [key for key in dask_scheduler.tasks if run_id[:8] in str(key)]
            queues = [name for name in dask_scheduler.extensions["queues"].queues
                      if run_id in name]
            return tasks + queues

        return client.run_on_scheduler(on_scheduler)

    return find
