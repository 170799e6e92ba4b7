"""examples/scheduled_repository.py: a daily partitioned schedule and a file sensor, loaded
through examples/workspace.yaml, as its docstring says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from daemon_testing import at, queued_instance, runs_tagged

from headwater import build_sensor_context
from headwater.cli import cli
from headwater.daemon.jobs import start_job
from headwater.daemon.sensors import SensorDuty
from headwater.execution.run import PipelineRunStatus
from headwater.instance import Instance
from headwater.instance.jobs import JobType
from headwater.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
WORKSPACE = EXAMPLES / "workspace.yaml"


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("HEADWATER_EXAMPLE_INBOX", str(folder))
    return folder


@pytest.fixture
def workspace():
    return Workspace.from_file(str(WORKSPACE))


def invoke(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def test_the_repository_loads_through_the_workspace(workspace):
    (repository,) = workspace.repositories()
    definition = repository.definition
    assert (repository.location_name, repository.name) == ("scheduled_repository.py",
                                                           "scheduled_examples")
    assert [s.name for s in definition.schedule_defs] == ["daily_sales_schedule"]
    assert [s.name for s in definition.sensor_defs] == ["new_files_sensor"]
    assert [p.name for p in definition.partition_set_defs] == [
        "daily_sales_schedule_partitions"]


def test_the_sensor_asks_for_one_run_per_file_keyed_by_its_name(workspace, inbox):
    (inbox / "orders.csv").write_text("a\nb\n")
    (inbox / "returns.csv").write_text("c\n")
    _, sensor = workspace.find_sensor("new_files_sensor")
    data = sensor.evaluate_tick(build_sensor_context())
    assert [request.run_key for request in data.run_requests] == ["orders.csv", "returns.csv"]
    assert data.run_requests[0].run_config == {
        "solids": {"count_lines": {"config": {"path": str(inbox / "orders.csv")}}}}


def test_the_daemon_launches_one_run_per_new_file(workspace, inbox):
    with queued_instance() as instance:
        start_job(instance, JobType.SENSOR, "scheduled_examples", "new_files_sensor",
                  at("2026-05-01T10:00:00Z"))
        duty = SensorDuty(workspace)
        (inbox / "orders.csv").write_text("a\n")
        duty.run_iteration(instance, at("2026-05-01T10:00:00Z"))
        duty.run_iteration(instance, at("2026-05-01T10:00:05Z"))
        (inbox / "returns.csv").write_text("b\n")
        duty.run_iteration(instance, at("2026-05-01T10:00:10Z"))
        runs = runs_tagged(instance, "headwater/sensor_name", "new_files_sensor")
        assert [run.tags["headwater/run_key"] for run in runs] == ["orders.csv", "returns.csv"]


def test_the_sensor_skips_while_the_inbox_is_empty(workspace, inbox):
    _, sensor = workspace.find_sensor("new_files_sensor")
    assert sensor.evaluate_tick(build_sensor_context()).skip_message == f"No file in {inbox}."


def test_previews_show_the_schedules_partition_and_the_sensors_files(inbox):
    (inbox / "orders.csv").write_text("a\n")
    schedule = invoke("schedule", "preview", "daily_sales_schedule", "-w", WORKSPACE,
                      "--after", "2026-04-02T12:00", "--ticks", "1")
    assert schedule.exit_code == 0, schedule.output
    assert "2026-04-03 02:00:00 CEST" in schedule.stdout
    assert "headwater/partition=2026-04-02" in schedule.stdout
    assert "date: '2026-04-02'" in schedule.stdout
    sensor = invoke("sensor", "preview", "new_files_sensor", "-w", WORKSPACE)
    assert sensor.exit_code == 0, sensor.output
    assert "Run request 1: run key orders.csv" in sensor.stdout


def test_a_day_runs_by_hand_as_the_docstring_says():
    result = invoke("pipeline", "execute", "-f", EXAMPLES / "scheduled_repository.py", "-p",
                    "daily_sales")
    assert result.exit_code == 0, result.output
    assert "Sales total:" in result.stdout


def test_the_daemon_process_runs_a_dropped_file_to_success(inbox, headwater_home):
    (inbox / "orders.csv").write_text("first\nsecond\n")
    assert invoke("sensor", "start", "new_files_sensor", "-w", WORKSPACE).exit_code == 0
    daemon = subprocess.Popen([sys.executable, "-m", "headwater", "daemon", "run", "-w",
                               str(WORKSPACE)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 60
        with Instance.get() as instance:
            while not any(run.status is PipelineRunStatus.SUCCESS
                          for run in instance.get_runs()):
                assert daemon.poll() is None, daemon.stdout.read()
                assert time.monotonic() < deadline, "no run of the dropped file succeeded"
                time.sleep(0.2)
            (run,) = instance.get_runs()
            assert run.tags["headwater/run_key"] == "orders.csv"
            assert any("has 2 lines" in entry.user_message
                       for entry in instance.all_logs(run.run_id))
        daemon.send_signal(signal.SIGTERM)
        daemon.communicate(timeout=30)
    finally:
        daemon.kill()
    assert daemon.returncode == 0
