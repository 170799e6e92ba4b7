"""AWS: a PySpark script run as an EMR step (emr_pyspark_step_solid), and the job runner.

A run of ``nightly`` waits for the step to end on the cluster. This snippet starts a
cluster and checks the run config; it does not wait for a step, which needs a real cluster.
"""

import os

from headwater import ModeDefinition, execute_solid, pipeline, solid, validate_run_config
from headwater_aws import emr_pyspark_step_solid


# [start:runner]
@solid(required_resource_keys={"emr"})
def start_cluster(context) -> str:
    return context.resources.emr.run_job_flow({
        "Name": "nightly-spark",
        "ReleaseLabel": "emr-6.15.0",
        "LogUri": "s3://my-emr-logs/clusters/",
        "Applications": [{"Name": "Spark"}],
        "Instances": {"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge",
                      "InstanceCount": 3, "KeepJobFlowAliveWhenNoSteps": True},
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "ServiceRole": "EMR_DefaultRole",
    })
# [end:runner]


# [start:step]
daily_totals = emr_pyspark_step_solid("daily_totals", "jobs/daily_totals.py",
                                      args=["--day", "2024-01-01"])


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "emr_step_launcher": "emr_pyspark_step_launcher",
    "emr": "emr_job_runner",
})])
def nightly():
    daily_totals()


run_config = {"resources": {
    "emr_step_launcher": {"config": {
        "cluster_id": {"env": "EMR_CLUSTER_ID"},
        "staging_bucket": "my-emr-staging",      # the script is uploaded here
        "region_name": "us-east-1",
        "spark_config": {"spark.executor.memory": "4g"},
        "wait_for_logs": True,                   # bring back the step's stdout and stderr
        "timeout_seconds": 3600,
    }},
}}
# [end:step]

os.environ["EMR_CLUSTER_ID"] = execute_solid(
    start_cluster, mode_def=ModeDefinition(resource_defs={"emr": "emr_job_runner"}),
    run_config={"resources": {"emr": {"config": {"region_name": "us-east-1"}}}},
).output_value()
assert validate_run_config(nightly, run_config)
