"""Azure: each step's stdout and stderr kept in a Blob container (AzureBlobComputeLogManager
in headwater.yaml)."""

import os
import subprocess

import yaml

from headwater import execute_pipeline, file_relative_path, pipeline, solid
from headwater.instance import Instance
from headwater_azure import ADLS2Resource, ConfigPlace

ACCOUNT = {"storage_account": os.environ["AZURE_STORAGE_ACCOUNT"],
           "credential": {"key": os.environ["AZURE_STORAGE_KEY"]}}
if "AZURITE_ENDPOINT" in os.environ:
    ACCOUNT["endpoint"] = os.environ["AZURITE_ENDPOINT"]
ADLS2Resource(ACCOUNT, ConfigPlace("the snippet", "its settings")) \
    .blob_client.create_container("run-logs")
# The instance's settings: compute_logs.yaml as $HEADWATER_HOME/headwater.yaml (pointed at
# Azurite in the tests).
with open(file_relative_path(__file__, "compute_logs.yaml")) as file:
    settings = yaml.safe_load(file)
if "AZURITE_ENDPOINT" in os.environ:
    settings["compute_logs"]["config"]["endpoint"] = os.environ["AZURITE_ENDPOINT"]
os.makedirs(os.environ["HEADWATER_HOME"], exist_ok=True)
with open(os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"), "w") as file:
    yaml.safe_dump(settings, file)


# [start:run]
@solid
def build_report() -> str:
    # Whatever the step's process prints is captured, subprocesses included.
    subprocess.run(["echo", "report built"], check=True)
    return "report"


@pipeline
def reports():
    build_report()


with Instance.get() as instance:  # $HEADWATER_HOME/headwater.yaml chooses the Blob manager
    result = execute_pipeline(reports, instance=instance)
    blob_client = instance.compute_log_manager.blob_client

name = f"headwater/storage/{result.run_id}/compute_logs/build_report.out"
body = blob_client.get_blob_client("run-logs", name).download_blob().readall()
assert body == b"report built\n"
# [end:run]
