"""Every snippet of docs/integrations/airflow.md runs, with the tests' Airflow settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from airflow_support import AIRFLOW_ENV

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "airflow"


@pytest.mark.usefixtures("airflow_db")
@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("*.py")))
def test_snippet_runs_and_exits_zero(snippet, tmp_path):
    env = dict(os.environ, **AIRFLOW_ENV, HEADWATER_HOME=str(tmp_path / "home"))
    completed = subprocess.run([sys.executable, str(SNIPPETS / snippet)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr[-4000:]
