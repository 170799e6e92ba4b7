"""GCSComputeLogManager: what each step prints ends up in GCS, chosen in headwater.yaml."""

from __future__ import annotations

import logging
import os

import pytest
from gcp_pipelines import chatty_pipeline

from headwater import execute_pipeline, reconstructable
from headwater.errors import HeadwaterInstanceConfigError
from headwater.instance import instance_for_test
from headwater_gcp import GCSComputeLogManager


def compute_logs_settings(bucket: str, **config) -> dict:
    return {"compute_logs": {"module": "headwater_gcp", "class": "GCSComputeLogManager",
                             "config": {"bucket": bucket, "prefix": "logs", "tee": False,
                                        "timeout_seconds": 10.0, **config}}}


def read(client, bucket: str, name: str) -> str:
    return client.bucket(bucket).blob(name).download_as_bytes().decode()


def run_chatty(bucket: str, gcs_run_config: dict):
    with instance_for_test(overrides=compute_logs_settings(bucket)) as instance:
        return execute_pipeline(reconstructable(chatty_pipeline), instance=instance,
                                run_config={**gcs_run_config,
                                            "execution": {"multiprocess": {}}})


def test_headwater_yaml_selects_the_gcs_compute_log_manager_by_module_and_class(bucket):
    with instance_for_test(overrides=compute_logs_settings(bucket)) as instance:
        manager = instance.compute_log_manager
    assert isinstance(manager, GCSComputeLogManager)
    assert (manager.bucket, manager.prefix) == (bucket, "logs")


def test_each_steps_stdout_and_stderr_are_uploaded_when_it_ends(storage_client, bucket,
                                                                gcs_run_config):
    result = run_chatty(bucket, gcs_run_config)
    assert result.success
    folder = f"logs/storage/{result.run_id}/compute_logs"
    assert read(storage_client, bucket, f"{folder}/chatty.out") == "rows loaded: 42\n"
    assert read(storage_client, bucket, f"{folder}/chatty.err").startswith(
        "warning: 3 rows skipped\n")
    assert read(storage_client, bucket, f"{folder}/quiet.out") == "after done\n"


def test_logs_are_read_from_gcs_where_the_local_files_are_not(bucket, gcs_run_config,
                                                              tmp_path):
    result = run_chatty(bucket, gcs_run_config)
    elsewhere = GCSComputeLogManager(bucket, str(tmp_path / "another-machine"), prefix="logs")
    logs = elsewhere.read_logs(result.run_id, "chatty")
    assert logs.stdout == "rows loaded: 42\n"
    assert logs.stderr.startswith("warning: 3 rows skipped\n")


def test_empty_streams_are_not_uploaded_when_asked_to_skip_them(storage_client, bucket,
                                                                tmp_path):
    manager = GCSComputeLogManager(bucket, str(tmp_path), prefix="logs", skip_empty_files=True,
                                   tee=False)
    with manager.capture("run-1", "quiet_step"):
        os.write(1, b"only stdout\n")
    names = [blob.name for blob in storage_client.list_blobs(bucket)]
    assert names == ["logs/storage/run-1/compute_logs/quiet_step.out"]


def test_a_failed_upload_keeps_the_logs_local_and_warns_without_failing_the_step(
        gcs, tmp_path, caplog):
    manager = GCSComputeLogManager("no-such-bucket", str(tmp_path), tee=False)
    with caplog.at_level(logging.WARNING, logger="headwater_gcp"), \
            manager.capture("run-1", "load"):
        os.write(1, b"kept locally\n")
    assert manager.read_logs("run-1", "load").stdout == "kept locally\n"
    warning = next(r.getMessage() for r in caplog.records
                   if r.name == "headwater_gcp.compute_logs" and "load.out" in r.getMessage())
    assert warning.startswith('The GCS bucket "no-such-bucket" does not exist, so uploading '
                              'the compute logs of step "load" to gs://no-such-bucket/'
                              "headwater/storage/run-1/compute_logs/load.out failed")
    assert warning.endswith(f"The logs are kept under {tmp_path}.")


def test_headwater_yaml_selects_it_by_the_name_the_plugin_registers(bucket):
    settings = {"compute_logs": {"name": "gcs", "config": {"bucket": bucket}}}
    with instance_for_test(overrides=settings) as instance:
        assert isinstance(instance.compute_log_manager, GCSComputeLogManager)


def test_a_credentials_variable_that_is_not_set_is_named_when_the_instance_opens(bucket):
    settings = compute_logs_settings(bucket, json_credentials_envvar="NO_SUCH_KEY_VARIABLE")
    with pytest.raises(Exception, match="NO_SUCH_KEY_VARIABLE, which is not set"), \
            instance_for_test(overrides=settings):
        pass


def test_headwater_yaml_without_a_bucket_is_refused_when_the_instance_opens(gcs):
    settings = compute_logs_settings("b")
    del settings["compute_logs"]["config"]["bucket"]
    with pytest.raises(HeadwaterInstanceConfigError) as raised, \
            instance_for_test(overrides=settings):
        pass
    assert "compute_logs headwater_gcp.GCSComputeLogManager" in str(raised.value)
    assert '"bucket"' in str(raised.value)
