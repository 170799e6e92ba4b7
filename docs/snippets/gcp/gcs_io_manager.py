"""GCP: step outputs in GCS with gcs_pickle_io_manager.

Runs against Google Cloud, or any GCS endpoint the client is pointed at
(STORAGE_EMULATOR_HOST).
"""

from google.cloud import storage

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_gcp import gcs_pickle_io_manager, gcs_resource

storage.Client().create_bucket("my-pipeline-outputs")


@solid
def numbers() -> list[int]:
    return [1, 2, 3]


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


# [start:mode]
@pipeline(mode_defs=[ModeDefinition("gcp", resource_defs={
    "io_manager": gcs_pickle_io_manager,
    "gcs": gcs_resource,
})])
def totals():
    total(numbers())


result = execute_pipeline(totals, run_config={"resources": {
    "io_manager": {"config": {"gcs_bucket": "my-pipeline-outputs", "gcs_prefix": "pipelines"}},
    "gcs": {"config": {"timeout_seconds": 30.0}},
}})
# gs://my-pipeline-outputs/pipelines/storage/<run_id>/<step_key>/<output>
stored = storage.Client().bucket("my-pipeline-outputs").blob(
    f"pipelines/storage/{result.run_id}/total/result").download_as_bytes()
# [end:mode]
assert len(stored) > 0


# [start:by-name]
@pipeline(mode_defs=[ModeDefinition("gcp", resource_defs={
    "io_manager": "gcs_pickle_io_manager",
    "gcs": "gcs_resource",
})])
def totals_by_name():
    total(numbers())
# [end:by-name]


assert execute_pipeline(totals_by_name, run_config={"resources": {
    "io_manager": {"config": {"gcs_bucket": "my-pipeline-outputs"}}}}).success
