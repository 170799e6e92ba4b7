"""The ``existing`` cluster form: a scheduler and workers started on their own, as a
long-lived cluster is, with the run connecting to the scheduler's address."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from dask_pipelines import pointer
from distributed import Client

from headwater import execute_pipeline

LOOPBACK = ["--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0", "--no-dashboard"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dask_cli(*args):
    return subprocess.Popen([sys.executable, "-m", "dask", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def scheduler_address():
    """``dask scheduler`` and ``dask worker --nworkers 2`` as processes of their own."""
    address = f"tcp://127.0.0.1:{free_port()}"
    scheduler = dask_cli("scheduler", "--port", address.rsplit(":", 1)[1], *LOOPBACK)
    workers = None
    try:
        workers = dask_cli("worker", address, "--nworkers", "2", "--nthreads", "1",
                           *LOOPBACK)
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
        yield address
    finally:
        if workers is not None:
            stop(workers)
        stop(scheduler)


def test_a_run_on_an_existing_cluster_runs_its_steps_in_that_clusters_workers(
        instance, scheduler_address):
    existing = {"dask": {"config": {"cluster": {"existing": {"address": scheduler_address}}}}}
    run_config = {"execution": existing, "solids": {"numbers": {"config": {"width": 20}}}}

    result = execute_pipeline(pointer("fan_out"), run_config=run_config, instance=instance)

    assert result.success
    collected = result.output_for_solid("total")
    assert collected["sum"] == sum(n * n for n in range(20))
    with Client(scheduler_address) as client:
        worker_pids = set(client.run(os.getpid).values())
    assert set(collected["pids"]) <= worker_pids
    assert os.getpid() not in worker_pids
