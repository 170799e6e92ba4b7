"""What a failing step does to the rest of its run."""

import inspect
import logging

import pytest

from headwater import Failure, execute_pipeline, pipeline, solid
from headwater.execution.recorder import InMemoryRunRecorder


class WarehouseDown(Exception):
    pass


@solid
def explode():
    raise WarehouseDown("warehouse is down")


EXPLODE_LINE = inspect.getsourcelines(explode.compute_fn.fn)[1] + 2


@solid
def downstream(x):
    return x


@solid
def further(x):
    return x


@solid
def independent():
    return "ran"


@pipeline
def failing():
    further(downstream(explode()))
    independent()


def test_failed_step_fails_the_run_with_pipeline_failure_last():
    result = execute_pipeline(failing, raise_on_error=False)

    assert not result.success
    assert result.event_list[-1].event_type_value == "PIPELINE_FAILURE"


def test_independent_branch_still_runs_after_a_failure():
    result = execute_pipeline(failing, raise_on_error=False)

    assert result.result_for_solid("independent").output_value() == "ran"


def test_downstream_of_a_failed_step_is_abandoned_without_a_skip_event():
    result = execute_pipeline(failing, raise_on_error=False)

    assert result.result_for_solid("downstream").step_events == []
    assert result.result_for_solid("further").step_events == []
    assert not any(e.is_step_skipped for e in result.event_list)


def test_abandoned_steps_are_explained_by_error_log_lines():
    recorder = InMemoryRunRecorder()

    result = execute_pipeline(failing, raise_on_error=False, instance=recorder)

    lines = [(entry.level, entry.step_key, entry.user_message)
             for entry in recorder.all_logs(result.run_id) if not entry.is_headwater_event]
    assert lines == [
        (logging.ERROR, "downstream",
         "Dependencies for step downstream failed: ['explode']. Not executing."),
        (logging.ERROR, "further",
         "Dependencies for step further were not executed: ['downstream']. Not executing."),
    ]


def test_step_failure_carries_the_users_traceback():
    result = execute_pipeline(failing, raise_on_error=False)

    error = result.result_for_solid("explode").failure_data.error
    assert error.message.endswith("WarehouseDown: warehouse is down")
    assert error.cls_name == "WarehouseDown"
    assert f'line {EXPLODE_LINE}, in explode' in error.stack[-1]
    assert 'raise WarehouseDown("warehouse is down")' in error.to_string()


def test_raise_on_error_reraises_the_original_user_exception():
    with pytest.raises(WarehouseDown, match="warehouse is down") as raised:
        execute_pipeline(failing)

    assert type(raised.value) is WarehouseDown
    assert raised.traceback[-1].name == "explode"


def test_raise_on_error_raises_after_the_failure_was_recorded():
    recorder = InMemoryRunRecorder()

    with pytest.raises(WarehouseDown):
        execute_pipeline(failing, instance=recorder)

    (run,) = recorder.runs.values()
    recorded = [entry.headwater_event.event_type_value for entry in recorder.all_logs(run.run_id)
                if entry.is_headwater_event]
    assert recorded[-2:] == ["STEP_FAILURE", "PIPELINE_FAILURE"]
    assert run.status.value == "FAILURE"


def test_raise_on_error_starts_no_new_step_after_the_failure():
    recorder = InMemoryRunRecorder()

    with pytest.raises(WarehouseDown):
        execute_pipeline(failing, instance=recorder)

    (run,) = recorder.runs.values()
    started = [entry.step_key for entry in recorder.all_logs(run.run_id)
               if entry.is_headwater_event and entry.headwater_event.is_step_start]
    assert started == ["explode"]


def test_failure_is_raised_as_is_and_recorded_with_its_description():
    @solid
    def refuse():
        raise Failure("input file is empty", metadata={"path": "/data/in.csv"})

    @pipeline
    def refusing():
        refuse()

    result = execute_pipeline(refusing, raise_on_error=False)
    (event,) = [e for e in result.event_list if e.is_step_failure]
    assert event.step_failure_data.user_failure_data.description == "input file is empty"

    with pytest.raises(Failure, match="input file is empty"):
        execute_pipeline(refusing)


def test_step_failure_message_names_the_step_and_the_error():
    result = execute_pipeline(failing, raise_on_error=False)

    event = result.result_for_solid("explode").compute_step_failure_event
    assert event.message == ('Execution of step "explode" failed while running its compute '
                             "function: test_exec_failures.WarehouseDown: warehouse is down")


def test_storage_that_fails_under_a_running_step_ends_the_run_not_just_the_step():
    # What the instance raises when a log line flushed from user code meets a full disk:
    # the run cannot be recorded any more, so it is not reported as the solid's failure
    # (with a traceback into user code) while later steps go on.
    from headwater.errors import HeadwaterStorageUnavailableError

    @solid
    def logs_into_a_full_disk(context):
        raise HeadwaterStorageUnavailableError("The instance's database is full.")

    @solid
    def independent(context):
        pass

    @pipeline
    def storage_goes_away():
        logs_into_a_full_disk()
        independent()

    recorder = InMemoryRunRecorder()
    result = execute_pipeline(storage_goes_away, raise_on_error=False, instance=recorder)
    assert not result.success
    [entries] = recorder.events.values()
    kinds = [e.headwater_event.event_type_value for e in entries if e.headwater_event]
    assert "STEP_FAILURE" not in kinds
    assert kinds[-1] == "PIPELINE_FAILURE"
    assert any("is full" in e.user_message for e in entries if e.level >= logging.ERROR)
