"""Every snippet of docs/integrations/azure.md runs, against Azurite: the snippets read the
account and its key from the environment, as they would for a real account, and Azurite's
URL from AZURITE_ENDPOINT."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from azure_stand_ins import ACCOUNT, ACCOUNT_KEY

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "azure"


@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("*.py")))
def test_snippet_runs_and_exits_zero(snippet, azurite, tmp_path):
    env = dict(os.environ, AZURE_STORAGE_ACCOUNT=ACCOUNT, AZURE_STORAGE_KEY=ACCOUNT_KEY,
               AZURITE_ENDPOINT=azurite, HEADWATER_HOME=str(tmp_path / "home"))
    completed = subprocess.run([sys.executable, str(SNIPPETS / snippet)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-4000:]
