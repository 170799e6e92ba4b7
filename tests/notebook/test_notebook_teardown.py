"""A process that ran notebook solids ends without Python reporting leftovers on stderr.

Jupyter's client runs its coroutines in an event loop of the thread papermill runs in. Left
open, that loop (and any task still waiting in it) is destroyed only when the process's
objects are collected, and Python says so on stderr: "unclosed event loop", "Task was
destroyed but it is pending!". Python's development mode (``-X dev``) reports every such
leftover, so the test runs the pipelines in a process of its own, in that mode.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_files import NOTEBOOKS_ENV

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

LEFTOVERS = ("Task was destroyed but it is pending", "unclosed event loop",
             "coroutine was never awaited")

FAILING = """
import nbformat
from headwater import ModeDefinition, execute_pipeline, fs_io_manager, pipeline
from headwater_notebook import define_notebook_solid

document = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('no')")])
document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
nbformat.write(document, "failing.ipynb")

failing = define_notebook_solid("failing", "failing.ipynb")

@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def failing_pipeline():
    failing()

if __name__ == "__main__":
    from headwater import reconstructable
    result = execute_pipeline(reconstructable(failing_pipeline), raise_on_error=False)
    print("succeeded" if result.success else "failed")
"""


def _run_in_dev_mode(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HEADWATER_HOME=str(cwd / "home"))
    env.pop(NOTEBOOKS_ENV, None)
    return subprocess.run([sys.executable, "-X", "dev", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def _leftovers(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if any(text in line for text in LEFTOVERS)]


@pytest.fixture(scope="module")
def succeeded(tmp_path_factory):
    """The example pipeline (a notebook solid between two solids) run by the CLI."""
    cwd = tmp_path_factory.mktemp("succeeded")
    return _run_in_dev_mode(["-m", "headwater", "pipeline", "execute", "-f",
                             str(EXAMPLES / "notebook_pipeline.py")], cwd)


def test_a_run_of_a_notebook_solid_leaves_no_event_loop_or_task_behind(succeeded):
    assert succeeded.returncode == 0, succeeded.stdout + succeeded.stderr
    assert _leftovers(succeeded.stderr) == []


def test_a_failed_notebook_cell_leaves_no_event_loop_or_task_behind(tmp_path):
    (tmp_path / "failing_pipeline.py").write_text(FAILING)
    completed = _run_in_dev_mode(["failing_pipeline.py"], tmp_path)
    assert completed.stdout.strip().splitlines()[-1] == "failed", completed.stderr
    assert "raised ValueError: no" in completed.stdout + completed.stderr
    assert _leftovers(completed.stderr) == []
