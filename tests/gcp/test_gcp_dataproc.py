"""dataproc_resource and dataproc_solid through the official client's REST transport,
against the loopback stand-in of Dataproc's REST API (see dataproc_stand_in.py: it checks
the requests and the state handling, not Dataproc itself)."""

from __future__ import annotations

import time

import pytest
from gcp_stand_ins import free_port

from headwater import ModeDefinition, build_init_resource_context, execute_solid
from headwater_gcp import (
    DataprocError,
    GcpEndpointUnreachableError,
    dataproc_resource,
    dataproc_solid,
)

PYSPARK_JOB = {"pysparkJob": {"mainPythonFileUri": "gs://jobs/daily_totals.py",
                              "args": ["--day", "2024-01-01"]}}


def resource_config(endpoint: str, **extra) -> dict:
    return {"projectId": "analytics", "region": "europe-west1", "clusterName": "nightly",
            "cluster_config": {"masterConfig": {"numInstances": 1}},
            "api_endpoint": endpoint, "anonymous_credentials": True,
            "poll_interval_seconds": 0.01, "job_timeout_seconds": 30.0, "timeout_seconds": 10.0,
            **extra}


def make(endpoint: str, **extra):
    return dataproc_resource(build_init_resource_context(config=resource_config(endpoint,
                                                                                **extra)))


def test_create_get_and_delete_a_cluster(dataproc):
    stand_in, endpoint = dataproc
    resource = make(endpoint)
    created = resource.create_cluster()
    assert created["clusterName"] == "nightly"
    assert stand_in.clusters["nightly"]["config"] == {"masterConfig": {"numInstances": 1}}
    assert resource.get_cluster()["status"]["state"] == "RUNNING"
    resource.delete_cluster()
    assert stand_in.clusters == {}


def test_looking_up_a_missing_cluster_names_it(dataproc):
    _, endpoint = dataproc
    with pytest.raises(DataprocError, match='Dataproc refused looking up cluster "nightly"'):
        make(endpoint).get_cluster()


def test_a_submitted_job_is_waited_for_until_done(dataproc):
    stand_in, endpoint = dataproc
    resource = make(endpoint)
    resource.create_cluster()
    job_id = resource.submit_job(PYSPARK_JOB)["reference"]["jobId"]
    assert stand_in.jobs[job_id]["placement"] == {"clusterName": "nightly"}
    assert resource.wait_for_job(job_id)["status"]["state"] == "DONE"


def test_a_job_that_ends_in_error_fails_with_its_details(dataproc):
    _, endpoint = dataproc
    resource = make(endpoint)
    resource.create_cluster()
    job_id = resource.submit_job({**PYSPARK_JOB, "labels": {"outcome": "error"}})[
        "reference"]["jobId"]
    with pytest.raises(DataprocError, match=f"Dataproc job {job_id} ended ERROR: Job failed "
                                            "with exit code 1"):
        resource.wait_for_job(job_id)


def test_waiting_for_a_job_gives_up_after_the_timeout(dataproc):
    _, endpoint = dataproc
    resource = make(endpoint)
    resource.create_cluster()
    job_id = resource.submit_job({**PYSPARK_JOB, "labels": {"outcome": "hang"}})[
        "reference"]["jobId"]
    with pytest.raises(DataprocError, match=f"Dataproc job {job_id} was still RUNNING after "
                                            "0.2s. Raise job_timeout_seconds"):
        resource.wait_for_job(job_id, timeout=0.2)


def run_dataproc_solid(endpoint: str, job: dict, job_scoped_cluster: bool = True):
    return execute_solid(
        dataproc_solid, mode_def=ModeDefinition(resource_defs={"dataproc": dataproc_resource}),
        run_config={"resources": {"dataproc": {"config": resource_config(endpoint)}},
                    "solids": {"dataproc_solid": {"config": {
                        "job_config": {"job": job}, "job_scoped_cluster": job_scoped_cluster}}}},
        raise_on_error=False)


def test_dataproc_solid_runs_the_job_on_a_cluster_made_and_deleted_for_it(dataproc):
    stand_in, endpoint = dataproc
    result = run_dataproc_solid(endpoint, PYSPARK_JOB)
    assert result.success
    assert result.output_value()["status"]["state"] == "DONE"
    assert stand_in.clusters == {}
    methods = [(method, path.rsplit("/", 2)[-2] if method == "DELETE" else path.rsplit("/", 1)[-1])
               for method, path in stand_in.requests]
    assert methods[0] == ("POST", "clusters")
    assert ("POST", "jobs:submit") in methods
    assert methods[-1] == ("DELETE", "clusters")


def test_dataproc_solid_deletes_its_cluster_when_the_job_fails(dataproc):
    stand_in, endpoint = dataproc
    result = run_dataproc_solid(endpoint, {**PYSPARK_JOB, "labels": {"outcome": "error"}})
    assert not result.success
    assert stand_in.clusters == {}


def test_dataproc_solid_uses_an_existing_cluster_when_not_job_scoped(dataproc):
    stand_in, endpoint = dataproc
    make(endpoint).create_cluster()
    assert run_dataproc_solid(endpoint, PYSPARK_JOB, job_scoped_cluster=False).success
    assert list(stand_in.clusters) == ["nightly"]


def test_an_unreachable_dataproc_endpoint_fails_within_the_timeout_naming_it():
    endpoint = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(GcpEndpointUnreachableError) as raised:
        make(endpoint, timeout_seconds=1.0).get_cluster()
    assert time.monotonic() - started < 60
    assert str(raised.value).startswith(f"Could not connect to {endpoint} within 1s while "
                                        'looking up cluster "nightly"')
