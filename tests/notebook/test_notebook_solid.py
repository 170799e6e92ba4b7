"""A notebook as a solid: config and inputs in, outputs, events and log lines out, the
executed notebook kept. One run of the pipeline serves the tests of this module."""

from __future__ import annotations

import hashlib
import os

import nbformat
import pytest
from notebook_files import notebook, parameters, write_notebook

from headwater import (
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    reconstructable,
    solid,
)
from headwater.instance import instance_for_test
from headwater_notebook import define_notebook_solid

FS_MODE = ModeDefinition(resource_defs={"io_manager": fs_io_manager})


@solid
def emit_number() -> int:
    return 41


@solid
def double(number: int) -> int:
    return number * 2


def add_offset_pipeline():
    add_offset = define_notebook_solid(
        "add_offset", notebook("add_offset.ipynb"),
        input_defs=[InputDefinition("number", int)], output_defs=[OutputDefinition(int)],
        config_schema={"offset": int})

    @pipeline(mode_defs=[FS_MODE])
    def add_offset_pipeline():
        double(add_offset(emit_number()))

    return add_offset_pipeline


@pytest.fixture(scope="module")
def run(notebooks_dir):
    """One run: emit_number (41) -> add_offset (the notebook, offset 1) -> double."""
    path = write_notebook(
        "add_offset.ipynb",
        "import headwater_notebook as hn\nfrom headwater import AssetMaterialization",
        parameters("number = 0"),
        "context = hn.get_context()\n"
        'context.log.info(f"adding {context.solid_config[\'offset\']} to {number}")\n'
        'print("the kernel says hello")',
        'hn.yield_event(AssetMaterialization("added_numbers", metadata={"count": 1}))\n'
        "hn.yield_result(number + context.solid_config['offset'])")
    with open(path, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(add_offset_pipeline),
                                  run_config={"solids": {"add_offset": {"config": {"offset": 1}}}},
                                  instance=instance)
        yield {"result": result, "instance": instance, "path": path, "digest": digest}


def _materializations(result, solid_name):
    return result.result_for_solid(solid_name).materializations_during_compute


def _saved_notebook(run):
    (materialization,) = [m for m in _materializations(run["result"], "add_offset")
                          if m.asset_key.path[0] == "notebooks"]
    return materialization.metadata["path"].value


def test_config_and_input_reach_the_notebook_and_its_result_flows_downstream(run):
    assert run["result"].success
    assert run["result"].result_for_solid("double").output_value() == (41 + 1) * 2


def test_an_asset_materialization_yielded_in_the_notebook_is_recorded_for_the_step(run):
    (added,) = [m for m in _materializations(run["result"], "add_offset")
                if m.asset_key.path == ("added_numbers",)]
    assert added.metadata["count"].value == 1


def test_log_lines_written_in_the_notebook_land_in_the_run_event_log_under_the_step(run):
    lines = [(entry.step_key, entry.user_message)
             for entry in run["instance"].all_logs(run["result"].run_id)
             if not entry.is_headwater_event]
    assert ("add_offset", "adding 1 to 41") in lines


def test_the_executed_notebook_is_saved_in_the_instance_storage_and_recorded_as_an_asset(run):
    path = _saved_notebook(run)
    assert path == os.path.join(run["instance"].storage_directory(), "notebooks",
                                run["result"].run_id, "add_offset.ipynb")
    outputs = [output.get("text", "") for cell in nbformat.read(path, as_version=4).cells
               for output in cell.get("outputs", [])]
    assert "the kernel says hello\n" in outputs


def test_input_values_are_loaded_in_the_kernel_not_written_into_the_notebook(run):
    cells = nbformat.read(_saved_notebook(run), as_version=4).cells
    (injected,) = [cell for cell in cells if "injected-parameters" in cell.metadata["tags"]]
    assert injected.source == ("# Parameters\n"
                               "number = headwater_notebook.kernel.load_input('number')")
    assert "41" not in "".join(cell.source for cell in cells)


def test_the_injected_parameters_follow_the_parameters_cell(run):
    tags = [cell.metadata["tags"] for cell in
            nbformat.read(_saved_notebook(run), as_version=4).cells]
    assert tags.index(["injected-parameters"]) == tags.index(["parameters"]) + 1


def test_the_solids_notebook_file_is_left_unchanged(run):
    with open(run["path"], "rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == run["digest"]


def test_a_notebook_solid_is_tagged_with_its_notebook_path_and_kind(run):
    solid_def = run["result"].pipeline_def.solid_named("add_offset").definition
    assert solid_def.tags == {"notebook_path": run["path"], "kind": "ipynb"}
