"""GCP: each step's stdout and stderr kept in GCS (GCSComputeLogManager in headwater.yaml)."""

import os
import shutil
import subprocess

from google.cloud import storage

from headwater import execute_pipeline, file_relative_path, pipeline, solid
from headwater.instance import Instance

storage.Client().create_bucket("my-run-logs")
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


with Instance.get() as instance:  # $HEADWATER_HOME/headwater.yaml chooses the GCS manager
    result = execute_pipeline(reports, instance=instance)

name = f"headwater/storage/{result.run_id}/compute_logs/build_report.out"
assert storage.Client().bucket("my-run-logs").blob(name).download_as_bytes() == \
    b"report built\n"
# [end:run]
