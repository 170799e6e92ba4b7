"""AWS: step outputs in S3 with s3_pickle_io_manager.

Runs against AWS, or any S3 endpoint boto3 is pointed at (AWS_ENDPOINT_URL).
"""

import boto3

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_aws import s3_pickle_io_manager, s3_resource

boto3.client("s3").create_bucket(Bucket="my-pipeline-outputs")


@solid
def numbers() -> list[int]:
    return [1, 2, 3]


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


# [start:mode]
@pipeline(mode_defs=[ModeDefinition("aws", resource_defs={
    "io_manager": s3_pickle_io_manager,
    "s3": s3_resource,
})])
def totals():
    total(numbers())


result = execute_pipeline(totals, run_config={"resources": {
    "io_manager": {"config": {"s3_bucket": "my-pipeline-outputs", "s3_prefix": "pipelines"}},
    "s3": {"config": {"region_name": "us-east-1"}},
}})
# s3://my-pipeline-outputs/pipelines/storage/<run_id>/<step_key>/<output>
stored = boto3.client("s3").get_object(
    Bucket="my-pipeline-outputs", Key=f"pipelines/storage/{result.run_id}/total/result")
# [end:mode]
assert stored["ContentLength"] > 0


# [start:by-name]
@pipeline(mode_defs=[ModeDefinition("aws", resource_defs={
    "io_manager": "s3_pickle_io_manager",
    "s3": "s3_resource",
})])
def totals_by_name():
    total(numbers())
# [end:by-name]


assert execute_pipeline(totals_by_name, run_config={"resources": {
    "io_manager": {"config": {"s3_bucket": "my-pipeline-outputs"}}}}).success
