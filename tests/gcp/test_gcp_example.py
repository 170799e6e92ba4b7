"""examples/gcp_modes.py runs through the command line in both of its modes: the same
pipeline keeps its DataFrames in local files, or in GCS and BigQuery (the emulators)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from gcp_stand_ins import rows

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gcp_modes.py"


def execute(mode: str, home: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f", str(EXAMPLE),
         "--mode", mode],
        capture_output=True, text=True, env={**os.environ, "HEADWATER_HOME": str(home)})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout + completed.stderr


def run_id_of(output: str) -> str:
    return output.rsplit("· run ", 1)[1].split()[0].strip()


def test_local_mode_pickles_the_dataframes_under_the_instance_storage_folder(tmp_path):
    output = execute("local", tmp_path)
    assert "3 orders in 2 regions, revenue 33.75" in output
    stored = tmp_path / "storage" / run_id_of(output) / "region_revenue" / "result"
    assert pickle.loads(stored.read_bytes())["total"].tolist() == [13.75, 20.0]


def test_gcp_mode_keeps_orders_in_gcs_and_the_report_in_bigquery(tmp_path, storage_client,
                                                                 bucket, bq_client, dataset,
                                                                 monkeypatch):
    monkeypatch.setenv("HEADWATER_GCS_BUCKET", bucket)
    monkeypatch.setenv("HEADWATER_BQ_DATASET", dataset)
    output = execute("gcp", tmp_path)
    assert "3 orders in 2 regions, revenue 33.75" in output
    run_id = run_id_of(output)
    orders = storage_client.bucket(bucket).blob(
        f"examples/storage/{run_id}/fetch_orders/result").download_as_bytes()
    assert len(pickle.loads(orders)) == 3
    assert rows(bq_client, f"SELECT * FROM `{dataset}.region_revenue_result` "
                           "ORDER BY region") == [{"region": "north", "total": 13.75},
                                                  {"region": "south", "total": 20.0}]
    assert not (tmp_path / "storage" / run_id / "region_revenue").exists()
