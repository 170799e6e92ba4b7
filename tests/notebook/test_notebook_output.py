"""``output_notebook``: the executed notebook as an output of its solid — the content of its
``.ipynb`` file, stored by the output's IO manager wherever that manager puts outputs, and
an input of downstream solids — while the local copy is kept and recorded. One run of the
pipeline serves the tests that need one."""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from notebook_files import notebook, parameters, write_notebook

from headwater import (
    AssetMaterialization,
    Field,
    HeadwaterInvalidDefinitionError,
    InputDefinition,
    IOManager,
    MetadataValue,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    io_manager,
    pipeline,
    reconstructable,
    solid,
)
from headwater.instance import instance_for_test
from headwater_notebook import define_notebook_solid


class IpynbFilesIOManager(IOManager):
    """Writes each output, bytes, to ``<base_dir>/<run_id>/<step_key>/<output>.ipynb`` and
    records it as an asset; reads it back for downstream inputs."""

    def __init__(self, base_dir: str) -> None:
        self.base_dir = base_dir

    def path_for(self, context) -> str:
        return os.path.join(self.base_dir, context.run_id, context.step_key,
                            f"{context.name}.ipynb")

    def handle_output(self, context, obj):
        path = self.path_for(context)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(obj)
        return AssetMaterialization(["published_notebooks", context.step_key],
                                    metadata={"path": MetadataValue.path(path)})

    def load_input(self, context):
        with open(self.path_for(context.upstream_output), "rb") as file:
            return file.read()


@io_manager(config_schema={"base_dir": Field(str)})
def ipynb_files_io_manager(init_context):
    return IpynbFilesIOManager(init_context.resource_config["base_dir"])


@solid
def emit_number() -> int:
    return 41


@solid
def printed_lines(executed: bytes) -> list:
    """What the cells of an executed notebook printed."""
    cells = nbformat.reads(executed.decode("utf-8"), as_version=4).cells
    return [output["text"] for cell in cells for output in cell.get("outputs", [])
            if output.get("name") == "stdout"]


def report_pipeline():
    report = define_notebook_solid(
        "report", notebook("report.ipynb"), input_defs=[InputDefinition("number", int)],
        output_defs=[OutputDefinition(int)], output_notebook="notebook",
        output_notebook_io_manager_key="notebook_store")

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "io_manager": fs_io_manager, "notebook_store": ipynb_files_io_manager})])
    def report_pipeline():
        _total, executed = report(emit_number())
        printed_lines(executed)

    return report_pipeline


@pytest.fixture(scope="module")
def run(notebooks_dir, tmp_path_factory):
    """One run: emit_number (41) -> report (the notebook prints its total) -> printed_lines,
    the executed notebook stored by the "notebook_store" IO manager."""
    write_notebook(
        "report.ipynb",
        "import headwater_notebook as hn",
        parameters("number = 0"),
        'print(f"the total is {number + 1}")\nhn.yield_result(number + 1)')
    store = tmp_path_factory.mktemp("published")
    with instance_for_test() as instance:
        result = execute_pipeline(
            reconstructable(report_pipeline), instance=instance,
            run_config={"resources": {"notebook_store": {"config": {"base_dir": str(store)}}}})
        yield {"result": result, "store": store}


def _executed(run) -> bytes:
    return run["result"].result_for_solid("report").output_value("notebook")


def _materialization(run, *asset_key):
    (materialization,) = [m for m in run["result"].result_for_solid("report")
                          .materializations_during_compute if m.asset_key.path == asset_key]
    return materialization


def test_the_output_notebook_is_the_executed_notebooks_content_with_its_cell_outputs(run):
    assert run["result"].success
    cells = nbformat.reads(_executed(run).decode("utf-8"), as_version=4).cells
    printed = [output.get("text") for cell in cells for output in cell.get("outputs", [])]
    assert "the total is 42\n" in printed


def test_the_output_notebook_flows_to_a_downstream_solid(run):
    assert run["result"].result_for_solid("printed_lines").output_value() == \
        ["the total is 42\n"]


def test_the_output_notebook_is_stored_where_its_io_manager_puts_outputs(run):
    stored = run["store"] / run["result"].run_id / "report" / "notebook.ipynb"
    assert stored.read_bytes() == _executed(run)


def test_an_asset_materialization_returned_by_the_notebooks_io_manager_is_recorded(run):
    stored = run["store"] / run["result"].run_id / "report" / "notebook.ipynb"
    published = _materialization(run, "published_notebooks", "report")
    assert published.metadata["path"].value == str(stored)


def test_the_local_copy_is_kept_and_recorded_with_the_output_and_io_manager_storing_it(run):
    saved = _materialization(run, "notebooks", "report_pipeline", "report")
    with open(saved.metadata["path"].value, "rb") as file:
        assert file.read() == _executed(run)
    assert saved.metadata["output"].value == "notebook"
    assert saved.metadata["io_manager"].value == "notebook_store"


def test_the_output_notebook_is_bytes_stored_by_the_default_io_manager_unless_told():
    solid_def = define_notebook_solid("clean", "clean.ipynb", output_notebook="notebook")
    output_def = solid_def.output_dict["notebook"]
    assert (output_def.headwater_type.display_name, output_def.io_manager_key) == \
        ("bytes", "io_manager")


def test_an_io_manager_key_for_the_output_notebook_needs_output_notebook():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=re.escape(
            'output_notebook_io_manager_key of notebook solid "clean" names the IO manager of '
            "the executed notebook's output, but the solid has no such output. Pass "
            'output_notebook="..."')):
        define_notebook_solid("clean", "clean.ipynb", output_notebook_io_manager_key="s3")
