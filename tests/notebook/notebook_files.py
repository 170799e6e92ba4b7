"""Writing the tests' notebooks, and finding them from pipelines the kernel loads again.

A notebook solid's kernel imports the test module and builds its pipeline once more, so a
pipeline cannot name a notebook in a pytest temporary folder directly: it names it through
an environment variable, which the kernel inherits from the test's process.
"""

from __future__ import annotations

import os

import nbformat

NOTEBOOKS_ENV = "HEADWATER_TEST_NOTEBOOKS"


def notebook(name: str) -> str:
    """The path of the test notebook ``name`` (in the folder of the running test module)."""
    return os.path.join(os.environ[NOTEBOOKS_ENV], name)


def parameters(source: str) -> nbformat.NotebookNode:
    """A code cell tagged ``parameters``."""
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})


def write_notebook(name: str, *cells: str | nbformat.NotebookNode) -> str:
    """Write the notebook ``name``: each cell a code cell's source, or a cell."""
    document = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(cell) if isinstance(cell, str) else cell for cell in cells])
    document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = notebook(name)
    nbformat.write(document, path)
    return path
