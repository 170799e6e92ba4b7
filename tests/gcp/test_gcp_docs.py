"""Every snippet of docs/integrations/gcp.md runs, against the GCS and BigQuery emulators
(found through STORAGE_EMULATOR_HOST and BIGQUERY_EMULATOR_HOST, as the clients would find
them) and the Dataproc REST stand-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "gcp"


@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("*.py")))
def test_snippet_runs_and_exits_zero(snippet, gcs, bq, dataproc, tmp_path):
    _, dataproc_endpoint = dataproc
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"),
               DATAPROC_API_ENDPOINT=dataproc_endpoint)
    completed = subprocess.run([sys.executable, str(SNIPPETS / snippet)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=240)
    assert completed.returncode == 0, completed.stderr[-4000:]
