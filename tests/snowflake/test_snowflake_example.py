"""examples/snowflake_report.py runs through the command line in both of its modes: the
same pipeline writes its tables to a SQLite file or to Snowflake.

The snowflake mode writes with write_pandas, which only fakesnow's patch mode supports:
the command line runs in a process that enters patch mode first, with its databases kept
in files the test reads afterwards."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import fakesnow
import snowflake.connector

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "snowflake_report.py"
REPORT = [("south", 20.0, 1, 0.4372), ("north", 13.75, 2, 0.3005), ("east", 12.0, 1, 0.2623)]
PATCHED_CLI = ("import sys, fakesnow\n"
               "from headwater.cli import cli\n"
               "with fakesnow.patch(db_path=sys.argv[1]):\n"
               "    cli(sys.argv[2:], prog_name='headwater')\n")


def execute(command: list[str], mode: str, cwd: Path, **env: str) -> str:
    completed = subprocess.run(
        [*command, "pipeline", "execute", "-f", str(EXAMPLE), "--mode", mode],
        capture_output=True, text=True, cwd=cwd, env={**os.environ, **env}, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def test_local_mode_writes_the_report_to_the_sqlite_file(tmp_path):
    database = tmp_path / "warehouse.sqlite"
    output = execute([sys.executable, "-m", "headwater"], "local", tmp_path,
                     REPORT_SQLITE_PATH=str(database))
    assert "Top region: south (43.7%)" in output
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT * FROM region_report").fetchall() == REPORT


def test_snowflake_mode_writes_the_report_to_the_schema_named_by_the_environment(tmp_path):
    databases = tmp_path / "fakesnow"
    databases.mkdir()
    output = execute([sys.executable, "-c", PATCHED_CLI, str(databases)], "snowflake",
                     tmp_path, SNOWFLAKE_ACCOUNT="myorg-acct", SNOWFLAKE_USER="reporter",
                     SNOWFLAKE_PASSWORD="not-checked", SNOWFLAKE_DATABASE="analytics",
                     SNOWFLAKE_SCHEMA="reports", SNOWFLAKE_WAREHOUSE="reporting")
    assert "Top region: south (43.7%)" in output
    assert not (tmp_path / "report.sqlite").exists()
    with fakesnow.patch(db_path=databases):
        connection = snowflake.connector.connect(database="analytics", schema="reports")
        rows = connection.cursor().execute(
            "SELECT region, revenue, orders, share FROM region_report").fetchall()
    assert rows == REPORT
