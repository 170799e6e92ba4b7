"""Backfills: the daemon submits one run per partition through the run coordinator, so the
queue's limits hold, and goes on where it was after a restart."""

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

from headwater.daemon.backfills import BackfillDuty, create_backfill
from headwater.daemon.controller import DaemonController
from headwater.daemon.run_queue import RunQueueDuty
from headwater.execution.events import HeadwaterEventType
from headwater.execution.run import PipelineRunStatus
from headwater.instance import Instance, RunsFilter
from headwater.instance.jobs import BackfillStatus

E = HeadwaterEventType
IN_PROGRESS = [PipelineRunStatus.STARTING, PipelineRunStatus.STARTED]

PARTITIONS = """
import datetime as dt

from headwater import PartitionSetDefinition, date_partition_range, pipeline, repository, solid

@solid(config_schema={"date": str})
def load_day(context):
    context.log.info(context.solid_config["date"])

@pipeline
def daily_load():
    load_day()

april = PartitionSetDefinition(
    "april", "daily_load",
    partition_fn=date_partition_range(dt.datetime(2026, 4, 1), dt.datetime(2026, 5, 1)),
    run_config_fn_for_partition=lambda partition: {
        "solids": {"load_day": {"config": {"date": partition.name}}}})

@repository
def repo():
    return [daily_load, april]
"""
NOW = at("2026-05-02T00:00:00Z")
APRIL = [f"2026-04-{day:02d}" for day in range(1, 31)]


@pytest.fixture
def workspace(tmp_path):
    return load_workspace(tmp_path, PARTITIONS)


def _backfill(instance, workspace, names=APRIL):
    repository, partition_set = workspace.find_partition_set("april")
    return create_backfill(instance, repository.name, partition_set, names, {"team": "data"},
                           NOW)


def _finish_runs_in_progress(instance):
    for run in instance.get_runs(RunsFilter(statuses=IN_PROGRESS)):
        instance.report_run_event(run, E.PIPELINE_START, "started")
        instance.report_run_event(run, E.PIPELINE_SUCCESS, "done")


def test_a_backfill_of_30_daily_partitions_respects_the_queue_limits(workspace):
    with queued_instance(max_concurrent_runs=3) as instance:
        backfill = _backfill(instance, workspace)
        controller = DaemonController(
            instance, [BackfillDuty(workspace), RunQueueDuty(instance.run_coordinator)])
        in_progress_each_iteration = []
        for iteration in range(12):
            assert controller.run_once(NOW + iteration) == {"backfills": None,
                                                            "run_queue": None}
            in_progress_each_iteration.append(
                instance.get_runs_count(RunsFilter(statuses=IN_PROGRESS)))
            _finish_runs_in_progress(instance)
        assert in_progress_each_iteration == [3] * 10 + [0, 0]
        runs = runs_tagged(instance, "headwater/backfill", backfill.backfill_id)
        assert sorted(run.tags["headwater/partition"] for run in runs) == APRIL
        assert {run.status for run in runs} == {PipelineRunStatus.SUCCESS}
        assert {run.tags["team"] for run in runs} == {"data"}
        assert runs[0].run_config == {"solids": {"load_day": {"config": {"date": "2026-04-01"}}}}
        stored = instance.get_backfill(backfill.backfill_id)
        assert (stored.status, stored.num_submitted) == (BackfillStatus.COMPLETED, 30)


def test_a_backfill_goes_on_where_a_stopped_daemon_left_it(workspace, tmp_path):
    with queued_instance() as instance:
        backfill = _backfill(instance, workspace)
        BackfillDuty(workspace, runs_per_iteration=12).run_iteration(instance, NOW)
        assert instance.get_backfill(backfill.backfill_id).num_submitted == 12
        with Instance.get() as restarted:
            duty = BackfillDuty(load_workspace(tmp_path, PARTITIONS), runs_per_iteration=12)
            duty.run_iteration(restarted, NOW + 60)
            duty.run_iteration(restarted, NOW + 62)
            runs = runs_tagged(restarted, "headwater/backfill", backfill.backfill_id)
            assert [run.tags["headwater/partition"] for run in runs] == APRIL
            assert restarted.get_backfill(backfill.backfill_id).status is \
                BackfillStatus.COMPLETED


def test_a_daemon_dying_right_after_submitting_a_run_does_not_submit_it_again(workspace,
                                                                              tmp_path):
    with queued_instance() as instance, pytest.MonkeyPatch.context() as monkeypatch:
        backfill = _backfill(instance, workspace)
        crash_after_call(monkeypatch, instance, "submit_run")
        with pytest.raises(Crash):
            BackfillDuty(workspace).run_iteration(instance, NOW)
        monkeypatch.undo()
        assert instance.get_backfill(backfill.backfill_id).num_submitted == 0
        with Instance.get() as restarted:
            BackfillDuty(load_workspace(tmp_path, PARTITIONS)).run_iteration(restarted, NOW)
            runs = runs_tagged(restarted, "headwater/backfill", backfill.backfill_id)
            assert [run.tags["headwater/partition"] for run in runs] == APRIL
            assert {run.status for run in runs} == {PipelineRunStatus.QUEUED}


def test_a_partition_gone_from_the_partition_set_fails_the_backfill(workspace):
    with queued_instance() as instance:
        backfill = _backfill(instance, workspace, ["2026-04-01", "1999-01-01", "2026-04-02"])
        BackfillDuty(workspace).run_iteration(instance, NOW)
        stored = instance.get_backfill(backfill.backfill_id)
        assert (stored.status, stored.num_submitted) == (BackfillStatus.FAILED, 1)
        assert 'no longer has the partition "1999-01-01"' in stored.error.message
        assert len(instance.get_runs()) == 1


def test_a_backfill_the_workspace_lacks_waits_and_the_daemon_reports_it(workspace, tmp_path):
    other = load_workspace(tmp_path, PARTITIONS.replace("def repo", "def other_repo"),
                           name="other_code")
    with queued_instance() as instance:
        backfill = _backfill(instance, other)
        errors = DaemonController(instance, [BackfillDuty(workspace)]).run_once(NOW)
        assert 'repository "other_repo", which this daemon\'s workspace does not have' in \
            errors["backfills"].message
        assert instance.get_backfill(backfill.backfill_id).status is BackfillStatus.REQUESTED
