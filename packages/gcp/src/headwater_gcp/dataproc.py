"""Dataproc clusters and jobs: create, look up and delete a cluster, submit a job and wait.

The resource speaks to Dataproc through the official ``google-cloud-dataproc`` clients over
their REST transport. Clusters and jobs are given and returned as dicts in the shape of
Dataproc's REST API (camelCase or snake_case keys), so config written for the API or
``gcloud`` carries over.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

from headwater_gcp.clients import endpoint_of, timeout_of
from headwater_gcp.errors import ConfigPlace, DataprocError, gcp_errors

# Job states after which a job does not change any more.
JOB_DONE_STATES = frozenset({"DONE", "ERROR", "CANCELLED"})


def _to_dict(message: Any) -> dict[str, Any]:
    return json.loads(type(message).to_json(message, use_integers_for_enums=False))


class DataprocResource:
    """One Dataproc cluster's life and the jobs run on it.

    Args:
        clusters: A ``dataproc_v1.ClusterControllerClient``.
        jobs: A ``dataproc_v1.JobControllerClient``.
        project_id: The project.
        region: The region.
        cluster_name: The cluster this resource creates and runs jobs on.
        cluster_config: Its ``ClusterConfig`` (a dict in the REST API's shape).
        place: Whose settings these are, for error messages.
        poll_interval: Seconds between two polls of a job.
        job_timeout: Default seconds :meth:`wait_for_job` waits.
        log: Where progress is logged (the run's log), or None.
    """

    def __init__(self, clusters: Any, jobs: Any, project_id: str, region: str,
                 cluster_name: str, cluster_config: Mapping[str, Any], place: ConfigPlace,
                 poll_interval: float = 10.0, job_timeout: float = 3600.0,
                 log: Any = None) -> None:
        self.clusters = clusters
        self.jobs = jobs
        self.project_id = project_id
        self.region = region
        self.cluster_name = cluster_name
        self.cluster_config = dict(cluster_config)
        self.place = place
        self.poll_interval = poll_interval
        self.job_timeout = job_timeout
        self.log = log

    def _options(self, client: Any) -> dict[str, Any]:
        from google.api_core.retry import Retry

        timeout = timeout_of(client)
        return {"retry": Retry(timeout=timeout), "timeout": timeout}

    @contextlib.contextmanager
    def _errors(self, client: Any, action: str) -> Iterator[None]:
        from google.api_core import exceptions as api

        with gcp_errors(action, self.place, endpoint=endpoint_of(client),
                        timeout=timeout_of(client)):
            try:
                yield
            except (api.NotFound, api.BadRequest, api.Conflict,
                    api.FailedPrecondition) as error:
                raise DataprocError(f"Dataproc refused {action} ({self.place.owner}): "
                                    f"{error.message}.") from error

    def _info(self, message: str) -> None:
        if self.log is not None:
            self.log.info(message)

    def create_cluster(self) -> dict[str, Any]:
        """Create the cluster and wait until Dataproc reports it created; the cluster."""
        from google.cloud import dataproc_v1

        cluster = dataproc_v1.Cluster.from_json(json.dumps({
            "projectId": self.project_id, "clusterName": self.cluster_name,
            "config": self.cluster_config}))
        action = f'creating cluster "{self.cluster_name}" in {self.project_id}/{self.region}'
        with self._errors(self.clusters, action):
            operation = self.clusters.create_cluster(
                request={"project_id": self.project_id, "region": self.region,
                         "cluster": cluster}, **self._options(self.clusters))
            created = operation.result(timeout=self.job_timeout)
        self._info(f'Created Dataproc cluster "{self.cluster_name}".')
        return _to_dict(created)

    def get_cluster(self) -> dict[str, Any]:
        """The cluster, as Dataproc describes it."""
        with self._errors(self.clusters, f'looking up cluster "{self.cluster_name}"'):
            return _to_dict(self.clusters.get_cluster(
                request={"project_id": self.project_id, "region": self.region,
                         "cluster_name": self.cluster_name}, **self._options(self.clusters)))

    def delete_cluster(self) -> None:
        """Delete the cluster and wait until Dataproc reports it deleted."""
        with self._errors(self.clusters, f'deleting cluster "{self.cluster_name}"'):
            operation = self.clusters.delete_cluster(
                request={"project_id": self.project_id, "region": self.region,
                         "cluster_name": self.cluster_name}, **self._options(self.clusters))
            operation.result(timeout=self.job_timeout)
        self._info(f'Deleted Dataproc cluster "{self.cluster_name}".')

    def submit_job(self, job_details: Mapping[str, Any]) -> dict[str, Any]:
        """Submit a job; the job as Dataproc accepted it (its id is
        ``["reference"]["jobId"]``).

        Args:
            job_details: A ``Job`` in the REST API's shape, e.g. ``{"placement":
                {"clusterName": ...}, "pysparkJob": {"mainPythonFileUri": ...}}``; the
                placement defaults to this resource's cluster.
        """
        from google.cloud import dataproc_v1

        details = dict(job_details)
        details.setdefault("placement", {"clusterName": self.cluster_name})
        job = dataproc_v1.Job.from_json(json.dumps(details))
        with self._errors(self.jobs, f"submitting a job to cluster \"{self.cluster_name}\""):
            submitted = self.jobs.submit_job(
                request={"project_id": self.project_id, "region": self.region, "job": job},
                **self._options(self.jobs))
        accepted = _to_dict(submitted)
        self._info(f"Submitted Dataproc job {accepted['reference']['jobId']}.")
        return accepted

    def get_job(self, job_id: str) -> dict[str, Any]:
        """The job, as Dataproc describes it now."""
        with self._errors(self.jobs, f"looking up job {job_id}"):
            return _to_dict(self.jobs.get_job(
                request={"project_id": self.project_id, "region": self.region,
                         "job_id": job_id}, **self._options(self.jobs)))

    def wait_for_job(self, job_id: str, timeout: float | None = None) -> dict[str, Any]:
        """Poll the job until it is done; the finished job.

        Raises:
            DataprocError: The job ended in ERROR or CANCELLED, or was not done within
                ``timeout`` seconds (default: the resource's ``job_timeout_seconds``).
        """
        limit = self.job_timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        while True:
            job = self.get_job(job_id)
            state = job.get("status", {}).get("state", "STATE_UNSPECIFIED")
            if state in JOB_DONE_STATES:
                break
            if time.monotonic() >= deadline:
                raise DataprocError(
                    f"Dataproc job {job_id} was still {state} after {limit:g}s. Raise "
                    f"job_timeout_seconds in {self.place.path} ({self.place.owner}), or look "
                    "at the job in the console.")
            time.sleep(self.poll_interval)
        if state != "DONE":
            details = job.get("status", {}).get("details", "")
            raise DataprocError(f"Dataproc job {job_id} ended {state}"
                                f"{f': {details}' if details else ''}.")
        self._info(f"Dataproc job {job_id} is DONE.")
        return job

    @contextlib.contextmanager
    def cluster_context_manager(self) -> Iterator[DataprocResource]:
        """Create the cluster for the block and delete it after, whatever happens inside."""
        self.create_cluster()
        try:
            yield self
        finally:
            self.delete_cluster()
