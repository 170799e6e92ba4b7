"""examples/airflow end to end: the scaffolded DAG file run by `airflow dags test` (a real
Airflow CLI process with an Airflow home of its own), recorded as one Headwater run; and the
Airflow DAG of the example converted and run by `headwater pipeline execute`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from airflow_support import AIRFLOW_ENV, airflow_command
from click.testing import CliRunner

from headwater import Instance, PipelineRunStatus
from headwater.cli import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "airflow"
HEADWATER = str(Path(sys.executable).parent / "headwater")


def test_scaffold_writes_the_example_dag_file(tmp_path):
    result = CliRunner().invoke(cli, [
        "airflow", "scaffold", "-f", str(EXAMPLE / "daily_totals.py"), "-p", "daily_totals",
        "-c", str(EXAMPLE / "daily_totals.yaml"), "-o", str(EXAMPLE.parent / "airflow")],
        catch_exceptions=False, env={"HEADWATER_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    written = EXAMPLE / "headwater_daily_totals.py"
    assert "Wrote the Airflow DAG file" in result.output
    assert 'pipeline_name=\'daily_totals\'' in written.read_text()
    assert subprocess.run(["git", "diff", "--exit-code", str(written)],
                          capture_output=True).returncode == 0


def test_scaffold_reports_invalid_config_before_writing(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("solids:\n  extract_orders:\n    config:\n      day: 5\n")
    result = CliRunner().invoke(cli, [
        "airflow", "scaffold", "-f", str(EXAMPLE / "daily_totals.py"), "-p", "daily_totals",
        "-c", str(config), "-o", str(tmp_path)], env={"HEADWATER_HOME": str(tmp_path)})
    assert result.exit_code == 2
    assert "solids.extract_orders.config.day" in result.stderr
    assert not list(tmp_path.glob("*.py"))


def test_example_dag_runs_under_airflow_dags_test_as_one_headwater_run(airflow_db, tmp_path):
    home = tmp_path / "airflow"
    dags = home / "dags"
    dags.mkdir(parents=True)
    shutil.copyfile(airflow_db, home / "airflow.db")
    for name in ("daily_totals.py", "headwater_daily_totals.py"):
        shutil.copyfile(EXAMPLE / name, dags / name)
    headwater_home = tmp_path / "headwater"
    env = {**AIRFLOW_ENV, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
           "HEADWATER_HOME": str(headwater_home)}
    result = airflow_command("dags", "test", "headwater_daily_totals", "2024-01-02", env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    instance = Instance.from_config(str(headwater_home))
    try:
        (run,) = instance.get_runs()
        assert run.status is PipelineRunStatus.SUCCESS
        assert run.run_config["solids"]["extract_orders"]["config"]["day"] == "2024-01-02"
        succeeded = {e.step_key for e in instance.all_logs(run.run_id)
                     if e.headwater_event is not None
                     and e.headwater_event.event_type_value == "STEP_SUCCESS"}
        assert succeeded == {"extract_orders", "total_amount", "count_orders", "report"}
    finally:
        instance.dispose()
    logs = subprocess.run([HEADWATER, "run", "logs", run.run_id], capture_output=True,
                          text=True, env={**os.environ, "HEADWATER_HOME": str(headwater_home)})
    assert "3 orders, 50.00 in total" in logs.stdout


@pytest.mark.usefixtures("airflow_db")
def test_converted_airflow_dag_runs_through_the_cli(tmp_path):
    result = subprocess.run(
        [HEADWATER, "pipeline", "execute", "-f", str(EXAMPLE / "migrating.py"),
         "-p", "orders_export", "--tags", '{"airflow/logical_date": "2024-01-02T00:00:00+00:00"}'],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "HEADWATER_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "checking the csv export of 2024-01-02" in output
