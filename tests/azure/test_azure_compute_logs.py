"""AzureBlobComputeLogManager: what each step prints ends up in a Blob container, chosen in
headwater.yaml, and is read back from there by `headwater run logs`."""

from __future__ import annotations

import logging
import os
import shutil

import pytest
import yaml
from azure_pipelines import chatty_pipeline
from azure_stand_ins import ACCOUNT, ACCOUNT_KEY, KEY_ENV
from click.testing import CliRunner

from headwater import execute_pipeline, reconstructable
from headwater.cli import cli
from headwater.errors import HeadwaterInstanceConfigError
from headwater.instance import Instance, instance_for_test
from headwater_azure import AzureBlobComputeLogManager


def account(azurite: str) -> dict:
    return {"storage_account": ACCOUNT, "credential": {"key": {"env": KEY_ENV}},
            "endpoint": azurite, "max_retries": 0}


def compute_logs_settings(azurite: str, container: str, **config) -> dict:
    return {"compute_logs": {"module": "headwater_azure", "class": "AzureBlobComputeLogManager",
                             "config": {"container": container, "prefix": "logs", "tee": False,
                                        **account(azurite), **config}}}


def run_chatty(azurite: str, container: str, adls2_run_config: dict):
    with instance_for_test(overrides=compute_logs_settings(azurite, container)) as instance:
        return execute_pipeline(reconstructable(chatty_pipeline), instance=instance,
                                run_config={**adls2_run_config,
                                            "execution": {"multiprocess": {}}})


def read(blob_service, container: str, name: str) -> str:
    return blob_service.get_blob_client(container, name).download_blob().readall().decode()


def test_headwater_yaml_selects_the_manager_by_module_and_class(azurite, container):
    with instance_for_test(overrides=compute_logs_settings(azurite, container)) as instance:
        manager = instance.compute_log_manager
    assert isinstance(manager, AzureBlobComputeLogManager)
    assert (manager.container, manager.prefix) == (container, "logs")


def test_headwater_yaml_selects_it_by_the_name_the_plugin_registers(azurite, container):
    settings = {"compute_logs": {"name": "azure_blob", "config": {"container": container,
                                                                  **account(azurite)}}}
    with instance_for_test(overrides=settings) as instance:
        assert isinstance(instance.compute_log_manager, AzureBlobComputeLogManager)


def test_each_steps_stdout_and_stderr_are_uploaded_when_it_ends(azurite, blob_service,
                                                                container, other_container,
                                                                adls2_run_config):
    result = run_chatty(azurite, other_container, adls2_run_config)
    assert result.success
    folder = f"logs/storage/{result.run_id}/compute_logs"
    assert read(blob_service, other_container, f"{folder}/chatty.out") == "rows loaded: 42\n"
    # The worker's console logger writes to stderr too.
    assert read(blob_service, other_container, f"{folder}/chatty.err") \
        .startswith("warning: 3 rows skipped\n")
    assert read(blob_service, other_container, f"{folder}/quiet.out") == "after done\n"


def test_logs_are_read_from_the_container_where_the_local_files_are_not(
        azurite, container, other_container, adls2_run_config, tmp_path):
    result = run_chatty(azurite, other_container, adls2_run_config)
    settings = {**account(azurite), "credential": {"key": ACCOUNT_KEY}}
    elsewhere = AzureBlobComputeLogManager(other_container, str(tmp_path / "another-machine"),
                                           settings, prefix="logs")
    logs = elsewhere.read_logs(result.run_id, "chatty")
    assert logs.stdout == "rows loaded: 42\n"
    assert logs.stderr.startswith("warning: 3 rows skipped\n")


def test_headwater_run_logs_prints_what_a_step_printed_from_the_container(
        azurite, container, other_container, adls2_run_config, headwater_home):
    settings = compute_logs_settings(azurite, other_container)
    with open(os.path.join(headwater_home, "headwater.yaml"), "w") as file:
        yaml.safe_dump(settings, file)
    # Worker processes: pytest's own capture holds this process's sys.stdout.
    with Instance.get() as instance:
        result = execute_pipeline(reconstructable(chatty_pipeline), instance=instance,
                                  run_config={**adls2_run_config,
                                              "execution": {"multiprocess": {}}})
    # The local copies are gone, as on a machine other than the one the step ran on.
    shutil.rmtree(os.path.join(headwater_home, "storage", result.run_id, "compute_logs"))
    printed = CliRunner().invoke(cli, ["run", "logs", result.run_id, "--step", "chatty",
                                       "--stdout"], catch_exceptions=False)
    assert printed.exit_code == 0, printed.output
    assert "rows loaded: 42" in printed.output


def test_empty_streams_are_not_uploaded_when_asked_to_skip_them(azurite, blob_service,
                                                                container, tmp_path):
    manager = AzureBlobComputeLogManager(container, str(tmp_path),
                                         {**account(azurite), "credential": {"key": ACCOUNT_KEY}},
                                         prefix="logs", skip_empty_files=True, tee=False)
    with manager.capture("run-1", "quiet_step"):
        os.write(1, b"only stdout\n")
    names = [b.name for b in blob_service.get_container_client(container).list_blobs()]
    assert names == ["logs/storage/run-1/compute_logs/quiet_step.out"]


def test_a_failed_upload_keeps_the_logs_local_and_warns_without_failing_the_step(
        azurite, tmp_path, caplog):
    manager = AzureBlobComputeLogManager("no-such-container", str(tmp_path),
                                         {**account(azurite), "credential": {"key": ACCOUNT_KEY}},
                                         tee=False)
    with caplog.at_level(logging.WARNING, logger="headwater_azure"), \
            manager.capture("run-1", "load"):
        os.write(1, b"kept locally\n")
    assert manager.read_logs("run-1", "load").stdout == "kept locally\n"
    warning = next(r.getMessage() for r in caplog.records
                   if r.name == "headwater_azure.compute_logs" and "load.out" in r.getMessage())
    assert warning.startswith('The container "no-such-container" does not exist, so uploading '
                              'the compute logs of step "load" to blob "headwater/storage/'
                              'run-1/compute_logs/load.out"')
    assert warning.endswith(f"The logs are kept under {tmp_path}.")


def test_headwater_yaml_without_a_container_is_refused_when_the_instance_opens(azurite):
    settings = compute_logs_settings(azurite, "c")
    del settings["compute_logs"]["config"]["container"]
    with pytest.raises(HeadwaterInstanceConfigError) as raised, \
            instance_for_test(overrides=settings):
        pass
    assert "compute_logs headwater_azure.AzureBlobComputeLogManager" in str(raised.value)
    assert '"container"' in str(raised.value)
