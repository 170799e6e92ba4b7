"""EMR: start clusters, add steps, wait for them, and read their logs.

:class:`EmrJobRunner` wraps the EMR API calls a pipeline needs; :class:`EmrPySparkStepLauncher`
uses it to run a PySpark script as an EMR step on behalf of a solid: it stages the script
in S3, adds the step, polls it to the end (logging each state it reaches), and brings back
the step's stdout and stderr from the cluster's log bucket.
"""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from headwater import Failure
from headwater_aws.errors import ConfigPlace, EmrError, S3ObjectNotFoundError, aws_errors


class EmrClusterState(StrEnum):
    """The states of an EMR cluster."""

    STARTING = "STARTING"
    BOOTSTRAPPING = "BOOTSTRAPPING"
    RUNNING = "RUNNING"
    WAITING = "WAITING"
    TERMINATING = "TERMINATING"
    TERMINATED = "TERMINATED"
    TERMINATED_WITH_ERRORS = "TERMINATED_WITH_ERRORS"


class EmrStepState(StrEnum):
    """The states of an EMR step."""

    PENDING = "PENDING"
    CANCEL_PENDING = "CANCEL_PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"
    INTERRUPTED = "INTERRUPTED"


EMR_CLUSTER_TERMINATED_STATES = frozenset({EmrClusterState.TERMINATING,
                                           EmrClusterState.TERMINATED,
                                           EmrClusterState.TERMINATED_WITH_ERRORS})
EMR_CLUSTER_DONE_STATES = EMR_CLUSTER_TERMINATED_STATES | {EmrClusterState.WAITING}
EMR_STEP_FAILED_STATES = frozenset({EmrStepState.CANCELLED, EmrStepState.FAILED,
                                    EmrStepState.INTERRUPTED})
EMR_STEP_DONE_STATES = EMR_STEP_FAILED_STATES | {EmrStepState.COMPLETED}


@dataclass(frozen=True)
class EmrStepLogs:
    """What an EMR step printed, as the cluster wrote it to its log bucket.

    Attributes:
        stdout / stderr: The text ("" when the cluster has not written it, or there is no
            log bucket).
    """

    stdout: str
    stderr: str


@dataclass(frozen=True)
class EmrStepResult:
    """How an EMR step ended.

    Attributes:
        cluster_id / step_id: The step.
        state: Its final state.
        logs: What it printed.
        script_uri: The S3 URI of the script it ran.
    """

    cluster_id: str
    step_id: str
    state: EmrStepState
    logs: EmrStepLogs
    script_uri: str


class EmrJobRunner:
    """The EMR calls a pipeline needs, with errors that name the cluster and step.

    Args:
        emr: A boto3 EMR client.
        s3: A boto3 S3 client (to read step logs).
        place: Whose settings made the clients, for error messages.
        check_cluster_every: Seconds between two polls of a step or cluster.
        log: Where to log what is done (``context.log``); None for nowhere.
    """

    def __init__(self, emr: Any, s3: Any, place: ConfigPlace, check_cluster_every: float = 30.0,
                 log: Any = None) -> None:
        self.emr = emr
        self.s3 = s3
        self.place = place
        self.check_cluster_every = check_cluster_every
        self.log = log

    def _info(self, message: str) -> None:
        if self.log is not None:
            self.log.info(message)

    def run_job_flow(self, cluster_config: Mapping[str, Any]) -> str:
        """Start a cluster (the arguments of EMR's RunJobFlow); returns its id."""
        with aws_errors(f'starting the EMR cluster "{cluster_config.get("Name")}"', self.place):
            cluster_id = self.emr.run_job_flow(**cluster_config)["JobFlowId"]
        self._info(f'Started EMR cluster {cluster_id} ("{cluster_config.get("Name")}").')
        return cluster_id

    def describe_cluster(self, cluster_id: str) -> dict[str, Any]:
        """The cluster's description (EMR's DescribeCluster ``Cluster``)."""
        with aws_errors(f"describing EMR cluster {cluster_id}", self.place):
            return self.emr.describe_cluster(ClusterId=cluster_id)["Cluster"]

    def cluster_id_from_name(self, cluster_name: str) -> str | None:
        """The id of the cluster named ``cluster_name`` that is not terminated, or None."""
        active = [state.value for state in EmrClusterState
                  if state not in EMR_CLUSTER_TERMINATED_STATES]
        with aws_errors(f'looking for the EMR cluster named "{cluster_name}"', self.place):
            for page in self.emr.get_paginator("list_clusters").paginate(ClusterStates=active):
                for cluster in page["Clusters"]:
                    if cluster["Name"] == cluster_name:
                        return cluster["Id"]
        return None

    def add_job_flow_steps(self, cluster_id: str, step_defs: Sequence[Mapping[str, Any]]
                           ) -> list[str]:
        """Add steps to a running cluster; returns their ids, in order."""
        with aws_errors(f"adding steps to EMR cluster {cluster_id}", self.place):
            step_ids = self.emr.add_job_flow_steps(JobFlowId=cluster_id,
                                                   Steps=list(step_defs))["StepIds"]
        self._info(f"Added EMR steps {', '.join(step_ids)} to cluster {cluster_id}.")
        return step_ids

    def describe_step(self, cluster_id: str, step_id: str) -> dict[str, Any]:
        """The step's description (EMR's DescribeStep ``Step``)."""
        with aws_errors(f"describing EMR step {step_id} of cluster {cluster_id}", self.place):
            return self.emr.describe_step(ClusterId=cluster_id, StepId=step_id)["Step"]

    def step_state(self, cluster_id: str, step_id: str) -> EmrStepState:
        """The step's current state."""
        return EmrStepState(self.describe_step(cluster_id, step_id)["Status"]["State"])

    def is_emr_step_complete(self, cluster_id: str, step_id: str) -> bool:
        """Whether the step completed (False while it is pending or running).

        Raises:
            EmrError: The step failed, was cancelled or was interrupted.
        """
        step = self.describe_step(cluster_id, step_id)
        state = EmrStepState(step["Status"]["State"])
        if state in EMR_STEP_FAILED_STATES:
            raise EmrError(f"EMR step {step_id} of cluster {cluster_id} ended {state}"
                           f"{_reason(step)}.")
        return state == EmrStepState.COMPLETED

    def wait_for_step(self, cluster_id: str, step_id: str, timeout: float | None = None,
                      on_state: Callable[[EmrStepState], None] | None = None
                      ) -> dict[str, Any]:
        """Poll the step every ``check_cluster_every`` seconds until it ends.

        Args:
            timeout: Give up after this many seconds (None: wait as long as it takes).
            on_state: Called with each state the step is first seen in.

        Returns:
            The step's last description (its state is COMPLETED, FAILED, CANCELLED or
            INTERRUPTED).

        Raises:
            EmrError: The step had not ended after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        seen: EmrStepState | None = None
        while True:
            step = self.describe_step(cluster_id, step_id)
            state = EmrStepState(step["Status"]["State"])
            if state != seen:
                seen = state
                if on_state is not None:
                    on_state(state)
            if state in EMR_STEP_DONE_STATES:
                return step
            if deadline is not None and time.monotonic() >= deadline:
                raise EmrError(
                    f"EMR step {step_id} of cluster {cluster_id} was still {state} after "
                    f"{timeout:g} seconds. Look at the step in the EMR console, or wait "
                    "longer (timeout_seconds).")
            time.sleep(self.check_cluster_every)

    def log_location_for_cluster(self, cluster_id: str) -> tuple[str, str] | None:
        """``(bucket, prefix)`` of the cluster's log URI, or None when it keeps no logs in
        S3."""
        log_uri = self.describe_cluster(cluster_id).get("LogUri")
        if not log_uri:
            return None
        parsed = urlparse(log_uri.replace("s3n://", "s3://"))
        return parsed.netloc, parsed.path.strip("/")

    def log_keys_for_step(self, cluster_id: str, step_id: str) -> tuple[str, str, str] | None:
        """``(bucket, stdout_key, stderr_key)`` of a step's logs, or None without a log URI.

        EMR writes them, gzipped, under ``<log uri>/<cluster_id>/steps/<step_id>/``.
        """
        location = self.log_location_for_cluster(cluster_id)
        if location is None:
            return None
        bucket, prefix = location
        folder = "/".join(p for p in (prefix, cluster_id, "steps", step_id) if p)
        return bucket, f"{folder}/stdout.gz", f"{folder}/stderr.gz"

    def retrieve_logs_for_step_id(self, cluster_id: str, step_id: str) -> EmrStepLogs:
        """What the step printed, as far as the cluster has written it to S3."""
        keys = self.log_keys_for_step(cluster_id, step_id)
        if keys is None:
            return EmrStepLogs("", "")
        bucket, stdout_key, stderr_key = keys
        return EmrStepLogs(self._read_log(bucket, stdout_key),
                           self._read_log(bucket, stderr_key))

    def wait_for_logs(self, cluster_id: str, step_id: str, timeout: float) -> EmrStepLogs:
        """Like :meth:`retrieve_logs_for_step_id`, polling until the step's stdout is in S3
        (EMR uploads logs minutes after a step ends) or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            logs = self.retrieve_logs_for_step_id(cluster_id, step_id)
            if logs.stdout or time.monotonic() >= deadline:
                return logs
            time.sleep(self.check_cluster_every)

    def _read_log(self, bucket: str, key: str) -> str:
        try:
            with aws_errors(f"reading the EMR step log s3://{bucket}/{key}", self.place,
                            bucket, key, bucket_setting="the cluster's LogUri"):
                data = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except S3ObjectNotFoundError:
            return ""
        return gzip.decompress(data).decode("utf-8", errors="replace")

    @staticmethod
    def construct_step_dict_for_command(step_name: str, command: Sequence[str],
                                        action_on_failure: str = "CONTINUE"
                                        ) -> dict[str, Any]:
        """An EMR step that runs ``command`` on the master node (with command-runner.jar)."""
        return {"Name": step_name, "ActionOnFailure": action_on_failure,
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": list(command)}}


def _reason(step: Mapping[str, Any]) -> str:
    status = step.get("Status", {})
    message = (status.get("FailureDetails", {}).get("Message")
               or status.get("StateChangeReason", {}).get("Message"))
    return f": {message}" if message else ""


class EmrPySparkStepLauncher:
    """Runs a PySpark script as an EMR step for a solid, and brings back how it went.

    Args:
        runner: The EmrJobRunner to call EMR with.
        cluster_id: The cluster the steps run on.
        staging_bucket / staging_prefix: Where local scripts are uploaded, under
            ``<staging_prefix>/<run_id>/<step_key>/``.
        action_on_failure: EMR's ActionOnFailure for the step.
        spark_config: Spark properties, passed as ``--conf key=value``.
        spark_submit_args: Other spark-submit arguments (e.g. ``--deploy-mode cluster``).
        timeout_seconds: Give up waiting for a step after this long (None: never).
        wait_for_logs: Wait (up to ``log_wait_seconds``) for EMR to upload the step's logs.
        log_wait_seconds: How long to wait for them.
    """

    def __init__(self, runner: EmrJobRunner, cluster_id: str, staging_bucket: str,
                 staging_prefix: str = "emr_staging",
                 action_on_failure: str = "CANCEL_AND_WAIT",
                 spark_config: Mapping[str, Any] | None = None,
                 spark_submit_args: Sequence[str] = ("--deploy-mode", "cluster"),
                 timeout_seconds: float | None = None, wait_for_logs: bool = False,
                 log_wait_seconds: float = 600.0) -> None:
        self.runner = runner
        self.cluster_id = cluster_id
        self.staging_bucket = staging_bucket
        self.staging_prefix = staging_prefix.strip("/")
        self.action_on_failure = action_on_failure
        self.spark_config = dict(spark_config or {})
        self.spark_submit_args = list(spark_submit_args)
        self.timeout_seconds = timeout_seconds
        self.wait_for_logs = wait_for_logs
        self.log_wait_seconds = log_wait_seconds

    def stage_script(self, context: Any, script: str) -> str:
        """The S3 URI of ``script``: itself if it is one, else where it was uploaded."""
        if script.startswith("s3://"):
            return script
        parts = [self.staging_prefix, context.run_id, context.step_key, os.path.basename(script)]
        key = "/".join(p for p in parts if p)
        with open(script, "rb") as file, aws_errors(
                f"staging {script} at s3://{self.staging_bucket}/{key}", self.runner.place,
                self.staging_bucket, key, bucket_setting="staging_bucket"):
            self.runner.s3.put_object(Bucket=self.staging_bucket, Key=key, Body=file)
        return f"s3://{self.staging_bucket}/{key}"

    def step_command(self, script_uri: str, args: Sequence[str]) -> list[str]:
        """The spark-submit command of the step."""
        conf = [arg for key, value in sorted(self.spark_config.items())
                for arg in ("--conf", f"{key}={value}")]
        return ["spark-submit", *self.spark_submit_args, *conf, script_uri, *map(str, args)]

    def run_pyspark_script(self, context: Any, script: str, args: Sequence[str] = ()
                           ) -> EmrStepResult:
        """Run ``script`` (a local path or an ``s3://`` URI) as an EMR step and wait for it.

        Each state the step reaches, and then what it printed, go to ``context.log``.

        Args:
            context: The solid's context.
            script: The PySpark script.
            args: Its command-line arguments.

        Returns:
            How the step ended (COMPLETED).

        Raises:
            Failure: The step failed, was cancelled or was interrupted; the failure's
                metadata has the cluster, the step, the state and the end of its stderr.
            EmrError: It had not ended after ``timeout_seconds``.
        """
        script_uri = self.stage_script(context, script)
        name = f"{context.pipeline_name}.{context.step_key} (run {context.run_id})"
        step_def = self.runner.construct_step_dict_for_command(
            name, self.step_command(script_uri, args), self.action_on_failure)
        (step_id,) = self.runner.add_job_flow_steps(self.cluster_id, [step_def])
        step = self.runner.wait_for_step(
            self.cluster_id, step_id, self.timeout_seconds,
            on_state=lambda state: context.log.info(
                f"EMR step {step_id} on cluster {self.cluster_id} is {state}."))
        state = EmrStepState(step["Status"]["State"])
        logs = (self.runner.wait_for_logs(self.cluster_id, step_id, self.log_wait_seconds)
                if self.wait_for_logs
                else self.runner.retrieve_logs_for_step_id(self.cluster_id, step_id))
        for stream, text in (("stdout", logs.stdout), ("stderr", logs.stderr)):
            if text:
                context.log.info(f"EMR step {step_id} {stream}:\n{text.rstrip()}")
        if state in EMR_STEP_FAILED_STATES:
            raise Failure(
                f"EMR step {step_id} on cluster {self.cluster_id} ended {state}{_reason(step)}.",
                metadata={"cluster_id": self.cluster_id, "step_id": step_id,
                          "state": state.value, "stderr (end)": logs.stderr[-2000:]})
        return EmrStepResult(self.cluster_id, step_id, state, logs, script_uri)
