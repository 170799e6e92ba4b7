"""Every event a run records survives serialization: what a persistent instance stores is
what it reads back."""

import dataclasses

import pytest

from headwater import (
    AssetMaterialization,
    DynamicOutput,
    DynamicOutputDefinition,
    ExpectationResult,
    Failure,
    MetadataValue,
    ModeDefinition,
    Output,
    OutputDefinition,
    PipelineRun,
    PipelineRunStatus,
    RetryPolicy,
    execute_pipeline,
    failure_hook,
    pipeline,
    resource,
    solid,
    success_hook,
)
from headwater.execution import events as event_module
from headwater.execution.recorder import InMemoryRunRecorder
from headwater.serdes import deserialize, serialize


@success_hook
def fine_hook(context):
    pass


@failure_hook
def raising_hook(context):
    raise RuntimeError("hook failed")


@solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(int, "b", is_required=False)])
def rich(context):
    context.log.info("a log line")
    yield AssetMaterialization(["db", "orders"], description="written", partition="2024-01-01",
                               tags={"team": "data"},
                               metadata={"rows": 3, "link": MetadataValue.url("https://x"),
                                         "schema": {"id": "int"}, "ratio": 0.5})
    yield ExpectationResult(False, "unique", description="dupes", metadata={"dupes": 2})
    yield Output(1, "a", metadata={"note": "first"})


@solid
def skipped(x):
    return x


@solid(retry_policy=RetryPolicy(max_retries=1))
def failing(context, x: int):
    if context.retry_number == 0:
        raise ValueError("first attempt fails")
    raise Failure("gave up", metadata={"x": x})


@solid(output_defs=[DynamicOutputDefinition(int)])
def fan_out():
    yield DynamicOutput(1, mapping_key="one")


@pipeline(hook_defs={fine_hook, raising_hook})
def everything():
    a, b = rich()
    skipped(b)
    failing(a)
    fan_out()


@resource
def broken_resource():
    raise ConnectionError("no database")


@solid(required_resource_keys={"db"})
def uses_db(context):
    return 1


@pipeline(mode_defs=[ModeDefinition(resource_defs={"db": broken_resource})])
def cannot_start():
    uses_db()


def recorded_entries(pipeline_def):
    recorder = InMemoryRunRecorder()
    result = execute_pipeline(pipeline_def, instance=recorder, raise_on_error=False)
    return recorder.all_logs(result.run_id)


ENTRIES = recorded_entries(everything) + recorded_entries(cannot_start)


def event_data_classes():
    return {cls for cls in vars(event_module).values()
            if dataclasses.is_dataclass(cls) and cls.__module__ == event_module.__name__
            and cls.__name__.endswith("Data")}


def test_the_runs_above_produce_every_kind_of_event_data():
    produced = {type(entry.headwater_event.event_specific_data) for entry in ENTRIES
                if entry.is_headwater_event}
    nested = {event_module.TypeCheckData, event_module.UserFailureData}

    assert event_data_classes() - nested <= produced


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: (
    entry.headwater_event.event_type_value if entry.is_headwater_event else "LOG_LINE"))
def test_event_log_entry_round_trips(entry):
    restored = deserialize(serialize(entry))

    assert restored == entry
    assert type(restored.headwater_event) is type(entry.headwater_event)
    if entry.is_headwater_event:
        assert type(restored.headwater_event.event_specific_data) is type(
            entry.headwater_event.event_specific_data)


def test_pipeline_run_round_trips_with_its_status_enum():
    run = PipelineRun("run-1", "everything", run_config={"solids": {"x": {"config": [1]}}},
                      status=PipelineRunStatus.FAILURE, tags={"team": "data"},
                      solid_selection=["*x"])

    restored = deserialize(serialize(run))

    assert restored == run
    assert restored.status is PipelineRunStatus.FAILURE
