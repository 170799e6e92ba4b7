"""``headwater schedule``: list, start, stop, preview, logs and wipe."""

from __future__ import annotations

import datetime as dt

import pytest

from headwater.daemon.jobs import start_job
from headwater.daemon.scheduler import SchedulerDuty
from headwater.instance import Instance
from headwater.instance.jobs import JobType
from headwater.workspace import Workspace

REPOSITORY = """
from headwater import pipeline, repository, schedule, solid

@solid(config_schema={"day": str})
def load(context):
    context.log.info(context.solid_config["day"])

@pipeline
def orders():
    load()

@schedule("0 3 * * *", pipeline_name="orders", execution_timezone="Europe/Berlin")
def nightly(context):
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return {"solids": {"load": {"config": {"day": day}}}}

@schedule("0 * * * *", pipeline_name="orders")
def broken(context):
    raise KeyError("no such table")

@repository
def shop():
    return [orders, nightly, broken]
"""


@pytest.fixture
def repo(write, monkeypatch):
    path = write("shop.py", REPOSITORY)
    monkeypatch.chdir(path.parent)
    return path


def test_list_shows_each_schedule_with_its_cron_zone_and_status(invoke, repo):
    result = invoke("schedule", "list", "-f", repo)
    assert result.exit_code == 0, result.output
    [nightly] = [line for line in result.stdout.splitlines() if line.startswith("nightly")]
    assert "shop" in nightly and "0 3 * * * (Europe/Berlin)" in nightly
    assert "STOPPED" in nightly


def test_a_started_schedule_is_running_with_its_next_tick_until_stopped(invoke, repo):
    started = invoke("schedule", "start", "nightly", "-f", repo)
    assert started.exit_code == 0, started.output
    assert 'Started schedule "nightly" of repository "shop"; next tick at ' in started.stdout
    assert "No daemon seems to be running" in started.stderr
    listed = invoke("schedule", "list", "-f", repo, "--running").stdout
    assert "RUNNING" in listed and "03:00:00 CE" in listed and "broken" not in listed
    assert invoke("schedule", "stop", "nightly", "-f", repo).stdout == \
        'Stopped schedule "nightly".\n'
    assert "No running schedules." in invoke("schedule", "list", "-f", repo,
                                             "--running").stdout


def test_start_all_starts_every_schedule(invoke, repo):
    assert invoke("schedule", "start", "--start-all", "-f", repo).exit_code == 0
    assert "STOPPED" not in invoke("schedule", "list", "-f", repo).stdout


def test_starting_an_unknown_schedule_suggests_the_name_meant(invoke, repo):
    result = invoke("schedule", "start", "nighty", "-f", repo)
    assert result.exit_code == 2
    assert 'no schedule named "nighty"' in result.stderr
    assert 'Did you mean "nightly"' in result.stderr


def test_start_needs_names_or_start_all(invoke, repo):
    result = invoke("schedule", "start", "-f", repo)
    assert result.exit_code == 2
    assert "Name the schedules, or give --start-all" in result.stderr


def test_preview_shows_the_next_ticks_and_the_run_asked_for_at_the_first(invoke, repo):
    result = invoke("schedule", "preview", "nightly", "-f", repo, "--after",
                    "2026-03-28T12:00", "--ticks", "2")
    assert result.exit_code == 0, result.output
    assert "2026-03-29 03:00:00 CEST" in result.stdout  # the night clocks go forward
    assert "2026-03-30 03:00:00 CEST" in result.stdout
    assert "day: '2026-03-29'" in result.stdout
    assert "headwater/schedule_name=nightly" in result.stdout


def test_preview_of_a_schedule_that_raises_shows_the_traceback_and_exits_1(invoke, repo):
    result = invoke("schedule", "preview", "broken", "-f", repo)
    assert result.exit_code == 1
    assert "KeyError: 'no such table'" in result.stdout
    assert 'raise KeyError("no such table")' in result.stdout


def test_logs_show_the_ticks_and_the_traceback_of_failed_ones(invoke, repo):
    with Instance.get() as instance:
        start = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC).timestamp()
        start_job(instance, JobType.SCHEDULE, "shop", "broken", start)
        SchedulerDuty(Workspace.from_file(str(_workspace_file(repo)))).run_iteration(
            instance, start + 3600)
    result = invoke("schedule", "logs", "broken", "-f", repo, "--traceback")
    assert result.exit_code == 0, result.output
    assert "FAILURE" in result.stdout and "KeyError: 'no such table'" in result.stdout
    assert 'raise KeyError("no such table")' in result.stdout


def test_logs_of_a_schedule_that_never_ticked_say_so(invoke, repo):
    result = invoke("schedule", "logs", "nightly", "-f", repo)
    assert result.stdout == 'Schedule "nightly" has not ticked yet.\n'


def test_wipe_forgets_every_schedule(invoke, repo):
    invoke("schedule", "start", "--start-all", "-f", repo)
    result = invoke("schedule", "wipe", "--force")
    assert result.stdout == "Forgot 2 schedules.\n"
    assert "RUNNING" not in invoke("schedule", "list", "-f", repo).stdout


def _workspace_file(repo):
    path = repo.parent / "workspace.yaml"
    path.write_text(f"load_from:\n  - python_file: {repo.name}\n")
    return path
