"""``headwater notebook create``, kernel selection, the plugin's registrations, and the
example pipeline whose middle solid is a notebook, run through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from notebook_files import NOTEBOOKS_ENV, notebook, write_notebook

from headwater import (
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    reconstructable,
)
from headwater.cli import cli
from headwater.instance import instance_for_test
from headwater.plugins import get_plugin_manager
from headwater_notebook import define_notebook_solid

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FS_MODE = ModeDefinition(resource_defs={"io_manager": fs_io_manager})


def invoke(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def scaffolded_pipeline():
    scaffolded = define_notebook_solid("scaffolded", notebook("scaffolded.ipynb"),
                                       output_defs=[])

    @pipeline(mode_defs=[FS_MODE])
    def scaffolded_pipeline():
        scaffolded()

    return scaffolded_pipeline


def other_kernel_pipeline():
    which_kernel = define_notebook_solid("which_kernel", notebook("which_kernel.ipynb"),
                                         output_defs=[OutputDefinition(str)],
                                         kernel_name="headwater-test-kernel")

    @pipeline(mode_defs=[FS_MODE])
    def other_kernel_pipeline():
        which_kernel()

    return other_kernel_pipeline


@pytest.fixture
def other_kernel(tmp_path, monkeypatch):
    """A kernelspec named headwater-test-kernel, found through JUPYTER_PATH: this
    interpreter, with an environment variable that says which kernelspec started it."""
    from ipykernel.kernelspec import get_kernel_dict

    spec_dir = tmp_path / "jupyter" / "kernels" / "headwater-test-kernel"
    spec_dir.mkdir(parents=True)
    spec = {**get_kernel_dict(), "display_name": "Headwater test kernel",
            "env": {"STARTED_BY_KERNELSPEC": "headwater-test-kernel"}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))


def test_create_writes_a_notebook_with_a_tagged_parameters_cell(tmp_path):
    result = invoke("notebook", "create", tmp_path / "clean")
    assert result.exit_code == 0, result.output
    document = nbformat.read(tmp_path / "clean.ipynb", as_version=4)
    assert [cell.metadata.get("tags") for cell in document.cells].count(["parameters"]) == 1
    assert document.metadata.kernelspec.name == "python3"


def test_a_created_notebook_runs_as_a_solid_as_it_is(notebooks_dir):
    assert invoke("notebook", "create", notebook("scaffolded")).exit_code == 0
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(scaffolded_pipeline), instance=instance)
        lines = [entry.user_message for entry in instance.all_logs(result.run_id)
                 if not entry.is_headwater_event]
    assert "started" in lines


def test_create_refuses_to_overwrite_a_notebook(tmp_path):
    (tmp_path / "clean.ipynb").write_text("{}")
    result = invoke("notebook", "create", tmp_path / "clean.ipynb")
    assert result.exit_code == 2
    assert "exists; pass --force to overwrite it" in result.output
    assert (tmp_path / "clean.ipynb").read_text() == "{}"


def test_create_with_force_overwrites_a_notebook(tmp_path):
    (tmp_path / "clean.ipynb").write_text("{}")
    assert invoke("notebook", "create", tmp_path / "clean", "--force").exit_code == 0
    assert nbformat.read(tmp_path / "clean.ipynb", as_version=4).cells


def test_create_records_the_kernel_it_is_given(tmp_path, other_kernel):
    invoke("notebook", "create", tmp_path / "clean", "--kernel", "headwater-test-kernel")
    kernelspec = nbformat.read(tmp_path / "clean.ipynb", as_version=4).metadata.kernelspec
    assert (kernelspec.name, kernelspec.display_name) == ("headwater-test-kernel",
                                                          "Headwater test kernel")


def test_create_with_a_kernel_that_is_not_installed_says_how_to_install_it(tmp_path):
    result = invoke("notebook", "create", tmp_path / "clean", "--kernel", "no-such-kernel")
    assert result.exit_code == 2
    assert "python -m ipykernel install --user --name no-such-kernel" in result.output
    assert not (tmp_path / "clean.ipynb").exists()


def test_a_notebook_solid_runs_in_the_kernel_it_names(notebooks_dir, other_kernel):
    write_notebook("which_kernel.ipynb",
                   "import os\nimport headwater_notebook as hn\n"
                   "hn.yield_result(os.environ.get('STARTED_BY_KERNELSPEC', 'python3'))")
    result = execute_pipeline(reconstructable(other_kernel_pipeline))
    assert result.result_for_solid("which_kernel").output_value() == "headwater-test-kernel"


def test_the_plugin_registers_the_notebook_solid_factory():
    assert get_plugin_manager().registry.solid_factories["notebook"] is define_notebook_solid


def test_the_example_pipeline_runs_its_notebook_solid_through_the_command_line(tmp_path):
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"))
    env.pop(NOTEBOOKS_ENV, None)
    completed = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f",
         str(EXAMPLES / "notebook_pipeline.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "    clean: Cleaning 4 orders (minimum amount 1.0)." in completed.stdout
    assert "    summarize: 3 orders, 81.75 in total." in completed.stdout
    saved = list((tmp_path / "home" / "storage" / "notebooks").glob("*/clean.ipynb"))
    assert len(saved) == 1
