"""gcs_resource, gcs_file_manager and get_gcs_keys against the GCS emulator."""

from __future__ import annotations

import pytest

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_gcp import (
    GCSFileHandle,
    GcsObjectNotFoundError,
    gcs_file_manager,
    gcs_resource,
    get_gcs_keys,
)


@solid(required_resource_keys={"file_manager"})
def export(context) -> GCSFileHandle:
    return context.resources.file_manager.write_data(b"id,total\n1,9.5\n", ext="csv")


@solid(required_resource_keys={"file_manager"})
def publish(context, report: GCSFileHandle) -> bytes:
    return context.resources.file_manager.read_data(report)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": gcs_file_manager})])
def report_pipeline():
    publish(export())


@solid(required_resource_keys={"gcs"})
def upload(context) -> str:
    context.resources.gcs.bucket("headwater-test").blob("hello.txt").upload_from_string("hi")
    return "hello.txt"


@pipeline(mode_defs=[ModeDefinition(resource_defs={"gcs": gcs_resource})])
def upload_pipeline():
    upload()


def run_report(bucket: str):
    return execute_pipeline(report_pipeline, run_config={"resources": {"file_manager": {
        "config": {"gcs_bucket": bucket, "gcs_prefix": "files"}}}})


def test_gcs_resource_is_a_storage_client_on_the_emulator(storage_client, bucket):
    assert execute_pipeline(upload_pipeline).success
    assert storage_client.bucket(bucket).blob("hello.txt").download_as_bytes() == b"hi"


def test_the_file_manager_writes_under_its_prefix_and_reads_by_handle(storage_client, bucket):
    result = run_report(bucket)
    handle = result.output_for_solid("export")
    assert handle.gcs_bucket == bucket
    assert handle.gcs_key.startswith("files/") and handle.gcs_key.endswith(".csv")
    assert handle.path_desc == f"gs://{bucket}/{handle.gcs_key}"
    assert result.output_for_solid("publish") == b"id,total\n1,9.5\n"


def test_the_file_manager_deletes_and_then_reading_names_the_missing_object(bucket):
    result = run_report(bucket)
    handle = result.output_for_solid("export")
    manager = gcs_file_manager(_init({"gcs_bucket": bucket}))
    manager.delete(handle)
    manager.delete(handle)  # already gone: not an error
    with pytest.raises(GcsObjectNotFoundError, match=f"There is no object {handle.path_desc}"):
        manager.read_data(handle)


def _init(config):
    from headwater import build_init_resource_context

    return build_init_resource_context(config={"gcs_prefix": "files", **config})


def test_get_gcs_keys_lists_names_oldest_first_and_only_after_the_cursor(storage_client,
                                                                         bucket):
    for name in ("landing/b.csv", "landing/a.csv", "landing/c.csv", "other/x.csv"):
        storage_client.bucket(bucket).blob(name).upload_from_string(name)
    assert get_gcs_keys(bucket, prefix="landing/") == ["landing/b.csv", "landing/a.csv",
                                                        "landing/c.csv"]
    assert get_gcs_keys(bucket, prefix="landing/", since_key="landing/a.csv") == [
        "landing/c.csv"]
    assert get_gcs_keys(bucket, prefix="landing/", since_key="gone.csv") == [
        "landing/b.csv", "landing/a.csv", "landing/c.csv"]


def test_get_gcs_keys_uses_the_client_it_is_given(storage_client, bucket):
    storage_client.bucket(bucket).blob("x.csv").upload_from_string("x")
    assert get_gcs_keys(bucket, gcs_session=storage_client) == ["x.csv"]
