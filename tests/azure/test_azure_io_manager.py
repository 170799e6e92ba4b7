"""adls2_pickle_io_manager: outputs pickled to a file system under the run that made them,
read back by downstream steps in this process, in worker processes, and in re-executions."""

from __future__ import annotations

import os
import pickle

import pytest
from azure_pipelines import (
    CALLS_ENV,
    calls,
    squares_pipeline,
    sum_pipeline,
    sum_pipeline_by_plugin_names,
)
from azure_stand_ins import ACCOUNT, ACCOUNT_KEY

from headwater import (
    build_input_context,
    build_output_context,
    execute_pipeline,
    reconstructable,
    reexecute_pipeline,
)
from headwater.instance import instance_for_test
from headwater_azure import (
    ADLS2Resource,
    AzureBlobNotFoundError,
    ConfigPlace,
    PickledObjectADLS2IOManager,
)


def stored(blob_service, container: str, prefix: str) -> dict[str, object]:
    """Every blob under ``prefix``, unpickled, by name."""
    client = blob_service.get_container_client(container)
    return {blob.name: pickle.loads(client.download_blob(blob.name).readall())
            for blob in client.list_blobs(name_starts_with=prefix)}


@pytest.fixture
def calls_file(tmp_path, monkeypatch):
    path = tmp_path / "calls.txt"
    monkeypatch.setenv(CALLS_ENV, str(path))
    return path


def test_each_output_is_pickled_under_prefix_storage_run_step_and_output(
        blob_service, container, adls2_run_config):
    result = execute_pipeline(sum_pipeline, run_config=adls2_run_config)
    assert result.success
    assert stored(blob_service, container, "runs/") == {
        f"runs/storage/{result.run_id}/numbers/result": [1, 2, 3],
        f"runs/storage/{result.run_id}/doubled/result": [2, 4, 6],
        f"runs/storage/{result.run_id}/total/result": 12,
    }


def test_downstream_steps_load_their_inputs_from_the_file_system(adls2_run_config):
    result = execute_pipeline(sum_pipeline, run_config=adls2_run_config)
    loaded = [event.message for event in result.event_list
              if event.event_type_value == "LOADED_INPUT"]
    assert loaded == [
        'Loaded input "numbers" using input manager "io_manager", from output "result" of '
        'step "numbers"',
        'Loaded input "doubled" using input manager "io_manager", from output "result" of '
        'step "doubled"',
    ]
    assert result.output_for_solid("total") == 12


def test_a_value_of_a_dynamic_output_is_stored_under_its_mapping_key(
        blob_service, container, adls2_run_config):
    result = execute_pipeline(squares_pipeline, run_config=adls2_run_config)
    names = set(stored(blob_service, container, f"runs/storage/{result.run_id}/fan_out/"))
    assert names == {f"runs/storage/{result.run_id}/fan_out/result/n{n}" for n in (1, 2, 3)}
    assert stored(blob_service, container, f"runs/storage/{result.run_id}/square[n3]/") == {
        f"runs/storage/{result.run_id}/square[n3]/result": 9}


def test_a_mode_binds_the_io_manager_and_the_resource_by_their_plugin_names(
        blob_service, container, adls2_run_config):
    result = execute_pipeline(sum_pipeline_by_plugin_names, run_config=adls2_run_config)
    assert result.output_for_solid("total") == 12
    assert f"runs/storage/{result.run_id}/total/result" in stored(blob_service, container,
                                                                  "runs/")


def test_the_multiprocess_executor_passes_outputs_between_workers_through_the_file_system(
        blob_service, container, adls2_run_config):
    run_config = {**adls2_run_config, "execution": {"multiprocess": {"config": {
        "max_concurrent": 2}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(sum_pipeline), run_config=run_config,
                                  instance=instance)
    assert result.success
    step_pids = {event.pid for event in result.event_list if event.is_step_event}
    assert os.getpid() not in step_pids
    assert result.output_for_solid("total") == 12
    assert stored(blob_service, container, f"runs/storage/{result.run_id}/total/") == {
        f"runs/storage/{result.run_id}/total/result": 12}


def test_a_failed_run_keeps_the_outputs_its_earlier_steps_stored(
        blob_service, container, adls2_run_config):
    failing = {**adls2_run_config, "solids": {"total": {"config": {"fail": True}}}}
    result = execute_pipeline(sum_pipeline, run_config=failing, raise_on_error=False)
    assert not result.success
    assert stored(blob_service, container, f"runs/storage/{result.run_id}/") == {
        f"runs/storage/{result.run_id}/numbers/result": [1, 2, 3],
        f"runs/storage/{result.run_id}/doubled/result": [2, 4, 6],
    }


def test_reexecution_from_failure_loads_upstream_outputs_from_the_parent_run(
        blob_service, container, adls2_run_config, calls_file):
    failing = {**adls2_run_config, "solids": {"total": {"config": {"fail": True}}}}
    with instance_for_test() as instance:
        parent = execute_pipeline(sum_pipeline, run_config=failing, instance=instance,
                                  raise_on_error=False)
        assert not parent.success
        child = reexecute_pipeline(sum_pipeline, parent.run_id, run_config=adls2_run_config,
                                   instance=instance, from_failure=True)
    assert child.success
    assert calls(calls_file) == ["numbers", "doubled", "total", "total"]
    assert child.output_for_solid("total") == 12
    # Only the re-executed step stored anything under the new run's id.
    assert set(stored(blob_service, container, f"runs/storage/{child.run_id}/")) == {
        f"runs/storage/{child.run_id}/total/result"}


def test_reexecution_in_worker_processes_loads_the_parent_runs_outputs(
        adls2_run_config, calls_file):
    failing = {**adls2_run_config, "solids": {"total": {"config": {"fail": True}}},
               "execution": {"multiprocess": {}}}
    fixed = {**adls2_run_config, "execution": {"multiprocess": {}}}
    with instance_for_test() as instance:
        parent = execute_pipeline(reconstructable(sum_pipeline), run_config=failing,
                                  instance=instance, raise_on_error=False)
        assert not parent.success
        child = reexecute_pipeline(reconstructable(sum_pipeline), parent.run_id,
                                   run_config=fixed, instance=instance, from_failure=True)
    assert child.success
    assert child.output_for_solid("total") == 12
    assert calls(calls_file) == ["numbers", "doubled", "total", "total"]


def test_loading_an_output_that_was_never_stored_names_the_file_and_the_run(azurite,
                                                                            container):
    adls2 = ADLS2Resource({"storage_account": ACCOUNT, "credential": {"key": ACCOUNT_KEY},
                           "endpoint": azurite}, ConfigPlace("test", "test"))
    manager = PickledObjectADLS2IOManager(adls2.object_store(container), "runs")
    upstream = build_output_context(step_key="numbers", name="result", run_id="run-1")
    with pytest.raises(AzureBlobNotFoundError) as raised:
        manager.load_input(build_input_context(name="numbers", upstream_output=upstream))
    url = f"{azurite}/{container}/runs/storage/run-1/numbers/result"
    assert str(raised.value) == (
        f'There is no blob "runs/storage/run-1/numbers/result" in container "{container}", '
        f'so loading input "numbers" from {url} failed. Output "result" of step "numbers" '
        "was not stored there by run run-1: that run did not produce it, or stored it with "
        "another IO manager, file system or prefix. Re-execute the step that produces it.")
