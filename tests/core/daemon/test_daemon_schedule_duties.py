"""The daemon runs the scheduler, the sensors and the backfills for the code it is given,
and ``headwater daemon status`` shows them."""

from __future__ import annotations

import textwrap

from click.testing import CliRunner
from daemon_testing import load_workspace

from headwater.cli import cli
from headwater.daemon import required_duties
from headwater.instance import Instance
from headwater.instance.jobs import JobType, TickStatus, job_origin_id

SENSOR = """
from headwater import RunRequest, pipeline, repository, sensor, solid

@solid
def noop():
    return None

@pipeline
def noop_pipeline():
    noop()

@sensor(pipeline_name="noop_pipeline")
def always(context):
    return RunRequest(run_key="only")

@repository
def repo():
    return [noop_pipeline, always]
"""


def invoke(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def test_given_a_workspace_the_daemon_runs_the_scheduler_sensors_and_backfills(tmp_path):
    with Instance.get() as instance:
        names = [duty.name for duty in required_duties(instance, load_workspace(tmp_path,
                                                                                SENSOR))]
        assert names == ["run_monitor", "scheduler", "sensors", "backfills"]
        assert [duty.name for duty in required_duties(instance)] == ["run_monitor"]


def test_daemon_run_once_with_a_workspace_evaluates_its_running_sensors(tmp_path,
                                                                       monkeypatch):
    (tmp_path / "repo.py").write_text(textwrap.dedent(SENSOR))
    (tmp_path / "workspace.yaml").write_text("load_from:\n  - python_file: repo.py\n")
    (tmp_path / "headwater.yaml").write_text("run_coordinator: queued\n")
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert invoke("sensor", "start", "always").exit_code == 0
    result = invoke("daemon", "run", "--once")
    assert result.exit_code == 0, result.output
    with Instance.get() as instance:
        (record,) = instance.get_job_ticks(job_origin_id(JobType.SENSOR, "repo", "always"))
        assert record.tick.status is TickStatus.SUCCESS
        assert [run.status.value for run in instance.get_runs()] == ["QUEUED"]


def test_daemon_status_shows_the_schedule_duties_before_they_ever_ran():
    lines = invoke("daemon", "status").stdout.splitlines()
    for duty in ("scheduler", "sensors", "backfills"):
        [row] = [line for line in lines if line.startswith(duty)]
        assert "not running" in row


def test_a_location_that_does_not_load_leaves_the_daemon_running_the_others(tmp_path,
                                                                            monkeypatch):
    (tmp_path / "repo.py").write_text(textwrap.dedent(SENSOR))
    (tmp_path / "broken.py").write_text("raise RuntimeError('half-written code')\n")
    (tmp_path / "workspace.yaml").write_text(
        "load_from:\n  - python_file: repo.py\n  - python_file: broken.py\n")
    (tmp_path / "headwater.yaml").write_text("run_coordinator: queued\n")
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert invoke("sensor", "start", "always", "-f", "repo.py").exit_code == 0
    result = invoke("daemon", "run", "--once")
    assert result.exit_code == 0, result.output
    with Instance.get() as instance:
        assert [run.status.value for run in instance.get_runs()] == ["QUEUED"]
