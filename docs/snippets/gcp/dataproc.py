"""GCP: a Dataproc job on a cluster made for it (dataproc_resource, dataproc_solid).

The test of this page points api_endpoint at a loopback stand-in of Dataproc's REST API.
"""

import os

from headwater import ModeDefinition, execute_pipeline, pipeline
from headwater_gcp import dataproc_resource, dataproc_solid


# [start:solid]
@pipeline(mode_defs=[ModeDefinition(resource_defs={"dataproc": dataproc_resource})])
def nightly():
    dataproc_solid.alias("daily_totals")()


run_config = {
    "resources": {"dataproc": {"config": {
        "projectId": "my-project", "region": "europe-west1", "clusterName": "nightly",
        "cluster_config": {"masterConfig": {"numInstances": 1, "machineTypeUri": "n2-standard-4"},
                           "workerConfig": {"numInstances": 2}},
        "job_timeout_seconds": 1800.0,
    }}},
    "solids": {"daily_totals": {"config": {
        "job_config": {"job": {"pysparkJob": {
            "mainPythonFileUri": "gs://my-jobs/daily_totals.py",
            "args": ["--day", "2024-01-01"]}}},
        "job_scoped_cluster": True,  # create the cluster, run the job, delete the cluster
    }}},
}
# [end:solid]
run_config["resources"]["dataproc"]["config"].update(
    api_endpoint=os.environ["DATAPROC_API_ENDPOINT"], anonymous_credentials=True,
    poll_interval_seconds=0.05)
result = execute_pipeline(nightly, run_config=run_config)
assert result.output_for_solid("daily_totals")["status"]["state"] == "DONE"
