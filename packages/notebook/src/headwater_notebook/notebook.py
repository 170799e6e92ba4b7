"""The notebook documents: the cells Headwater injects to run one as a step, and a new one.

A step runs a copy of the solid's notebook with three cells added:

* a setup cell first, which rebuilds the step's context in the kernel, so that
  ``get_context()`` returns it in every cell, the ``parameters`` cell included;
* an ``injected-parameters`` cell right after the cell tagged ``parameters`` (papermill's
  convention; at the top when there is none), which assigns each input's value to a
  variable of the input's name, overriding the defaults the author set there;
* a teardown cell last, which tears the step's resources down.

The file itself is never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import nbformat

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
SETUP_TAG = "headwater-setup"
TEARDOWN_TAG = "headwater-teardown"
_ADDED_TAGS = {INJECTED_TAG, SETUP_TAG, TEARDOWN_TAG}


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _cell(source: str, tag: str) -> Any:
    return nbformat.v4.new_code_cell(source, metadata={"tags": [tag]})


def read_notebook(path: str) -> Any:
    """The notebook at ``path``, as nbformat version 4."""
    return nbformat.read(path, as_version=4)


def notebook_for_step(notebook: Any, handoff_path: str, input_names: Sequence[str]) -> Any:
    """A copy of ``notebook`` with the setup, injected-parameters and teardown cells added.

    Cells a previous run added (a saved output notebook used as input) are dropped first.
    """
    cells = [cell for cell in notebook.cells if not _ADDED_TAGS & set(_tags(cell))]
    setup = _cell("# Added by Headwater: this step's context (config, resources, log).\n"
                  "import headwater_notebook.kernel\n"
                  f"headwater_notebook.kernel.start_step({handoff_path!r})", SETUP_TAG)
    injected = _cell("\n".join(["# Parameters", *(
        f"{name} = headwater_notebook.kernel.load_input({name!r})" for name in input_names)]),
        INJECTED_TAG)
    teardown = _cell("# Added by Headwater: tear down this step's resources.\n"
                     "headwater_notebook.kernel.finish_step()", TEARDOWN_TAG)
    parameters_at = next((index for index, cell in enumerate(cells)
                          if PARAMETERS_TAG in _tags(cell)), None)
    if parameters_at is None:
        body = [injected, *cells]
    else:
        body = [*cells[:parameters_at + 1], injected, *cells[parameters_at + 1:]]
    copy = nbformat.from_dict(dict(notebook))
    copy.cells = [setup, *body, teardown]
    return copy


def new_notebook(name: str, kernel_name: str, display_name: str) -> Any:
    """A notebook ready to be a solid: it imports headwater_notebook, has a cell tagged
    ``parameters`` for the inputs' defaults, and gets its context."""
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {name}\n\nRun by Headwater as a solid (`define_notebook_solid`). The cell "
            "tagged `parameters` holds defaults for the solid's inputs, for running the "
            "notebook by hand; in a run, Headwater injects the inputs' values after it."),
        nbformat.v4.new_code_cell("import headwater_notebook as hn"),
        nbformat.v4.new_code_cell("# Defaults for the solid's inputs, e.g. rows = [1, 2, 3]",
                                  metadata={"tags": [PARAMETERS_TAG]}),
        nbformat.v4.new_code_cell(
            "# In a run: the solid's context. By hand: a development context built from\n"
            "# these arguments (solid_config=..., mode_def=..., run_config=...).\n"
            "context = hn.get_context(solid_config={})\n"
            'context.log.info("started")'),
        nbformat.v4.new_code_cell("# Send outputs back to the pipeline:\n"
                                  "# hn.yield_result(value, output_name=\"result\")"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": kernel_name, "display_name": display_name,
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook
