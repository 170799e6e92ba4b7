"""S3ComputeLogManager: what each step prints ends up in S3, chosen in headwater.yaml."""

from __future__ import annotations

import logging
import os

import pytest
from aws_pipelines import chatty_pipeline
from aws_stand_ins import REGION

from headwater import execute_pipeline, reconstructable
from headwater.errors import HeadwaterInstanceConfigError
from headwater.instance import instance_for_test
from headwater_aws import S3ComputeLogManager


def compute_logs_settings(moto: str, bucket: str, **config) -> dict:
    return {"compute_logs": {"module": "headwater_aws", "class": "S3ComputeLogManager",
                             "config": {"bucket": bucket, "prefix": "logs",
                                        "endpoint_url": moto, "region_name": REGION,
                                        "tee": False, **config}}}


def run_chatty(moto: str, bucket: str, s3_run_config: dict):
    with instance_for_test(overrides=compute_logs_settings(moto, bucket)) as instance:
        result = execute_pipeline(reconstructable(chatty_pipeline), instance=instance,
                                  run_config={**s3_run_config,
                                              "execution": {"multiprocess": {}}})
        return result, instance.compute_log_manager


def read(s3, bucket: str, key: str) -> str:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()


def test_headwater_yaml_selects_the_s3_compute_log_manager_by_module_and_class(moto, bucket):
    with instance_for_test(overrides=compute_logs_settings(moto, bucket)) as instance:
        manager = instance.compute_log_manager
    assert isinstance(manager, S3ComputeLogManager)
    assert (manager.bucket, manager.prefix) == (bucket, "logs")


def test_each_steps_stdout_and_stderr_are_uploaded_when_it_ends(moto, s3, bucket,
                                                                s3_run_config):
    result, _ = run_chatty(moto, bucket, s3_run_config)
    assert result.success
    folder = f"logs/storage/{result.run_id}/compute_logs"
    assert read(s3, bucket, f"{folder}/chatty.out") == "rows loaded: 42\n"
    # The worker's console logger writes to stderr too.
    assert read(s3, bucket, f"{folder}/chatty.err").startswith("warning: 3 rows skipped\n")
    assert read(s3, bucket, f"{folder}/quiet.out") == "after done\n"


def test_logs_are_read_from_s3_where_the_local_files_are_not(moto, bucket, s3_run_config,
                                                              tmp_path):
    result, _ = run_chatty(moto, bucket, s3_run_config)
    elsewhere = S3ComputeLogManager(bucket, str(tmp_path / "another-machine"), prefix="logs",
                                    client_options={"endpoint_url": moto})
    logs = elsewhere.read_logs(result.run_id, "chatty")
    assert logs.stdout == "rows loaded: 42\n"
    assert logs.stderr.startswith("warning: 3 rows skipped\n")


def test_empty_streams_are_not_uploaded_when_asked_to_skip_them(moto, s3, bucket, tmp_path):
    manager = S3ComputeLogManager(bucket, str(tmp_path), prefix="logs", skip_empty_files=True,
                                  tee=False, client_options={"endpoint_url": moto})
    with manager.capture("run-1", "quiet_step"):
        os.write(1, b"only stdout\n")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["logs/storage/run-1/compute_logs/quiet_step.out"]


def test_a_failed_upload_keeps_the_logs_local_and_warns_without_failing_the_step(
        moto, tmp_path, caplog):
    manager = S3ComputeLogManager("no-such-bucket", str(tmp_path), tee=False,
                                  client_options={"endpoint_url": moto})
    with caplog.at_level(logging.WARNING, logger="headwater_aws"), \
            manager.capture("run-1", "load"):
        os.write(1, b"kept locally\n")
    assert manager.read_logs("run-1", "load").stdout == "kept locally\n"
    warning = next(r.getMessage() for r in caplog.records
                   if r.name == "headwater_aws.compute_logs" and "load.out" in r.getMessage())
    assert warning.startswith('The S3 bucket "no-such-bucket" does not exist, so uploading '
                              'the compute logs of step "load" to s3://no-such-bucket/'
                              "headwater/storage/run-1/compute_logs/load.out failed")
    assert warning.endswith(f"The logs are kept under {tmp_path}.")


def test_headwater_yaml_selects_it_by_the_name_the_plugin_registers(moto, bucket):
    settings = {"compute_logs": {"name": "s3", "config": {"bucket": bucket,
                                                          "endpoint_url": moto}}}
    with instance_for_test(overrides=settings) as instance:
        assert isinstance(instance.compute_log_manager, S3ComputeLogManager)


def test_headwater_yaml_without_a_bucket_is_refused_when_the_instance_opens(moto):
    settings = compute_logs_settings(moto, "b")
    del settings["compute_logs"]["config"]["bucket"]
    with pytest.raises(HeadwaterInstanceConfigError) as raised, \
            instance_for_test(overrides=settings):
        pass
    assert "compute_logs headwater_aws.S3ComputeLogManager" in str(raised.value)
    assert '"bucket"' in str(raised.value)
