"""s3_resource, s3_file_manager and get_s3_keys against the moto server."""

from __future__ import annotations

import pickle

from aws_stand_ins import REGION

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_aws import S3FileHandle, get_s3_keys, s3_file_manager


@solid(required_resource_keys={"s3"})
def list_buckets(context) -> list[str]:
    return [b["Name"] for b in context.resources.s3.list_buckets()["Buckets"]]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"s3": "s3_resource"})])
def buckets():
    list_buckets()


def test_s3_resource_is_a_boto3_client_for_the_configured_endpoint(moto, bucket):
    result = execute_pipeline(buckets, run_config={"resources": {"s3": {"config": {
        "endpoint_url": moto, "region_name": REGION}}}})
    assert result.output_for_solid("list_buckets") == [bucket]


def test_s3_resource_takes_credentials_from_env_sources(moto, bucket, monkeypatch):
    monkeypatch.setenv("PIPELINE_KEY_ID", "AKIAFROMENV")
    monkeypatch.setenv("PIPELINE_SECRET", "from-env")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = execute_pipeline(buckets, run_config={"resources": {"s3": {"config": {
        "endpoint_url": moto, "aws_access_key_id": {"env": "PIPELINE_KEY_ID"},
        "aws_secret_access_key": {"env": "PIPELINE_SECRET"}}}}})
    assert result.output_for_solid("list_buckets") == [bucket]


@solid(required_resource_keys={"file_manager"})
def export_report(context) -> S3FileHandle:
    return context.resources.file_manager.write_data(b"id,total\n1,9.5\n", ext="csv")


@solid(required_resource_keys={"file_manager"})
def read_report(context, report: S3FileHandle) -> bytes:
    return context.resources.file_manager.read_data(report)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": s3_file_manager})])
def reports():
    read_report(export_report())


def file_manager_config(moto: str, bucket: str) -> dict:
    return {"resources": {"file_manager": {"config": {
        "s3_bucket": bucket, "s3_prefix": "reports", "endpoint_url": moto}}}}


def test_the_file_manager_writes_a_file_and_reads_it_back_by_handle(moto, s3, bucket):
    result = execute_pipeline(reports, run_config=file_manager_config(moto, bucket))
    handle = result.output_for_solid("export_report")
    assert handle.s3_bucket == bucket
    assert handle.s3_key.startswith("reports/") and handle.s3_key.endswith(".csv")
    assert result.output_for_solid("read_report") == b"id,total\n1,9.5\n"
    assert s3.get_object(Bucket=bucket, Key=handle.s3_key)["Body"].read() == b"id,total\n1,9.5\n"


def test_a_file_handle_survives_pickling(moto, bucket):
    handle = S3FileHandle(bucket, "reports/a.csv")
    assert pickle.loads(pickle.dumps(handle)) == handle
    assert handle.path_desc == f"s3://{bucket}/reports/a.csv"


def test_the_file_manager_deletes_a_file_by_handle(moto, s3, bucket):
    from headwater import build_init_resource_context

    manager = s3_file_manager(build_init_resource_context(config={
        "s3_bucket": bucket, "s3_prefix": "", "endpoint_url": moto, "max_attempts": 5,
        "use_unsigned_session": False}))
    handle = manager.write_data(b"x")
    manager.delete(handle)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def put(s3, bucket, *keys):
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")


def test_get_s3_keys_lists_the_keys_under_a_prefix(moto, s3, bucket):
    put(s3, bucket, "landing/1.csv", "landing/2.csv", "archive/0.csv")
    assert get_s3_keys(bucket, "landing/", s3_session=s3) == ["landing/1.csv", "landing/2.csv"]


def test_get_s3_keys_returns_only_the_keys_after_the_last_one_seen(moto, s3, bucket):
    put(s3, bucket, "landing/1.csv", "landing/2.csv", "landing/3.csv")
    assert get_s3_keys(bucket, "landing/", since_key="landing/1.csv", s3_session=s3) == [
        "landing/2.csv", "landing/3.csv"]
    assert get_s3_keys(bucket, "landing/", since_key="landing/3.csv", s3_session=s3) == []


def test_get_s3_keys_returns_every_key_when_the_last_one_seen_is_gone(moto, s3, bucket):
    put(s3, bucket, "landing/2.csv")
    assert get_s3_keys(bucket, "landing/", since_key="landing/1.csv", s3_session=s3) == [
        "landing/2.csv"]


def test_get_s3_keys_makes_a_client_from_the_environment_without_a_session(moto, s3, bucket,
                                                                           monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto)
    put(s3, bucket, "landing/1.csv")
    assert get_s3_keys(bucket, "landing/") == ["landing/1.csv"]
