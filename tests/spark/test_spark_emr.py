"""headwater-aws's EMR PySpark step launcher with this package's types: a solid runs a
PySpark script as an EMR step, then reads what the script wrote with ``pyspark_resource``
and hands it on as a DataFrame stored by ``pyspark_parquet_io_manager``.

EMR is moto's (in this process, on 127.0.0.1): it records the step but runs nothing. The
test plays the cluster's part with real Spark: it fetches the staged script from moto's
S3, runs the step's spark-submit command with pyspark's own ``spark-submit`` on
``local[1]`` (in place of the cluster's ``--deploy-mode cluster``), writes what it printed
to the cluster's log bucket and moves the step to COMPLETED or FAILED by its exit status.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.emr.models import emr_backends
from moto.server import ThreadedMotoServer
from spark_pipelines import collect_totals, totals_by_fruit
from spark_stand_ins import pyspark_home

from headwater import (
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    instance_for_test,
    pipeline,
    solid,
)
from headwater_aws import emr_pyspark_step_launcher
from headwater_spark import DataFrame, pyspark_parquet_io_manager, pyspark_resource

REGION = "us-east-1"
LOG_BUCKET, STAGING_BUCKET = "emr-logs", "emr-staging"
SCRIPT = '''\
import sys

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("orders").getOrCreate()
rows = [(1, "apples", 3.5), (2, "pears", 2.0), (3, "apples", 1.5)]
spark.createDataFrame(rows, "id INT, fruit STRING, amount DOUBLE").write.parquet(sys.argv[1])
print(f"wrote {len(rows)} orders to {sys.argv[1]}")
spark.stop()
'''
# What the step's spark-submit is given: Spark on loopback, as everything the tests start.
STEP_SPARK_CONF = {"spark.ui.enabled": "false", "spark.driver.host": "127.0.0.1",
                   "spark.driver.bindAddress": "127.0.0.1"}


@pytest.fixture
def moto(monkeypatch, tmp_path):
    """A moto server in this process, and boto3 credentials that reach only it."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class SparkPlayedCluster:
    """Runs the first step added to an EMR cluster of moto with real spark-submit."""

    def __init__(self, endpoint: str, cluster_id: str, folder: Path) -> None:
        self.s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        self.emr = boto3.client("emr", endpoint_url=endpoint, region_name=REGION)
        self.cluster_id = cluster_id
        self.folder = folder
        self.command: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SparkPlayedCluster:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.thread.join(timeout=300)

    def _run(self) -> None:
        cluster = emr_backends[DEFAULT_ACCOUNT_ID][REGION].clusters[self.cluster_id]
        deadline = time.monotonic() + 120
        while not cluster.steps and time.monotonic() < deadline:
            time.sleep(0.05)
        step = cluster.steps[0]
        args = self.emr.describe_step(ClusterId=self.cluster_id,
                                      StepId=step.id)["Step"]["Config"]["Args"]
        self.command = args
        script_uri = next(arg for arg in args if arg.startswith("s3://"))
        parsed = urllib.parse.urlparse(script_uri)
        script = self.folder / Path(parsed.path).name
        script.write_bytes(self.s3.get_object(Bucket=parsed.netloc,
                                              Key=parsed.path.lstrip("/"))["Body"].read())
        # The cluster's command with the script fetched and Spark local instead of YARN.
        at = args.index(script_uri)
        options = [arg for arg in args[1:at] if arg not in ("--deploy-mode", "cluster")]
        completed = subprocess.run(
            [str(pyspark_home() / "bin" / "spark-submit"), "--master", "local[1]", *options,
             str(script), *args[at + 1:]],
            capture_output=True, timeout=240, env=dict(os.environ))
        folder = f"clusters/{self.cluster_id}/steps/{step.id}"
        self.s3.put_object(Bucket=LOG_BUCKET, Key=f"{folder}/stdout.gz",
                           Body=gzip.compress(completed.stdout))
        self.s3.put_object(Bucket=LOG_BUCKET, Key=f"{folder}/stderr.gz",
                           Body=gzip.compress(completed.stderr))
        step.state = "COMPLETED" if completed.returncode == 0 else "FAILED"


@solid(required_resource_keys={"emr_step_launcher", "pyspark"},
       config_schema={"script": str, "out": str},
       output_defs=[OutputDefinition(DataFrame)])
def orders_on_emr(context):
    script, out = context.solid_config["script"], context.solid_config["out"]
    context.resources.emr_step_launcher.run_pyspark_script(context, script, [out])
    return context.resources.pyspark.spark_session.read.parquet(out)


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "emr_step_launcher": emr_pyspark_step_launcher, "pyspark": pyspark_resource,
    "io_manager": pyspark_parquet_io_manager, "values": fs_io_manager})])
def emr_orders_pipeline():
    collect_totals(totals_by_fruit(orders_on_emr()))


def test_a_pyspark_script_run_as_an_emr_step_feeds_dataframes_to_the_next_solids(
        moto, tmp_path, spark_session):
    s3 = boto3.client("s3", endpoint_url=moto, region_name=REGION)
    s3.create_bucket(Bucket=LOG_BUCKET)
    s3.create_bucket(Bucket=STAGING_BUCKET)
    cluster_id = boto3.client("emr", endpoint_url=moto, region_name=REGION).run_job_flow(
        Name="orders", ReleaseLabel="emr-7.5.0", LogUri=f"s3://{LOG_BUCKET}/clusters/",
        Instances={"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge",
                   "InstanceCount": 2, "KeepJobFlowAliveWhenNoSteps": True},
        JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole")["JobFlowId"]
    script = tmp_path / "orders.py"
    script.write_text(SCRIPT)
    out = tmp_path / "orders.parquet"
    run_config = {
        "resources": {
            "emr_step_launcher": {"config": {
                "cluster_id": cluster_id, "staging_bucket": STAGING_BUCKET,
                "endpoint_url": moto, "region_name": REGION, "check_cluster_every": 0.2,
                "spark_config": STEP_SPARK_CONF}},
            "io_manager": {"config": {"base_path": str(tmp_path / "store")}},
            "values": {"config": {"base_dir": str(tmp_path / "values")}}},
        "solids": {"orders_on_emr": {"config": {"script": str(script), "out": str(out)}}},
    }
    with SparkPlayedCluster(moto, cluster_id, tmp_path) as played, \
            instance_for_test() as instance:
        result = execute_pipeline(emr_orders_pipeline, run_config=run_config,
                                  instance=instance)
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert result.output_for_solid("collect_totals") == {"apples": 5.0, "pears": 2.0}
    assert played.command[:2] == ["spark-submit", "--deploy-mode"]
    assert "spark.driver.host=127.0.0.1" in played.command
    assert any(message.startswith("EMR step ") and f"wrote 3 orders to {out}" in message
               for message in messages)
    stored = tmp_path / "store" / result.run_id / "orders_on_emr" / "result"
    assert spark_session.read.parquet(str(stored)).count() == 3
