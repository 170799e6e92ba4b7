"""AWS: files in S3 by handle (s3_file_manager), and new keys for a sensor (get_s3_keys)."""

import boto3

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_aws import S3FileHandle, get_s3_keys, s3_file_manager

boto3.client("s3").create_bucket(Bucket="my-reports")


# [start:file-manager]
@solid(required_resource_keys={"file_manager"})
def export_report(context) -> S3FileHandle:
    return context.resources.file_manager.write_data(b"id,total\n1,9.5\n", ext="csv")


@solid(required_resource_keys={"file_manager"})
def publish_report(context, report: S3FileHandle) -> int:
    context.log.info(f"Publishing {report.path_desc}")
    return len(context.resources.file_manager.read_data(report))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": s3_file_manager})])
def reports():
    publish_report(export_report())


result = execute_pipeline(reports, run_config={"resources": {"file_manager": {"config": {
    "s3_bucket": "my-reports", "s3_prefix": "daily"}}}})
assert result.output_for_solid("publish_report") == 15
# [end:file-manager]

# [start:keys]
s3 = boto3.client("s3")
for name in ("orders/2024-01-01.csv", "orders/2024-01-02.csv"):
    s3.put_object(Bucket="my-reports", Key=name, Body=b"")

cursor = "orders/2024-01-01.csv"  # the last key a sensor handled
assert get_s3_keys("my-reports", prefix="orders/", since_key=cursor,
                   s3_session=s3) == ["orders/2024-01-02.csv"]
# [end:keys]
