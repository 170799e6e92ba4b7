"""EMR: the job runner's calls, and a solid's script run as an EMR step, submitted and
polled to its end.

moto simulates EMR's API but runs nothing: a step it is given stays RUNNING (or PENDING
behind another) for ever. Where a test needs the step to end, it plays the cluster's part
itself, as a real cluster would: it writes the step's logs to the cluster's log bucket and
moves the step to its final state in the moto server's EMR state.
"""

from __future__ import annotations

import gzip
import threading
import time

import pytest
from aws_stand_ins import REGION
from moto.core import DEFAULT_ACCOUNT_ID
from moto.emr.models import emr_backends

from headwater import Failure, ModeDefinition, execute_pipeline, pipeline, solid
from headwater.instance import instance_for_test
from headwater_aws import (
    EmrError,
    EmrJobRunner,
    EmrStepState,
    emr_pyspark_step_launcher,
    emr_pyspark_step_solid,
    s3_pickle_io_manager,
    s3_resource,
)
from headwater_aws.clients import make_client
from headwater_aws.errors import ConfigPlace

LOG_BUCKET, STAGING_BUCKET = "emr-logs", "emr-staging"
SCRIPT = 'print("daily totals: 7 rows")\n'


@pytest.fixture
def runner(moto, s3):
    s3.create_bucket(Bucket=LOG_BUCKET)
    s3.create_bucket(Bucket=STAGING_BUCKET)
    place = ConfigPlace("the test's runner", "the test")
    return EmrJobRunner(make_client("emr", place, endpoint_url=moto),
                        make_client("s3", place, endpoint_url=moto), place,
                        check_cluster_every=0.02)


@pytest.fixture
def cluster_id(runner):
    return runner.run_job_flow({
        "Name": "nightly-spark", "ReleaseLabel": "emr-6.15.0",
        "LogUri": f"s3://{LOG_BUCKET}/clusters/",
        "Instances": {"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge",
                      "InstanceCount": 3, "KeepJobFlowAliveWhenNoSteps": True},
        "JobFlowRole": "EMR_EC2_DefaultRole", "ServiceRole": "EMR_DefaultRole",
    })


class PlayedCluster:
    """Ends the first step added to a cluster, as a real cluster would: its stdout and
    stderr go to the log bucket, then it reaches ``final_state``."""

    def __init__(self, s3, cluster_id: str, final_state: str, reason: str | None = None):
        self.s3 = s3
        self.cluster_id = cluster_id
        self.final_state = final_state
        self.reason = reason
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PlayedCluster:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.thread.join(timeout=10)

    def _run(self) -> None:
        cluster = emr_backends[DEFAULT_ACCOUNT_ID][REGION].clusters[self.cluster_id]
        deadline = time.monotonic() + 10
        while not cluster.steps and time.monotonic() < deadline:
            time.sleep(0.01)
        step = cluster.steps[0]
        time.sleep(0.1)  # a little while RUNNING
        folder = f"clusters/{self.cluster_id}/steps/{step.id}"
        self.s3.put_object(Bucket=LOG_BUCKET, Key=f"{folder}/stdout.gz",
                           Body=gzip.compress(b"daily totals: 7 rows\n"))
        self.s3.put_object(Bucket=LOG_BUCKET, Key=f"{folder}/stderr.gz",
                           Body=gzip.compress(b"INFO SparkContext: Running Spark 3.4.1\n"))
        if self.reason:
            step.last_state_change_reason = self.reason
        step.state = self.final_state


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "daily_totals.py"
    path.write_text(SCRIPT)
    return path


def emr_pipeline(script_path):
    daily_totals = emr_pyspark_step_solid("daily_totals", str(script_path),
                                          args=["--day", "2024-01-01"])

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "emr_step_launcher": emr_pyspark_step_launcher, "io_manager": s3_pickle_io_manager,
        "s3": s3_resource})])
    def nightly():
        daily_totals()

    return nightly


def launcher_run_config(moto: str, cluster_id: str, **config) -> dict:
    return {"resources": {
        "emr_step_launcher": {"config": {
            "cluster_id": cluster_id, "staging_bucket": STAGING_BUCKET, "endpoint_url": moto,
            "check_cluster_every": 0.02, "spark_config": {"spark.executor.memory": "2g"},
            **config}},
        "io_manager": {"config": {"s3_bucket": STAGING_BUCKET}},
        "s3": {"config": {"endpoint_url": moto}},
    }}


def test_the_runner_finds_a_cluster_by_name_and_its_log_location(runner, cluster_id):
    assert runner.cluster_id_from_name("nightly-spark") == cluster_id
    assert runner.cluster_id_from_name("no-such-cluster") is None
    assert runner.log_location_for_cluster(cluster_id) == (LOG_BUCKET, "clusters")


def test_a_step_moto_leaves_running_is_not_complete(runner, cluster_id):
    step = runner.construct_step_dict_for_command("echo", ["echo", "hello"])
    (step_id,) = runner.add_job_flow_steps(cluster_id, [step])
    assert runner.step_state(cluster_id, step_id) == EmrStepState.RUNNING
    assert runner.is_emr_step_complete(cluster_id, step_id) is False


def test_waiting_for_a_step_that_does_not_end_times_out_naming_it(runner, cluster_id):
    (step_id,) = runner.add_job_flow_steps(
        cluster_id, [runner.construct_step_dict_for_command("echo", ["echo", "hello"])])
    with pytest.raises(EmrError) as raised:
        runner.wait_for_step(cluster_id, step_id, timeout=0.2)
    assert str(raised.value) == (
        f"EMR step {step_id} of cluster {cluster_id} was still RUNNING after 0.2 seconds. "
        "Look at the step in the EMR console, or wait longer (timeout_seconds).")


def test_a_solid_submits_its_script_as_a_step_and_gets_back_how_it_ended(
        moto, s3, runner, cluster_id, script):
    with PlayedCluster(s3, cluster_id, "COMPLETED"):
        result = execute_pipeline(emr_pipeline(script),
                                  run_config=launcher_run_config(moto, cluster_id))
    outcome = result.output_for_solid("daily_totals")
    assert outcome.state == EmrStepState.COMPLETED
    assert outcome.logs.stdout == "daily totals: 7 rows\n"
    staged = f"s3://{STAGING_BUCKET}/emr_staging/{result.run_id}/daily_totals/daily_totals.py"
    assert outcome.script_uri == staged
    key = staged.removeprefix(f"s3://{STAGING_BUCKET}/")
    assert s3.get_object(Bucket=STAGING_BUCKET, Key=key)["Body"].read().decode() == SCRIPT
    step = runner.describe_step(cluster_id, outcome.step_id)
    assert step["ActionOnFailure"] == "CANCEL_AND_WAIT"
    assert step["Config"]["Args"] == [
        "spark-submit", "--deploy-mode", "cluster", "--conf", "spark.executor.memory=2g",
        staged, "--day", "2024-01-01"]


def test_the_steps_states_and_output_are_in_the_runs_log(moto, s3, cluster_id, script):
    with PlayedCluster(s3, cluster_id, "COMPLETED"), instance_for_test() as instance:
        result = execute_pipeline(emr_pipeline(script), instance=instance,
                                  run_config=launcher_run_config(moto, cluster_id))
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)
                    if entry.user_message.startswith(("Added EMR", "EMR step"))]
    step_id = result.output_for_solid("daily_totals").step_id
    assert messages == [
        f"Added EMR steps {step_id} to cluster {cluster_id}.",
        f"EMR step {step_id} on cluster {cluster_id} is RUNNING.",
        f"EMR step {step_id} on cluster {cluster_id} is COMPLETED.",
        f"EMR step {step_id} stdout:\ndaily totals: 7 rows",
        f"EMR step {step_id} stderr:\nINFO SparkContext: Running Spark 3.4.1",
    ]


def test_a_failed_step_fails_the_solid_with_its_reason_and_stderr(moto, s3, cluster_id, script):
    with PlayedCluster(s3, cluster_id, "FAILED", reason="Container killed: out of memory"), \
            pytest.raises(Failure) as raised:
        execute_pipeline(emr_pipeline(script), run_config=launcher_run_config(moto, cluster_id))
    failure = raised.value
    assert failure.description.endswith(
        f"on cluster {cluster_id} ended FAILED: Container killed: out of memory.")
    assert failure.metadata["state"] == "FAILED"
    assert failure.metadata["stderr (end)"] == "INFO SparkContext: Running Spark 3.4.1\n"


def test_a_step_that_outlasts_the_timeout_fails_the_solid(moto, s3, cluster_id, script):
    with pytest.raises(EmrError, match=r"was still RUNNING after 0\.2 seconds"):
        execute_pipeline(emr_pipeline(script),
                         run_config=launcher_run_config(moto, cluster_id, timeout_seconds=0.2))


def test_the_job_runner_resource_makes_its_clients_from_its_config(moto, cluster_id):
    @solid(required_resource_keys={"emr"})
    def cluster_name(context) -> str:
        return context.resources.emr.describe_cluster(cluster_id)["Name"]

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"emr": "emr_job_runner"})])
    def describe():
        cluster_name()

    result = execute_pipeline(describe, run_config={"resources": {"emr": {"config": {
        "endpoint_url": moto, "region_name": REGION}}}})
    assert result.output_for_solid("cluster_name") == "nightly-spark"
