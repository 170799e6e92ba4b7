"""GCP: files in GCS by handle (gcs_file_manager), and new objects for a sensor
(get_gcs_keys)."""

from google.cloud import storage

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_gcp import GCSFileHandle, gcs_file_manager, get_gcs_keys

storage.Client().create_bucket("my-reports")


# [start:file-manager]
@solid(required_resource_keys={"file_manager"})
def export_report(context) -> GCSFileHandle:
    return context.resources.file_manager.write_data(b"id,total\n1,9.5\n", ext="csv")


@solid(required_resource_keys={"file_manager"})
def publish_report(context, report: GCSFileHandle) -> int:
    context.log.info(f"Publishing {report.path_desc}")
    return len(context.resources.file_manager.read_data(report))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": gcs_file_manager})])
def reports():
    publish_report(export_report())


result = execute_pipeline(reports, run_config={"resources": {"file_manager": {"config": {
    "gcs_bucket": "my-reports", "gcs_prefix": "daily"}}}})
assert result.output_for_solid("publish_report") == 15
# [end:file-manager]

# [start:keys]
client = storage.Client()
for name in ("orders/2024-01-01.csv", "orders/2024-01-02.csv"):
    client.bucket("my-reports").blob(name).upload_from_string(b"")

cursor = "orders/2024-01-01.csv"  # the last object a sensor handled
assert get_gcs_keys("my-reports", prefix="orders/", since_key=cursor,
                    gcs_session=client) == ["orders/2024-01-02.csv"]
# [end:keys]
