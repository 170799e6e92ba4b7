"""adls2_file_manager and adls2_file_cache: files by handle, and files cached by key."""

from __future__ import annotations

import pickle

import pytest

from headwater import ModeDefinition, execute_pipeline, execute_solid, pipeline, solid
from headwater_azure import ADLS2FileHandle, AzureBlobExistsError


@solid(required_resource_keys={"file_manager"})
def export_report(context) -> ADLS2FileHandle:
    return context.resources.file_manager.write_data(b"id,total\n1,9.5\n", ext="csv")


@solid(required_resource_keys={"file_manager"})
def read_report(context, report: ADLS2FileHandle) -> bytes:
    return context.resources.file_manager.read_data(report)


@solid(required_resource_keys={"file_manager"})
def delete_report(context, report: ADLS2FileHandle) -> ADLS2FileHandle:
    context.resources.file_manager.delete(report)
    return report


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": "adls2_file_manager"})])
def reports():
    read_report(export_report())


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": "adls2_file_manager"})])
def written_then_deleted():
    delete_report(export_report())


@pytest.fixture
def file_manager_config(adls2_config, container):
    return {"resources": {"file_manager": {"config": {
        "adls2_file_system": container, "adls2_prefix": "files", **adls2_config}}}}


def test_a_file_written_in_one_step_is_read_by_handle_in_the_next(file_manager_config):
    result = execute_pipeline(reports, run_config=file_manager_config)
    assert result.output_for_solid("read_report") == b"id,total\n1,9.5\n"


def test_a_new_file_gets_a_unique_name_under_the_prefix_with_its_extension(
        file_manager_config, azurite, container):
    handle = execute_pipeline(reports, run_config=file_manager_config) \
        .output_for_solid("export_report")
    assert (handle.account, handle.file_system) == ("devstoreaccount1", container)
    assert handle.key.startswith("files/") and handle.key.endswith(".csv")
    assert handle.path_desc == f"{azurite}/{container}/{handle.key}"


def test_a_handle_survives_pickling(file_manager_config):
    handle = execute_pipeline(reports, run_config=file_manager_config) \
        .output_for_solid("export_report")
    assert pickle.loads(pickle.dumps(handle)) == handle


def test_a_deleted_file_is_gone(file_manager_config, blob_service, container):
    handle = execute_pipeline(written_then_deleted, run_config=file_manager_config) \
        .output_for_solid("delete_report")
    assert not blob_service.get_blob_client(container, handle.key).exists()


@solid(config_schema={"key": str, "data": str}, required_resource_keys={"file_cache"})
def cache_write(context) -> ADLS2FileHandle:
    cache = context.resources.file_cache
    return cache.write_binary_data(context.solid_config["key"],
                                   context.solid_config["data"].encode())


@solid(config_schema={"key": str}, required_resource_keys={"file_cache"})
def cache_has(context) -> bool:
    return context.resources.file_cache.has_file_object(context.solid_config["key"])


def run_cache(solid_def, solid_config: dict, adls2_config: dict, container: str,
              overwrite: bool = False):
    return execute_solid(
        solid_def, mode_def=ModeDefinition(resource_defs={"file_cache": "adls2_file_cache"}),
        run_config={"solids": {solid_def.name: {"config": solid_config}},
                    "resources": {"file_cache": {"config": {
                        "file_system": container, "prefix": "cache", "overwrite": overwrite,
                        **adls2_config}}}},
        raise_on_error=True).output_value()


def test_the_file_cache_stores_a_file_under_prefix_and_key(adls2_config, container,
                                                           blob_service):
    handle = run_cache(cache_write, {"key": "orders.csv", "data": "id\n1\n"}, adls2_config,
                       container)
    assert handle.key == "cache/orders.csv"
    assert blob_service.get_blob_client(container, "cache/orders.csv").download_blob() \
        .readall() == b"id\n1\n"


def test_the_file_cache_knows_which_keys_it_holds(adls2_config, container):
    run_cache(cache_write, {"key": "orders.csv", "data": "id\n"}, adls2_config, container)
    assert run_cache(cache_has, {"key": "orders.csv"}, adls2_config, container)
    assert not run_cache(cache_has, {"key": "missing.csv"}, adls2_config, container)


def test_the_file_cache_refuses_to_overwrite_unless_told_to(adls2_config, container):
    run_cache(cache_write, {"key": "orders.csv", "data": "one"}, adls2_config, container)
    with pytest.raises(AzureBlobExistsError) as raised:
        run_cache(cache_write, {"key": "orders.csv", "data": "two"}, adls2_config, container)
    assert str(raised.value).startswith('The file cache already holds "orders.csv"')
    assert str(raised.value).endswith("set overwrite: true in the config of adls2_file_cache "
                                      "to replace it.")


def test_the_file_cache_overwrites_when_told_to(adls2_config, container, blob_service):
    run_cache(cache_write, {"key": "orders.csv", "data": "one"}, adls2_config, container)
    run_cache(cache_write, {"key": "orders.csv", "data": "two"}, adls2_config, container,
              overwrite=True)
    assert blob_service.get_blob_client(container, "cache/orders.csv").download_blob() \
        .readall() == b"two"
