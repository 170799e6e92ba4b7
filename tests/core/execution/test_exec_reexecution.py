"""Re-execution: steps not re-run load their inputs from the earlier runs' outputs."""

from __future__ import annotations

import pytest

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    HeadwaterInvalidSubsetError,
    ModeDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    solid,
)
from headwater.errors import HeadwaterRunNotFoundError
from headwater.execution.recorder import InMemoryRunRecorder
from headwater.execution.reexecution import reexecute_pipeline

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


@solid
def report(value: int) -> str:
    _record("report")
    return f"total={value}"


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
    _record("add_up")
    return sum(values)


def _mode(tmp_path):
    return [ModeDefinition(resource_defs={"io_manager": fs_io_manager})]


@pytest.fixture
def linear(tmp_path):
    @pipeline(mode_defs=_mode(tmp_path))
    def linear_pipeline():
        report(transform(load()))

    return linear_pipeline


@pytest.fixture
def fanned(tmp_path):
    @pipeline(mode_defs=_mode(tmp_path))
    def fanned_pipeline():
        add_up(split().map(square).collect())

    return fanned_pipeline


@pytest.fixture(autouse=True)
def _reset(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    CALLS.clear()
    FAIL.clear()


def _config(tmp_path):
    return {"resources": {"io_manager": {"config": {"base_dir": str(tmp_path / "storage")}}}}


def test_from_failure_reruns_only_failed_and_unexecuted_steps(linear, tmp_path):
    recorder = InMemoryRunRecorder()
    FAIL.add("transform")
    parent = execute_pipeline(linear, run_config=_config(tmp_path), instance=recorder,
                              raise_on_error=False)
    assert not parent.success
    FAIL.clear()
    CALLS.clear()
    child = reexecute_pipeline(linear, parent.run_id, instance=recorder, from_failure=True)
    assert child.success
    assert CALLS == ["transform", "report"]
    assert child.output_for_solid("report") == "total=11"


def test_reexecution_records_parent_and_root_run_ids(linear, tmp_path):
    recorder = InMemoryRunRecorder()
    first = execute_pipeline(linear, run_config=_config(tmp_path), instance=recorder)
    second = reexecute_pipeline(linear, first.run_id, step_selection=["report"],
                                instance=recorder)
    third = reexecute_pipeline(linear, second.run_id, step_selection=["report"],
                               instance=recorder)
    run = recorder.get_run_by_id(third.run_id)
    assert (run.parent_run_id, run.root_run_id) == (second.run_id, first.run_id)
    assert run.tags["headwater/parent_run_id"] == second.run_id
    assert run.tags["headwater/root_run_id"] == first.run_id


def test_outputs_reused_from_further_up_the_line(linear, tmp_path):
    recorder = InMemoryRunRecorder()
    first = execute_pipeline(linear, run_config=_config(tmp_path), instance=recorder)
    second = reexecute_pipeline(linear, first.run_id, step_selection=["report"],
                                instance=recorder)
    CALLS.clear()
    third = reexecute_pipeline(linear, second.run_id, step_selection=["report"],
                               instance=recorder)
    assert CALLS == ["report"]
    assert third.output_for_solid("report") == "total=11"


def test_step_selection_with_descendants(linear, tmp_path):
    recorder = InMemoryRunRecorder()
    first = execute_pipeline(linear, run_config=_config(tmp_path), instance=recorder)
    CALLS.clear()
    reexecute_pipeline(linear, first.run_id, step_selection=["transform*"], instance=recorder)
    assert CALLS == ["transform", "report"]


def test_edited_config_is_accepted(tmp_path):
    @solid(config_schema={"factor": int})
    def scale(context, value: int) -> int:
        return value * context.solid_config["factor"]

    @pipeline(mode_defs=_mode(tmp_path))
    def scaled():
        scale(load())

    recorder = InMemoryRunRecorder()
    config = {**_config(tmp_path), "solids": {"scale": {"config": {"factor": 2}}}}
    first = execute_pipeline(scaled, run_config=config, instance=recorder)
    config["solids"]["scale"]["config"]["factor"] = 5
    second = reexecute_pipeline(scaled, first.run_id, run_config=config,
                                step_selection=["scale"], instance=recorder)
    assert second.output_for_solid("scale") == 50


def test_failed_mapped_step_is_rerun_alone_and_collect_sees_every_value(fanned, tmp_path):
    recorder = InMemoryRunRecorder()
    FAIL.add("square1")
    parent = execute_pipeline(fanned, run_config=_config(tmp_path), instance=recorder,
                              raise_on_error=False)
    assert not parent.success
    FAIL.clear()
    CALLS.clear()
    child = reexecute_pipeline(fanned, parent.run_id, instance=recorder, from_failure=True)
    assert child.success
    assert CALLS == ["square1", "add_up"]
    assert child.output_for_solid("add_up") == 0 + 1 + 4


def test_mapped_step_selected_by_key(fanned, tmp_path):
    recorder = InMemoryRunRecorder()
    parent = execute_pipeline(fanned, run_config=_config(tmp_path), instance=recorder)
    CALLS.clear()
    reexecute_pipeline(fanned, parent.run_id, step_selection=["square[part2]"],
                       instance=recorder)
    assert CALLS == ["square2"]


def test_unknown_parent_run_is_a_clear_error(linear):
    with pytest.raises(HeadwaterRunNotFoundError, match="No run"):
        reexecute_pipeline(linear, "nope", instance=InMemoryRunRecorder(), from_failure=True)


def test_from_failure_of_a_successful_run_is_an_error(linear, tmp_path):
    recorder = InMemoryRunRecorder()
    first = execute_pipeline(linear, run_config=_config(tmp_path), instance=recorder)
    with pytest.raises(HeadwaterInvalidSubsetError, match="no failed"):
        reexecute_pipeline(linear, first.run_id, instance=recorder, from_failure=True)


def test_run_stopped_by_its_caller_ends_canceled_not_started(linear, tmp_path):
    from headwater import PipelineRunStatus, execute_pipeline_iterator

    recorder = InMemoryRunRecorder()
    events = execute_pipeline_iterator(linear, run_config=_config(tmp_path), instance=recorder)
    first = next(events)
    events.close()
    (run,) = recorder.runs.values()
    assert first.event_type_value == "PIPELINE_START"
    assert run.status == PipelineRunStatus.CANCELED


def test_configured_with_an_env_source_reads_the_variable_only_when_a_run_uses_it(monkeypatch):
    from headwater import ModeDefinition, StringSource, resource

    @resource(config_schema={"url": StringSource})
    def database(init_context):
        return init_context.resource_config["url"]

    monkeypatch.delenv("WAREHOUSE_URL_FOR_TEST", raising=False)
    warehouse = database.configured({"url": {"env": "WAREHOUSE_URL_FOR_TEST"}})

    @solid(required_resource_keys={"db"})
    def read_url(context) -> str:
        return context.resources.db

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"db": warehouse})])
    def uses_env():
        read_url()

    monkeypatch.setenv("WAREHOUSE_URL_FOR_TEST", "sqlite://warehouse")
    assert execute_pipeline(uses_env).output_for_solid("read_url") == "sqlite://warehouse"
