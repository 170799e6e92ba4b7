"""AWS: each step's stdout and stderr kept in S3 (S3ComputeLogManager in headwater.yaml)."""

import os
import shutil
import subprocess

import boto3

from headwater import execute_pipeline, file_relative_path, pipeline, solid
from headwater.instance import Instance

boto3.client("s3").create_bucket(Bucket="my-run-logs")
# The instance's settings: compute_logs.yaml, as $HEADWATER_HOME/headwater.yaml.
os.makedirs(os.environ["HEADWATER_HOME"], exist_ok=True)
shutil.copy(file_relative_path(__file__, "compute_logs.yaml"),
            os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"))


# [start:run]
@solid
def build_report() -> str:
    # Whatever the step's process prints is captured, subprocesses included.
    subprocess.run(["echo", "report built"], check=True)
    return "report"


@pipeline
def reports():
    build_report()


with Instance.get() as instance:  # $HEADWATER_HOME/headwater.yaml chooses the S3 manager
    result = execute_pipeline(reports, instance=instance)

key = f"headwater/storage/{result.run_id}/compute_logs/build_report.out"
body = boto3.client("s3").get_object(Bucket="my-run-logs", Key=key)["Body"].read()
assert body == b"report built\n"
# [end:run]
