"""Every snippet of docs/integrations/notebook.md runs, its notebooks in a real kernel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "notebook"


@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("*.py")))
def test_snippet_runs_and_exits_zero(snippet, tmp_path):
    # JUPYTER_RUNTIME_DIR (set for the session by conftest) reaches the snippet's kernels.
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"))
    completed = subprocess.run([sys.executable, str(SNIPPETS / snippet)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-4000:]
