"""execute_run_steps: a run's steps executed in separate calls, each recording into the
same run of the instance (how a scheduler whose tasks are steps runs a pipeline)."""

from __future__ import annotations

import pytest

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    HeadwaterInvariantViolationError,
    Instance,
    ModeDefinition,
    fs_io_manager,
    instance_for_test,
    pipeline,
    solid,
)
from headwater.errors import HeadwaterRunNotFoundError
from headwater.integration import execute_run_steps, prepare_run

CALLS: list[str] = []
FAIL: set[str] = set()


def _record(name: str) -> None:
    CALLS.append(name)
    if name in FAIL:
        raise RuntimeError(f"{name} failed on purpose")


@solid
def load() -> int:
    _record("load")
    return 10


@solid
def transform(value: int) -> int:
    _record("transform")
    return value + 1


@solid(output_defs=[DynamicOutputDefinition(int)])
def split():
    _record("split")
    for index in range(3):
        yield DynamicOutput(index, mapping_key=f"part{index}")


@solid
def square(value: int) -> int:
    _record(f"square{value}")
    return value * value


@solid
def add_up(values: list) -> int:
    _record(f"add_up={sum(values)}")
    return sum(values)


MODES = [ModeDefinition(resource_defs={"io_manager": fs_io_manager})]


@pipeline(mode_defs=MODES)
def linear():
    transform(load())


@pipeline(mode_defs=MODES)
def fanned():
    add_up(split().map(square).collect())


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    FAIL.clear()


@pytest.fixture
def instance():
    with instance_for_test() as instance:
        yield instance


def _record_run(pipeline_def, instance, run_id="one-run"):
    run = prepare_run(pipeline_def, run_id=run_id).run
    instance.create_run(run)
    return run


def _kinds(instance, run_id):
    return [(e.step_key, e.headwater_event.event_type_value) for e in instance.all_logs(run_id)
            if e.headwater_event is not None]


def test_steps_executed_in_separate_calls_record_into_one_run(instance):
    run = _record_run(linear, instance)
    execute_run_steps(linear, run.run_id, ["load"], instance)
    events = execute_run_steps(linear, run.run_id, ["transform"], instance)
    assert CALLS == ["load", "transform"]
    assert [e.event_type_value for e in events if e.step_key == "transform"][-1] == \
        "STEP_SUCCESS"
    kinds = _kinds(instance, run.run_id)
    assert ("load", "STEP_SUCCESS") in kinds and ("transform", "STEP_SUCCESS") in kinds


def test_input_from_a_step_executed_elsewhere_is_loaded_from_the_run_outputs(instance):
    run = _record_run(linear, instance)
    execute_run_steps(linear, run.run_id, ["load"], instance)
    events = execute_run_steps(linear, run.run_id, ["transform"], instance)
    loaded = [e for e in events if e.event_type_value == "LOADED_INPUT"]
    assert [e.step_key for e in loaded] == ["transform"]


def test_steps_that_already_succeeded_are_not_executed_again(instance):
    run = _record_run(linear, instance)
    FAIL.add("transform")
    events = execute_run_steps(linear, run.run_id, ["load", "transform"], instance)
    assert any(e.is_step_failure for e in events)
    FAIL.clear()
    CALLS.clear()
    events = execute_run_steps(linear, run.run_id, ["load", "transform"], instance)
    assert CALLS == ["transform"]
    assert not any(e.is_step_failure for e in events)


def test_nothing_left_to_execute_returns_no_events(instance):
    run = _record_run(linear, instance)
    execute_run_steps(linear, run.run_id, ["load", "transform"], instance)
    assert execute_run_steps(linear, run.run_id, ["load", "transform"], instance) == []


def test_mapped_steps_key_stands_for_every_mapped_step_of_the_run(instance):
    run = _record_run(fanned, instance)
    execute_run_steps(fanned, run.run_id, ["split"], instance)
    execute_run_steps(fanned, run.run_id, ["square[?]"], instance)
    execute_run_steps(fanned, run.run_id, ["add_up"], instance)
    assert sorted(CALLS) == ["add_up=5", "split", "square0", "square1", "square2"]


def test_unknown_run_is_refused_with_its_id(instance):
    with pytest.raises(HeadwaterRunNotFoundError, match="no-such-run"):
        execute_run_steps(linear, "no-such-run", ["load"], instance)


def test_in_memory_instance_is_refused():
    instance = Instance.ephemeral()
    try:
        with pytest.raises(HeadwaterInvariantViolationError, match="persistent instance"):
            execute_run_steps(linear, "any", ["load"], instance)
    finally:
        instance.dispose()
