"""The sensor duty evaluates each running sensor at its interval: one run per run key ever,
the cursor kept across daemon restarts, skips and errors recorded on the tick."""

from __future__ import annotations

import pytest
from daemon_testing import (
    Crash,
    at,
    crash_after_call,
    load_workspace,
    queued_instance,
    runs_tagged,
)

from headwater.daemon.controller import DaemonController
from headwater.daemon.jobs import start_job, stop_job
from headwater.daemon.sensors import SensorDuty
from headwater.instance import Instance
from headwater.instance.jobs import JobType, TickStatus, job_origin_id

SENSORS = """
import os

from headwater import RunRequest, SkipReason, pipeline, repository, sensor, solid

@solid(config_schema={"path": str})
def ingest(context):
    context.log.info(context.solid_config["path"])

@pipeline
def ingest_pipeline():
    ingest()

@sensor(pipeline_name="ingest_pipeline", minimum_interval_seconds=60)
def inbox(context):
    for name in sorted(os.listdir(os.environ["SENSOR_TEST_INBOX"])):
        yield RunRequest(run_key=name, run_config={"solids": {"ingest": {"config": {"path": name}}}},
                         tags={"source": "inbox"})

@sensor(pipeline_name="ingest_pipeline", minimum_interval_seconds=10)
def counter(context):
    count = int(context.cursor or 0) + 1
    context.update_cursor(str(count))
    return SkipReason(f"evaluation {count}, after run key {context.last_run_key}")

@sensor(pipeline_name="ingest_pipeline")
def flaky(context):
    raise ConnectionError("the bucket does not answer")

@repository
def repo():
    return [ingest_pipeline, inbox, counter, flaky]
"""


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("SENSOR_TEST_INBOX", str(folder))
    return folder


@pytest.fixture
def instance():
    with queued_instance() as instance:
        yield instance


@pytest.fixture
def workspace(tmp_path):
    return load_workspace(tmp_path, SENSORS)


def _start(instance, name, when="2026-05-01T00:00:00Z"):
    start_job(instance, JobType.SENSOR, "repo", name, at(when))


def _ticks(instance, name):
    records = instance.get_job_ticks(job_origin_id(JobType.SENSOR, "repo", name))
    return [record.tick for record in reversed(records)]


def _state(instance, name):
    return instance.get_job_state(job_origin_id(JobType.SENSOR, "repo", name))


def test_a_sensor_is_evaluated_once_per_minimum_interval(instance, workspace, inbox):
    _start(instance, "inbox")
    duty = SensorDuty(workspace)
    for seconds in range(0, 150, 15):
        duty.run_iteration(instance, at("2026-05-01T10:00:00Z") + seconds)
    assert [tick.timestamp - at("2026-05-01T10:00:00Z")
            for tick in _ticks(instance, "inbox")] == [0, 60, 120]


def test_the_duty_sleeps_until_the_next_sensor_is_due(instance, workspace, inbox):
    _start(instance, "inbox")
    _start(instance, "counter")
    clock = [at("2026-05-01T10:00:00Z")]
    duty = SensorDuty(workspace, poll_interval_seconds=30, clock=lambda: clock[0])
    duty.run_iteration(instance, clock[0])
    clock[0] += 4
    assert duty.interval_seconds == pytest.approx(6)


def test_a_run_key_gets_one_run_ever(instance, workspace, inbox):
    _start(instance, "inbox")
    duty = SensorDuty(workspace)
    (inbox / "a.csv").touch()
    (inbox / "b.csv").touch()
    duty.run_iteration(instance, at("2026-05-01T10:00:00Z"))
    duty.run_iteration(instance, at("2026-05-01T10:01:00Z"))
    (inbox / "c.csv").touch()
    duty.run_iteration(instance, at("2026-05-01T10:02:00Z"))
    runs = runs_tagged(instance, "headwater/sensor_name", "inbox")
    assert [run.tags["headwater/run_key"] for run in runs] == ["a.csv", "b.csv", "c.csv"]
    first, again, third = _ticks(instance, "inbox")
    assert (first.status, first.run_keys) == (TickStatus.SUCCESS, ["a.csv", "b.csv"])
    assert (again.status, again.run_ids) == (TickStatus.SKIPPED, [])
    assert again.skip_reason == ("Runs were requested before for every run key asked for: "
                                 "a.csv, b.csv.")
    assert (third.status, third.run_keys) == (TickStatus.SUCCESS, ["c.csv"])
    assert _state(instance, "inbox").last_run_key == "c.csv"


def test_runs_carry_the_sensor_tags_and_the_requested_config(instance, workspace, inbox):
    _start(instance, "inbox")
    (inbox / "a.csv").touch()
    SensorDuty(workspace).run_iteration(instance, at("2026-05-01T10:00:00Z"))
    (run,) = instance.get_runs()
    assert run.status.value == "QUEUED"
    assert {key: run.tags[key] for key in ("headwater/sensor_name", "headwater/run_key",
                                           "source")} == {
        "headwater/sensor_name": "inbox", "headwater/run_key": "a.csv", "source": "inbox"}
    assert run.run_config == {"solids": {"ingest": {"config": {"path": "a.csv"}}}}


def test_the_cursor_survives_a_daemon_restart(instance, workspace, tmp_path):
    _start(instance, "counter")
    first_daemon = SensorDuty(workspace)
    first_daemon.run_iteration(instance, at("2026-05-01T10:00:00Z"))
    first_daemon.run_iteration(instance, at("2026-05-01T10:00:10Z"))
    assert _state(instance, "counter").cursor == "2"
    with Instance.get() as restarted:
        SensorDuty(load_workspace(tmp_path, SENSORS)).run_iteration(
            restarted, at("2026-05-01T10:05:00Z"))
        assert _state(restarted, "counter").cursor == "3"
        assert _ticks(restarted, "counter")[-1].skip_reason == (
            "evaluation 3, after run key None")


def test_a_skip_reason_is_recorded_on_the_tick(instance, workspace):
    _start(instance, "counter")
    SensorDuty(workspace).run_iteration(instance, at("2026-05-01T10:00:00Z"))
    (tick,) = _ticks(instance, "counter")
    assert (tick.status, tick.skip_reason, tick.cursor) == (
        TickStatus.SKIPPED, "evaluation 1, after run key None", "1")


def test_a_sensor_that_raises_records_its_traceback_and_the_daemon_goes_on(instance,
                                                                           workspace):
    _start(instance, "flaky")
    _start(instance, "counter")
    controller = DaemonController(instance, [SensorDuty(workspace)])
    assert controller.run_once(at("2026-05-01T10:00:00Z")) == {"sensors": None}
    assert controller.run_once(at("2026-05-01T10:01:00Z")) == {"sensors": None}
    failures = _ticks(instance, "flaky")
    assert [tick.status for tick in failures] == [TickStatus.FAILURE] * 2
    assert failures[0].error.message == "ConnectionError: the bucket does not answer"
    assert 'raise ConnectionError("the bucket does not answer")' in failures[0].error.to_string()
    assert _state(instance, "counter").cursor == "2"


def test_a_stopped_sensor_is_not_evaluated(instance, workspace):
    _start(instance, "counter")
    stop_job(instance, JobType.SENSOR, "repo", "counter")
    SensorDuty(workspace).run_iteration(instance, at("2026-05-01T10:00:00Z"))
    assert _ticks(instance, "counter") == []


def test_a_daemon_restarted_mid_tick_creates_each_keyed_run_once(workspace, inbox, tmp_path):
    (inbox / "a.csv").touch()
    (inbox / "b.csv").touch()
    with queued_instance() as instance, pytest.MonkeyPatch.context() as monkeypatch:
        _start(instance, "inbox")
        crash_after_call(monkeypatch, instance, "submit_run")
        with pytest.raises(Crash):
            SensorDuty(workspace).run_iteration(instance, at("2026-05-01T10:00:00Z"))
        monkeypatch.undo()
        with Instance.get() as restarted:
            SensorDuty(load_workspace(tmp_path, SENSORS)).run_iteration(
                restarted, at("2026-05-01T10:00:30Z"))
            runs = runs_tagged(restarted, "headwater/sensor_name", "inbox")
            assert [run.tags["headwater/run_key"] for run in runs] == ["a.csv", "b.csv"]
            (tick,) = _ticks(restarted, "inbox")
            assert (tick.status, tick.run_keys) == (TickStatus.SUCCESS, ["a.csv", "b.csv"])
            assert _state(restarted, "inbox").last_tick_timestamp == at("2026-05-01T10:00:00Z")
