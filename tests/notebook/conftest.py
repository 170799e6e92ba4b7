"""Real notebooks, run by papermill in a real IPython kernel of this interpreter.

Jupyter keeps the kernels' connection files and sockets in its runtime directory: the tests
use one of their own, so nothing lands in the home of whoever runs them.
"""

from __future__ import annotations

import shutil
import tempfile

import pytest
from notebook_files import NOTEBOOKS_ENV


@pytest.fixture(autouse=True, scope="session")
def jupyter_runtime_dir():
    # Short on purpose: the kernels' Unix sockets live here, and socket paths are limited
    # to about a hundred characters.
    directory = tempfile.mkdtemp(prefix="hw-jupyter-")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_RUNTIME_DIR", directory)
        yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def notebooks_dir(tmp_path_factory):
    """The folder the module's pipelines find their notebooks in (see notebook_files)."""
    directory = tmp_path_factory.mktemp("notebooks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(NOTEBOOKS_ENV, str(directory))
        yield directory
