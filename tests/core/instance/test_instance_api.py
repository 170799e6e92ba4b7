"""The instance as runs use it: recording a run, reading it back, reporting from outside."""

import json
import os
import subprocess
import sys

import pytest

from headwater import (
    AssetKey,
    AssetMaterialization,
    Output,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater.errors import HeadwaterInstanceError, HeadwaterRunStatusConflictError
from headwater.execution.events import HeadwaterEventType
from headwater.execution.recorder import RunRecorder
from headwater.execution.run import PipelineRunStatus
from headwater.instance import Instance, InstanceRef, RunsFilter, instance_for_test
from headwater.instance.records import StepEventStatus
from headwater.serdes import deserialize, serialize

S = PipelineRunStatus


@solid
def extract(context):
    context.log.info("extracting")
    return [1, 2, 3]


@solid
def load(context, rows):
    yield AssetMaterialization(["warehouse", "orders"], partition="2024-01-01")
    yield Output(len(rows))


@pipeline
def orders():
    load(extract())


@solid
def broken(context):
    raise ValueError("bad input file")


@pipeline
def broken_pipeline():
    broken()


@pytest.fixture
def instance():
    with instance_for_test() as instance:
        yield instance


def test_an_instance_is_what_execution_records_runs_in():
    with Instance.ephemeral() as instance:
        assert isinstance(instance, RunRecorder)


def test_executed_run_is_recorded_with_its_final_status_and_times(instance):
    result = execute_pipeline(orders, instance=instance)
    (record,) = instance.get_run_records()
    assert record.run.run_id == result.run_id
    assert record.run.status is S.SUCCESS
    assert record.start_time is not None and record.end_time >= record.start_time


def test_every_event_of_a_run_is_stored_in_order(instance):
    result = execute_pipeline(orders, instance=instance)
    stored = [entry.headwater_event for entry in instance.all_logs(result.run_id)
              if entry.headwater_event is not None]
    assert [e.event_type_value for e in stored] == [e.event_type_value
                                                    for e in result.event_list]


def test_log_lines_of_solids_are_stored_with_their_step(instance):
    result = execute_pipeline(orders, instance=instance)
    lines = [e for e in instance.all_logs(result.run_id) if e.headwater_event is None]
    assert ("extract", "extracting") in [(e.step_key, e.user_message) for e in lines]


def test_failed_run_is_recorded_failed_with_the_users_error(instance):
    result = execute_pipeline(broken_pipeline, instance=instance, raise_on_error=False)
    assert instance.get_run_by_id(result.run_id).status is S.FAILURE
    (failure,) = instance.all_logs(result.run_id, of_type="STEP_FAILURE")
    assert "bad input file" in failure.error_info.message
    (step,) = instance.get_run_step_stats(result.run_id)
    assert step.status is StepEventStatus.FAILURE


def test_run_stats_and_step_stats_follow_the_run(instance):
    result = execute_pipeline(orders, instance=instance)
    stats = instance.get_run_stats(result.run_id)
    assert (stats.steps_succeeded, stats.materializations) == (2, 1)
    steps = instance.get_run_step_stats(result.run_id)
    assert [(s.step_key, s.status, s.attempts) for s in steps] == [
        ("extract", StepEventStatus.SUCCESS, 1), ("load", StepEventStatus.SUCCESS, 1)]


def test_materialized_assets_are_queryable(instance):
    result = execute_pipeline(orders, instance=instance)
    assert instance.all_asset_keys() == [AssetKey(["warehouse", "orders"])]
    assert instance.has_asset_key(AssetKey(["warehouse", "orders"]))
    (record,) = instance.events_for_asset_key(["warehouse", "orders"])
    assert record.entry.run_id == result.run_id
    assert instance.get_latest_materialization(["warehouse", "orders"]).run_id == result.run_id


def test_logs_after_a_cursor_returns_only_newer_entries(instance):
    result = execute_pipeline(orders, instance=instance)
    records = instance.get_event_records(result.run_id)
    cursor = records[2].storage_id
    after = instance.logs_after(result.run_id, cursor)
    assert after == [record.entry for record in records[3:]]


def test_runs_are_kept_across_instances_of_the_same_home(instance):
    result = execute_pipeline(orders, instance=instance, tags={"team": "data"})
    with Instance.get() as reopened:
        assert reopened.has_run(result.run_id)
        assert reopened.get_runs(RunsFilter(tags={"team": "data"}))[0].run_id == result.run_id


def _started_run(instance):
    run = instance.create_run_for_pipeline(orders)
    instance.report_run_event(run, HeadwaterEventType.PIPELINE_START, "started elsewhere")
    return run


def test_run_failed_from_outside_is_marked_failed_with_an_event(instance):
    run = _started_run(instance)
    instance.report_run_failed(run, "the worker's machine went away")
    assert instance.get_run_by_id(run.run_id).status is S.FAILURE
    assert instance.all_logs(run.run_id)[-1].user_message == "the worker's machine went away"


def test_canceling_and_canceled_runs_move_status(instance):
    run = _started_run(instance)
    instance.report_run_canceling(run)
    assert instance.get_run_by_id(run.run_id).status is S.CANCELING
    instance.report_run_canceled(run)
    assert instance.get_run_by_id(run.run_id).status is S.CANCELED


def test_a_finished_run_cannot_be_moved_and_the_refused_event_is_not_recorded(instance):
    result = execute_pipeline(orders, instance=instance)
    run = instance.get_run_by_id(result.run_id)
    entries_before = len(instance.all_logs(run.run_id))
    with pytest.raises(HeadwaterRunStatusConflictError, match=r"is SUCCESS .* cannot become FAILURE"):
        instance.report_run_failed(run, "too late")
    assert instance.get_run_by_id(run.run_id).status is S.SUCCESS
    assert len(instance.all_logs(run.run_id)) == entries_before


def test_only_one_of_two_launchers_moves_a_run_to_starting(instance):
    run = instance.create_run_for_pipeline(orders)
    instance.report_run_event(run, HeadwaterEventType.PIPELINE_STARTING, "first launcher")
    with pytest.raises(HeadwaterRunStatusConflictError) as refused:
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_STARTING, "second launcher")
    assert (refused.value.current, refused.value.attempted) == ("STARTING", "STARTING")
    starting = instance.all_logs(run.run_id, of_type=HeadwaterEventType.PIPELINE_STARTING)
    assert [entry.user_message for entry in starting] == ["first launcher"]


def test_engine_events_are_recorded_without_changing_status(instance):
    result = execute_pipeline(orders, instance=instance)
    run = instance.get_run_by_id(result.run_id)
    instance.report_engine_event("worker 3 started", run, step_key="load")
    (entry,) = instance.all_logs(run.run_id, of_type="ENGINE_EVENT")
    assert (entry.user_message, entry.step_key) == ("worker 3 started", "load")
    assert instance.get_run_by_id(run.run_id).status is S.SUCCESS


def test_deleted_run_takes_its_events_along(instance):
    kept = execute_pipeline(orders, instance=instance)
    deleted = execute_pipeline(orders, instance=instance)
    instance.delete_run(deleted.run_id)
    assert not instance.has_run(deleted.run_id)
    assert instance.all_logs(deleted.run_id) == []
    assert instance.all_logs(kept.run_id) != []


def test_wipe_deletes_every_run_and_event(instance):
    result = execute_pipeline(orders, instance=instance)
    instance.wipe()
    assert instance.get_runs_count() == 0
    assert instance.all_logs(result.run_id) == []


def test_ephemeral_instance_keeps_runs_in_memory_and_cannot_be_shared():
    with Instance.ephemeral() as instance:
        result = execute_pipeline(orders, instance=instance)
        assert instance.get_run_by_id(result.run_id).status is S.SUCCESS
        assert not instance.is_persistent
        with pytest.raises(HeadwaterInstanceError, match="keeps runs in memory"):
            instance.get_ref()


def test_ephemeral_instance_removes_its_storage_folder_when_disposed():
    instance = Instance.ephemeral()
    folder = instance.storage_directory()
    os.makedirs(folder)
    instance.dispose()
    assert not os.path.exists(folder)


def test_instance_for_test_sets_home_meanwhile_and_removes_it_after(monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", "/somewhere/else")
    with instance_for_test(overrides={"compute_logs": "noop"}) as instance:
        home = instance.home
        assert os.environ["HEADWATER_HOME"] == home
        with open(os.path.join(home, "headwater.yaml")) as settings:
            assert settings.read().strip() == "compute_logs: noop"
    assert os.environ["HEADWATER_HOME"] == "/somewhere/else"
    assert not os.path.exists(home)


def test_another_process_opens_the_same_instance_from_a_ref(instance):
    result = execute_pipeline(orders, instance=instance)
    ref = instance.get_ref()
    assert isinstance(deserialize(serialize(ref)), InstanceRef)
    script = (
        "import sys, json\n"
        "import headwater.instance\n"
        "from headwater.serdes import deserialize\n"
        "with deserialize(sys.argv[1]).open() as instance:\n"
        "    run = instance.get_run_by_id(sys.argv[2])\n"
        "    print(json.dumps([run.status.value, len(instance.all_logs(run.run_id))]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HEADWATER_HOME"}
    out = subprocess.run([sys.executable, "-c", script, serialize(ref), result.run_id],
                         capture_output=True, text=True, check=True, env=env).stdout
    assert json.loads(out) == ["SUCCESS", len(instance.all_logs(result.run_id))]


def test_upgrade_of_a_current_instance_changes_nothing(instance):
    result = execute_pipeline(orders, instance=instance)
    instance.upgrade()
    assert instance.has_run(result.run_id)
