"""examples/azure_modes.py runs through the command line in both of its modes: the same
pipeline stores its outputs in local files or in ADLS Gen2 (Azurite)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from azure_stand_ins import connection_string

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "azure_modes.py"


def execute(mode: str, home: Path, **env: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f", str(EXAMPLE),
         "--mode", mode],
        capture_output=True, text=True, env={**os.environ, "HEADWATER_HOME": str(home), **env})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def run_id_of(output: str) -> str:
    return output.rsplit("· run ", 1)[1].strip()


def test_local_mode_pickles_outputs_under_the_instance_storage_folder(tmp_path):
    output = execute("local", tmp_path)
    assert "revenue: 3 orders, revenue 33.75" in output
    stored = tmp_path / "storage" / run_id_of(output) / "revenue" / "result"
    assert pickle.loads(stored.read_bytes()) == 33.75


def test_azure_mode_pickles_outputs_to_the_file_system_named_by_the_environment(
        tmp_path, azurite, blob_service, container):
    output = execute("azure", tmp_path, HEADWATER_ADLS2_FILE_SYSTEM=container,
                     AZURE_STORAGE_CONNECTION_STRING=connection_string(azurite),
                     HEADWATER_ADLS2_USE_BLOB_API="1")
    assert "revenue: 3 orders, revenue 33.75" in output
    blob = blob_service.get_blob_client(container,
                                        f"examples/storage/{run_id_of(output)}/revenue/result")
    assert pickle.loads(blob.download_blob().readall()) == 33.75
    assert not (tmp_path / "storage" / run_id_of(output) / "revenue").exists()
