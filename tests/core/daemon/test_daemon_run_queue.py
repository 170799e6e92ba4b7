"""The run queue: the daemon launches queued runs, highest priority then oldest first,
never more in progress than ``max_concurrent_runs`` nor than a tag limit allows."""

import textwrap

import pytest

from headwater.daemon import DaemonController, RunQueueDuty
from headwater.execution.events import HeadwaterEventType
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.records import RunRecord
from headwater.instance.run_coordinator import QueuedRunCoordinator, TagConcurrencyLimit

S = PipelineRunStatus

# A launcher that starts no process: it marks the run started and remembers it, so that
# the queue's choices can be watched one iteration at a time.
RECORDING_LAUNCHER = '''
from headwater.execution.events import HeadwaterEventType
from headwater.instance.run_launcher import RunLauncher

LAUNCHED = []


class RecordingLauncher(RunLauncher):
    def launch_run(self, instance, run):
        if run.tags.get("launch") == "impossible":
            raise OSError("no room for this run")
        LAUNCHED.append(run.run_id)
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_STARTING, "starting")
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_START, "started")
        return instance.get_run_by_id(run.run_id)

    def terminate(self, instance, run):
        return False

    @classmethod
    def config_schema(cls):
        return {}

    @classmethod
    def from_config(cls, config, context):
        return cls()
'''


def _record(number, **tags):
    return RunRecord(number, PipelineRun(f"run-{number}", "work", tags=tags), 0.0, 0.0)


def _queue(max_concurrent_runs=10, *limits):
    return RunQueueDuty(QueuedRunCoordinator(max_concurrent_runs, list(limits)))


def _ids(runs):
    return [run.run_id for run in runs]


def test_no_more_runs_start_than_max_concurrent_runs_allows():
    queue = _queue(3)
    running = [PipelineRun("running", "work")]
    assert _ids(queue.runs_to_launch([_record(n) for n in range(1, 5)], running)) == [
        "run-1", "run-2"]


def test_a_max_concurrent_runs_of_minus_one_sets_no_limit():
    assert len(_queue(-1).runs_to_launch([_record(n) for n in range(50)], [])) == 50


def test_runs_of_higher_priority_go_first_then_the_oldest():
    queued = [_record(1), _record(2, **{"headwater/priority": "5"}), _record(3),
              _record(4, **{"headwater/priority": "-1"}), _record(5, **{"headwater/priority": "5"})]
    assert _ids(_queue().runs_to_launch(queued, [])) == ["run-2", "run-5", "run-1", "run-3",
                                                         "run-4"]


def test_a_tag_limit_with_a_value_counts_the_runs_with_that_value():
    queue = _queue(10, TagConcurrencyLimit("database", "warehouse", 1))
    queued = [_record(1, database="warehouse"), _record(2, database="warehouse"),
              _record(3, database="lake")]
    assert _ids(queue.runs_to_launch(queued, [])) == ["run-1", "run-3"]


def test_a_tag_limit_without_a_value_counts_every_run_with_the_key():
    queue = _queue(10, TagConcurrencyLimit("team", None, 2))
    running = [PipelineRun("running", "work", tags={"team": "finance"})]
    queued = [_record(1, team="data"), _record(2, team="ops"), _record(3)]
    assert _ids(queue.runs_to_launch(queued, running)) == ["run-1", "run-3"]


def test_a_run_held_back_by_a_tag_limit_lets_the_runs_after_it_go():
    queue = _queue(2, TagConcurrencyLimit("database", "warehouse", 0))
    queued = [_record(1, database="warehouse"), _record(2), _record(3), _record(4)]
    assert _ids(queue.runs_to_launch(queued, [])) == ["run-2", "run-3"]


@pytest.fixture
def queued_instance(open_instance, tmp_path, monkeypatch):
    """An instance whose queue allows 2 runs at once and 1 tagged database=warehouse, and
    whose launcher only records launches."""
    modules = tmp_path / "launchers"
    modules.mkdir()
    (modules / "recording_launcher.py").write_text(textwrap.dedent(RECORDING_LAUNCHER))
    monkeypatch.syspath_prepend(str(modules))
    settings = {
        "run_coordinator": {"name": "queued", "config": {
            "max_concurrent_runs": 2,
            "tag_concurrency_limits": [{"key": "database", "value": "warehouse", "limit": 1}]}},
        "run_launcher": {"module": "recording_launcher", "class": "RecordingLauncher"},
    }
    with open_instance(settings) as instance:
        yield instance


def _submit(instance, make_run, **tags):
    run = make_run(instance, tags=tags or None, pipeline="other")
    return instance.submit_run(run.run_id)


def _statuses(instance, runs):
    return [instance.get_run_by_id(run.run_id).status for run in runs]


def test_the_daemon_dequeues_within_the_limits_as_runs_end(queued_instance, make_run):
    warehouse_1 = _submit(queued_instance, make_run, database="warehouse")
    warehouse_2 = _submit(queued_instance, make_run, database="warehouse")
    plain_1 = _submit(queued_instance, make_run)
    plain_2 = _submit(queued_instance, make_run)
    runs = [warehouse_1, warehouse_2, plain_1, plain_2]
    controller = DaemonController(queued_instance, [RunQueueDuty(queued_instance.run_coordinator)])

    controller.run_once()
    assert _statuses(queued_instance, runs) == [S.STARTED, S.QUEUED, S.STARTED, S.QUEUED]
    controller.run_once()
    assert _statuses(queued_instance, runs) == [S.STARTED, S.QUEUED, S.STARTED, S.QUEUED]

    queued_instance.report_run_event(plain_1, HeadwaterEventType.PIPELINE_SUCCESS, "done")
    controller.run_once()
    # A slot is free, but the warehouse limit still holds the second warehouse run back.
    assert _statuses(queued_instance, runs) == [S.STARTED, S.QUEUED, S.SUCCESS, S.STARTED]

    queued_instance.report_run_event(warehouse_1, HeadwaterEventType.PIPELINE_SUCCESS, "done")
    controller.run_once()
    assert _statuses(queued_instance, runs) == [S.SUCCESS, S.STARTED, S.SUCCESS, S.STARTED]


def test_a_dequeued_run_records_dequeued_then_starting(queued_instance, make_run):
    run = _submit(queued_instance, make_run)
    DaemonController(queued_instance, [RunQueueDuty(queued_instance.run_coordinator)]).run_once()
    kinds = [entry.event_type.value for entry in queued_instance.all_logs(run.run_id)]
    assert kinds == ["PIPELINE_ENQUEUED", "PIPELINE_DEQUEUED", "PIPELINE_STARTING",
                     "PIPELINE_START"]


def test_a_queued_run_that_cannot_be_launched_ends_failure_with_the_reason(queued_instance,
                                                                           make_run):
    run = _submit(queued_instance, make_run, launch="impossible")
    DaemonController(queued_instance, [RunQueueDuty(queued_instance.run_coordinator)]).run_once()
    assert queued_instance.get_run_by_id(run.run_id).status is S.FAILURE
    [failure] = queued_instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")
    assert "could not be launched: no room for this run" in failure.user_message


def test_queued_runs_launched_by_the_daemon_run_in_processes_one_at_a_time(
        open_instance, make_run, work_config, finished_run, counted):
    settings = {"run_coordinator": {"name": "queued", "config": {"max_concurrent_runs": 1}}}
    with open_instance(settings) as instance:
        runs = [instance.submit_run(make_run(instance, work_config()).run_id)
                for _ in range(2)]
        controller = DaemonController(instance, [RunQueueDuty(instance.run_coordinator)])
        controller.run_once()
        controller.run_once()
        first, second = _statuses(instance, runs)
        assert (first in (S.STARTING, S.STARTED, S.SUCCESS), second) == (True, S.QUEUED)
        assert finished_run(instance, runs[0].run_id).status is S.SUCCESS
        controller.run_once()
        assert finished_run(instance, runs[1].run_id).status is S.SUCCESS
    assert counted() == ["first", "second"] * 2
