"""Exactly one run per tick, even when the daemon dies in the middle of a tick: the next
daemon completes the tick it finds STARTED, and finds the run it may have made already."""

from __future__ import annotations

import pytest
from daemon_testing import (
    SCHEDULE_NAME_TAG,
    Crash,
    at,
    crash_after_call,
    crash_when_called,
    load_workspace,
    queued_instance,
    runs_tagged,
)

import headwater.daemon.scheduler
from headwater.daemon.jobs import start_job
from headwater.daemon.scheduler import SchedulerDuty
from headwater.instance import Instance
from headwater.instance.jobs import JobType, TickStatus, job_origin_id

SCHEDULE = """
from headwater import pipeline, repository, schedule, solid

@solid
def noop():
    return None

@pipeline
def hourly_pipeline():
    noop()

@schedule("0 * * * *", pipeline_name="hourly_pipeline")
def hourly(context):
    return {}

@repository
def repo():
    return [hourly_pipeline, hourly]
"""

ORIGIN = job_origin_id(JobType.SCHEDULE, "repo", "hourly")


def _crash_before_evaluation(monkeypatch, instance):
    crash_when_called(monkeypatch, headwater.daemon.scheduler, "complete_tick")


def _crash_before_the_run_is_created(monkeypatch, instance):
    crash_when_called(monkeypatch, instance, "create_run")


def _crash_before_the_run_is_submitted(monkeypatch, instance):
    crash_when_called(monkeypatch, instance, "submit_run")


def _crash_after_the_run_is_submitted(monkeypatch, instance):
    crash_after_call(monkeypatch, instance, "submit_run")


@pytest.mark.parametrize("crash", [
    _crash_before_evaluation, _crash_before_the_run_is_created,
    _crash_before_the_run_is_submitted, _crash_after_the_run_is_submitted])
def test_a_daemon_restarted_mid_tick_completes_it_with_exactly_one_run(tmp_path, crash):
    # A patch of its own, undone at the "restart" (the test's monkeypatch also holds the
    # instance's home).
    with queued_instance() as instance, pytest.MonkeyPatch.context() as monkeypatch:
        start_job(instance, JobType.SCHEDULE, "repo", "hourly", at("2026-05-01T09:30:00Z"))
        crash(monkeypatch, instance)
        with pytest.raises(Crash):
            SchedulerDuty(load_workspace(tmp_path, SCHEDULE)).run_iteration(
                instance, at("2026-05-01T10:00:00Z"))
        (left,) = instance.get_job_ticks(ORIGIN)
        assert left.tick.status is TickStatus.STARTED

        # A new daemon process: its own instance object, workspace and duty.
        monkeypatch.undo()
        with Instance.get() as restarted:
            SchedulerDuty(load_workspace(tmp_path, SCHEDULE)).run_iteration(
                restarted, at("2026-05-01T10:00:05Z"))
            (record,) = restarted.get_job_ticks(ORIGIN)
            (run,) = runs_tagged(restarted, SCHEDULE_NAME_TAG, "hourly")
            assert (record.tick_id, record.tick.status) == (left.tick_id, TickStatus.SUCCESS)
            assert record.tick.run_ids == [run.run_id]
            assert run.status.value == "QUEUED"


def test_a_completed_tick_is_not_ticked_again_by_the_next_daemon(tmp_path):
    with queued_instance() as instance:
        start_job(instance, JobType.SCHEDULE, "repo", "hourly", at("2026-05-01T09:30:00Z"))
        SchedulerDuty(load_workspace(tmp_path, SCHEDULE)).run_iteration(
            instance, at("2026-05-01T10:00:00Z"))
        with Instance.get() as restarted:
            SchedulerDuty(load_workspace(tmp_path, SCHEDULE)).run_iteration(
                restarted, at("2026-05-01T10:30:00Z"))
            assert len(restarted.get_job_ticks(ORIGIN)) == 1
            assert len(runs_tagged(restarted, SCHEDULE_NAME_TAG, "hourly")) == 1
