"""gcs_pickle_io_manager: outputs pickled to GCS under the run that made them, read back by
downstream steps in this process, in worker processes, and in re-executions."""

from __future__ import annotations

import os
import pickle

import pytest
from gcp_pipelines import (
    CALLS_ENV,
    calls,
    squares_pipeline,
    sum_pipeline,
    sum_pipeline_by_plugin_names,
)

from headwater import (
    build_input_context,
    build_output_context,
    execute_pipeline,
    reconstructable,
    reexecute_pipeline,
)
from headwater.instance import instance_for_test
from headwater_gcp import (
    ConfigPlace,
    GcsBucketNotFoundError,
    GcsObjectNotFoundError,
    PickledObjectGCSIOManager,
    make_storage_client,
)


def stored(client, bucket: str, prefix: str) -> dict[str, object]:
    """Every object under ``prefix``, unpickled, by name."""
    return {blob.name: pickle.loads(blob.download_as_bytes())
            for blob in client.list_blobs(bucket, prefix=prefix)}


@pytest.fixture
def calls_file(tmp_path, monkeypatch):
    path = tmp_path / "calls.txt"
    monkeypatch.setenv(CALLS_ENV, str(path))
    return path


def manager(bucket: str) -> PickledObjectGCSIOManager:
    return PickledObjectGCSIOManager(make_storage_client(ConfigPlace("test", "test"),
                                                         timeout_seconds=10.0), bucket, "runs")


def test_each_output_is_pickled_under_prefix_storage_run_step_and_output(
        storage_client, bucket, gcs_run_config):
    result = execute_pipeline(sum_pipeline, run_config=gcs_run_config)
    assert result.success
    assert stored(storage_client, bucket, "runs/") == {
        f"runs/storage/{result.run_id}/numbers/result": [1, 2, 3],
        f"runs/storage/{result.run_id}/doubled/result": [2, 4, 6],
        f"runs/storage/{result.run_id}/total/result": 12,
    }


def test_downstream_steps_load_their_inputs_from_gcs(gcs_run_config):
    result = execute_pipeline(sum_pipeline, run_config=gcs_run_config)
    loaded = [event.message for event in result.event_list
              if event.event_type_value == "LOADED_INPUT"]
    assert len(loaded) == 2
    assert result.output_for_solid("total") == 12


def test_a_value_of_a_dynamic_output_is_stored_under_its_mapping_key(storage_client, bucket,
                                                                      gcs_run_config):
    result = execute_pipeline(squares_pipeline, run_config=gcs_run_config)
    keys = set(stored(storage_client, bucket, f"runs/storage/{result.run_id}/fan_out/"))
    assert keys == {f"runs/storage/{result.run_id}/fan_out/result/n{n}" for n in (1, 2, 3)}
    assert stored(storage_client, bucket, f"runs/storage/{result.run_id}/square[n3]/") == {
        f"runs/storage/{result.run_id}/square[n3]/result": 9}


def test_a_mode_binds_the_io_manager_and_the_client_by_their_plugin_names(
        storage_client, bucket, gcs_run_config):
    result = execute_pipeline(sum_pipeline_by_plugin_names, run_config=gcs_run_config)
    assert result.output_for_solid("total") == 12
    assert f"runs/storage/{result.run_id}/total/result" in stored(storage_client, bucket,
                                                                  "runs/")


def test_the_multiprocess_executor_passes_outputs_between_workers_through_gcs(
        storage_client, bucket, gcs_run_config):
    run_config = {**gcs_run_config, "execution": {"multiprocess": {"config": {
        "max_concurrent": 2}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(sum_pipeline), run_config=run_config,
                                  instance=instance)
    assert result.success
    step_pids = {event.pid for event in result.event_list if event.is_step_event}
    assert os.getpid() not in step_pids
    assert result.output_for_solid("total") == 12
    assert stored(storage_client, bucket, f"runs/storage/{result.run_id}/total/") == {
        f"runs/storage/{result.run_id}/total/result": 12}


def test_reexecution_from_failure_loads_upstream_outputs_from_the_parent_run(
        storage_client, bucket, gcs_run_config, calls_file):
    failing = {**gcs_run_config, "solids": {"total": {"config": {"fail": True}}}}
    with instance_for_test() as instance:
        parent = execute_pipeline(sum_pipeline, run_config=failing, instance=instance,
                                  raise_on_error=False)
        assert not parent.success
        child = reexecute_pipeline(sum_pipeline, parent.run_id, run_config=gcs_run_config,
                                   instance=instance, from_failure=True)
    assert child.success
    assert calls(calls_file) == ["numbers", "doubled", "total", "total"]
    assert child.output_for_solid("total") == 12
    # Only the re-executed step stored anything under the new run's id.
    assert set(stored(storage_client, bucket, f"runs/storage/{child.run_id}/")) == {
        f"runs/storage/{child.run_id}/total/result"}


def test_reexecution_in_worker_processes_loads_the_parent_runs_outputs(
        gcs_run_config, calls_file):
    failing = {**gcs_run_config, "solids": {"total": {"config": {"fail": True}}},
               "execution": {"multiprocess": {}}}
    fixed = {**gcs_run_config, "execution": {"multiprocess": {}}}
    with instance_for_test() as instance:
        parent = execute_pipeline(reconstructable(sum_pipeline), run_config=failing,
                                  instance=instance, raise_on_error=False)
        child = reexecute_pipeline(reconstructable(sum_pipeline), parent.run_id,
                                   run_config=fixed, instance=instance, from_failure=True)
    assert child.success
    assert calls(calls_file) == ["numbers", "doubled", "total", "total"]


def test_loading_an_output_that_was_never_stored_names_the_object_and_the_run(bucket):
    upstream = build_output_context(step_key="numbers", name="result", run_id="run-1")
    with pytest.raises(GcsObjectNotFoundError) as raised:
        manager(bucket).load_input(build_input_context(name="numbers", upstream_output=upstream))
    assert str(raised.value) == (
        f"There is no object gs://{bucket}/runs/storage/run-1/numbers/result, so loading "
        f'input "numbers" from gs://{bucket}/runs/storage/run-1/numbers/result failed. '
        'Output "result" of step "numbers" was not stored there by run run-1: that run did '
        "not produce it, or stored it with another IO manager, bucket or prefix. Re-execute "
        "the step that produces it.")


def test_storing_to_a_missing_bucket_names_the_bucket_and_the_setting(gcs):
    context = build_output_context(step_key="numbers", name="result", run_id="run-1")
    with pytest.raises(GcsBucketNotFoundError) as raised:
        manager("no-such-bucket").handle_output(context, [1])
    assert str(raised.value).startswith(
        'The GCS bucket "no-such-bucket" does not exist, so storing output "result" of step '
        '"numbers" at gs://no-such-bucket/runs/storage/run-1/numbers/result failed')
    assert "gcs_bucket in the config of gcs_pickle_io_manager (resources.io_manager.config)" \
        in str(raised.value)
