"""The scheduler ticks each running schedule at its cron times, in its time zone, with one
run per tick; the clock is the tests' own."""

from __future__ import annotations

import pytest
from daemon_testing import SCHEDULE_NAME_TAG, at, load_workspace, queued_instance, runs_tagged, utc

from headwater.daemon.controller import DaemonController
from headwater.daemon.jobs import start_job, stop_job
from headwater.daemon.scheduler import SchedulerDuty
from headwater.instance.jobs import JobType, TickStatus, job_origin_id

SCHEDULES = """
import datetime as dt

from headwater import daily_schedule, pipeline, repository, schedule, solid

@solid
def noop():
    return None

@pipeline
def nightly_pipeline():
    noop()

@schedule("30 2 * * *", pipeline_name="nightly_pipeline", execution_timezone="America/New_York")
def half_past_two_in_new_york(context):
    return {}

@schedule("30 1 * * *", pipeline_name="nightly_pipeline", execution_timezone="America/New_York")
def half_past_one_in_new_york(context):
    return {}

@schedule("0 * * * *", pipeline_name="nightly_pipeline")
def hourly(context):
    return {}

@schedule("0 3 * * *", pipeline_name="nightly_pipeline")
def needs_the_warehouse(context):
    raise ValueError("the warehouse is down")

@schedule("0 3 * * *", pipeline_name="nightly_pipeline", should_execute=lambda: False)
def never_today(context):
    return {}

@schedule("0 3 * * *", pipeline_name="nightly_pipeline")
def misconfigured(context):
    return {"solids": {"not_a_solid": {"config": 1}}}

@daily_schedule(pipeline_name="nightly_pipeline", start_date=dt.datetime(2026, 1, 1),
                execution_time=dt.time(1, 0))
def daily_partitions(date):
    return {}

@repository
def repo():
    return [nightly_pipeline, half_past_two_in_new_york, half_past_one_in_new_york, hourly,
            needs_the_warehouse, never_today, misconfigured, daily_partitions]
"""


@pytest.fixture
def instance():
    with queued_instance() as instance:
        yield instance


@pytest.fixture
def workspace(tmp_path):
    return load_workspace(tmp_path, SCHEDULES)


def _start(instance, name, when):
    start_job(instance, JobType.SCHEDULE, "repo", name, at(when))


def _ticks(instance, name):
    """The schedule's ticks, oldest first."""
    records = instance.get_job_ticks(job_origin_id(JobType.SCHEDULE, "repo", name))
    return [record.tick for record in reversed(records)]


def _drive(duty, instance, start, end, step_seconds=600):
    """Iterations of the duty every ``step_seconds`` from ``start`` to ``end``."""
    now = at(start)
    while now <= at(end):
        duty.run_iteration(instance, now)
        now += step_seconds


def test_a_tick_is_taken_at_its_time_and_not_a_moment_before(instance, workspace):
    _start(instance, "hourly", "2026-05-01T09:30:00Z")
    duty = SchedulerDuty(workspace)
    duty.run_iteration(instance, at("2026-05-01T09:59:59.999Z"))
    assert _ticks(instance, "hourly") == []
    duty.run_iteration(instance, at("2026-05-01T10:00:00Z"))
    (tick,) = _ticks(instance, "hourly")
    assert (utc(tick.timestamp), tick.status) == ("2026-05-01T10:00:00+00:00",
                                                  TickStatus.SUCCESS)
    assert [run.run_id for run in runs_tagged(instance, SCHEDULE_NAME_TAG, "hourly")] == \
        tick.run_ids


def test_the_duty_sleeps_until_the_next_tick_time(instance, workspace):
    _start(instance, "hourly", "2026-05-01T09:30:00Z")
    clock = [at("2026-05-01T09:59:58.5Z")]
    duty = SchedulerDuty(workspace, poll_interval_seconds=30, clock=lambda: clock[0])
    duty.run_iteration(instance, clock[0])
    assert utc(duty.next_tick_timestamp) == "2026-05-01T10:00:00+00:00"
    assert duty.interval_seconds == pytest.approx(1.5)


def test_ticks_follow_the_wall_clock_of_the_time_zone_when_clocks_go_forward(instance,
                                                                           workspace):
    # New York skips 02:00-03:00 on 8 March 2026: the 02:30 tick that night is at 03:30.
    _start(instance, "half_past_two_in_new_york", "2026-03-05T12:00:00Z")
    _drive(SchedulerDuty(workspace), instance, "2026-03-05T12:00:00Z", "2026-03-10T12:00:00Z")
    ticks = _ticks(instance, "half_past_two_in_new_york")
    assert [utc(tick.timestamp) for tick in ticks] == [
        "2026-03-06T07:30:00+00:00", "2026-03-07T07:30:00+00:00",
        "2026-03-08T07:30:00+00:00", "2026-03-09T06:30:00+00:00",
        "2026-03-10T06:30:00+00:00"]
    runs = runs_tagged(instance, SCHEDULE_NAME_TAG, "half_past_two_in_new_york")
    assert [run.tags["headwater/scheduled_execution_time"] for run in runs][2:4] == [
        "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"]


def test_a_wall_time_that_happens_twice_ticks_once_when_clocks_go_back(instance, workspace):
    # New York repeats 01:00-02:00 on 1 November 2026: 01:30 ticks at its first occurrence.
    _start(instance, "half_past_one_in_new_york", "2026-10-30T12:00:00Z")
    _drive(SchedulerDuty(workspace), instance, "2026-10-30T12:00:00Z", "2026-11-02T12:00:00Z")
    assert [utc(tick.timestamp) for tick in _ticks(instance, "half_past_one_in_new_york")] == [
        "2026-10-31T05:30:00+00:00", "2026-11-01T05:30:00+00:00",
        "2026-11-02T06:30:00+00:00"]


def test_each_tick_launches_exactly_one_run_however_often_the_daemon_looks(instance,
                                                                          workspace):
    _start(instance, "hourly", "2026-05-01T09:30:00Z")
    _drive(SchedulerDuty(workspace), instance, "2026-05-01T09:30:00Z", "2026-05-01T12:30:00Z",
           step_seconds=7)
    assert len(_ticks(instance, "hourly")) == 3
    assert len(runs_tagged(instance, SCHEDULE_NAME_TAG, "hourly")) == 3


def test_missed_ticks_are_caught_up_to_max_catchup_runs_the_latest_first_kept(workspace):
    with queued_instance(scheduler={"max_catchup_runs": 3}) as instance:
        _start(instance, "hourly", "2026-05-01T00:30:00Z")
        # The daemon was away from 00:30 to 10:15: ten tick times passed.
        SchedulerDuty(workspace).run_iteration(instance, at("2026-05-01T10:15:00Z"))
        assert [utc(tick.timestamp) for tick in _ticks(instance, "hourly")] == [
            "2026-05-01T08:00:00+00:00", "2026-05-01T09:00:00+00:00",
            "2026-05-01T10:00:00+00:00"]
        assert len(runs_tagged(instance, SCHEDULE_NAME_TAG, "hourly")) == 3


def test_catch_up_runs_five_missed_ticks_by_default(instance, workspace):
    _start(instance, "hourly", "2026-05-01T00:30:00Z")
    SchedulerDuty(workspace).run_iteration(instance, at("2026-05-03T00:15:00Z"))
    assert [utc(tick.timestamp) for tick in _ticks(instance, "hourly")] == [
        f"2026-05-02T{hour}:00:00+00:00" for hour in (20, 21, 22, 23)] + [
        "2026-05-03T00:00:00+00:00"]


def test_a_schedule_ticks_only_after_it_was_started(instance, workspace):
    _start(instance, "hourly", "2026-05-01T10:20:00Z")
    SchedulerDuty(workspace).run_iteration(instance, at("2026-05-01T10:40:00Z"))
    assert _ticks(instance, "hourly") == []


def test_a_stopped_schedule_does_not_tick(instance, workspace):
    _start(instance, "hourly", "2026-05-01T09:30:00Z")
    stop_job(instance, JobType.SCHEDULE, "repo", "hourly")
    SchedulerDuty(workspace).run_iteration(instance, at("2026-05-01T12:00:00Z"))
    assert _ticks(instance, "hourly") == []


def test_a_schedule_that_raises_records_its_traceback_and_the_daemon_goes_on(instance,
                                                                             workspace):
    _start(instance, "needs_the_warehouse", "2026-05-01T00:00:00Z")
    _start(instance, "hourly", "2026-05-01T02:30:00Z")
    controller = DaemonController(instance, [SchedulerDuty(workspace)])
    for now in ("2026-05-01T03:00:00Z", "2026-05-02T03:00:00Z"):
        assert controller.run_once(at(now)) == {"scheduler": None}
    failed = _ticks(instance, "needs_the_warehouse")
    assert [tick.status for tick in failed] == [TickStatus.FAILURE] * 2
    assert failed[0].error.message == "ValueError: the warehouse is down"
    assert 'raise ValueError("the warehouse is down")' in failed[0].error.to_string()
    assert runs_tagged(instance, SCHEDULE_NAME_TAG, "needs_the_warehouse") == []
    assert {tick.status for tick in _ticks(instance, "hourly")} == {TickStatus.SUCCESS}


def test_should_execute_saying_no_records_a_skipped_tick(instance, workspace):
    _start(instance, "never_today", "2026-05-01T00:00:00Z")
    SchedulerDuty(workspace).run_iteration(instance, at("2026-05-01T03:00:00Z"))
    (tick,) = _ticks(instance, "never_today")
    assert (tick.status, tick.skip_reason) == (
        TickStatus.SKIPPED, "should_execute function for never_today returned false.")
    assert runs_tagged(instance, SCHEDULE_NAME_TAG, "never_today") == []


def test_a_run_config_the_pipeline_refuses_fails_the_tick_and_creates_no_run(instance,
                                                                              workspace):
    _start(instance, "misconfigured", "2026-05-01T00:00:00Z")
    SchedulerDuty(workspace).run_iteration(instance, at("2026-05-01T03:00:00Z"))
    (tick,) = _ticks(instance, "misconfigured")
    assert tick.status is TickStatus.FAILURE
    assert "not_a_solid" in tick.error.to_string()
    assert instance.get_runs() == []


def test_runs_of_a_partitioned_schedule_carry_the_schedule_and_partition_tags(instance,
                                                                              workspace):
    _start(instance, "daily_partitions", "2026-05-01T12:00:00Z")
    SchedulerDuty(workspace).run_iteration(instance, at("2026-05-02T01:00:00Z"))
    (run,) = instance.get_runs()
    assert run.status.value == "QUEUED"
    assert {key: run.tags[key] for key in ("headwater/schedule_name", "headwater/partition",
                                           "headwater/partition_set")} == {
        "headwater/schedule_name": "daily_partitions", "headwater/partition": "2026-05-01",
        "headwater/partition_set": "daily_partitions_partitions"}
    assert run.pipeline_origin["attribute"] == "repo"


def test_a_running_schedule_the_daemons_code_lacks_is_left_alone_with_one_warning(
        instance, workspace, caplog):
    start_job(instance, JobType.SCHEDULE, "retired_repo", "hourly", at("2026-05-01T09:00:00Z"))
    duty = SchedulerDuty(workspace)
    for now in ("2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z"):
        duty.run_iteration(instance, at(now))
    assert instance.get_job_ticks(job_origin_id(JobType.SCHEDULE, "retired_repo",
                                                "hourly")) == []
    [warning] = [record.getMessage() for record in caplog.records
                 if record.levelname == "WARNING"]
    assert 'The schedule "hourly" of repository "retired_repo" is running' in warning
