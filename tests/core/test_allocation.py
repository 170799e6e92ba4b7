"""gc_paused: preparing a big run is not interrupted by automatic garbage collections."""

import gc

import pytest

from headwater import Field, execute_pipeline, pipeline, solid
from headwater.allocation import gc_paused
from headwater.execution.api import resolve_run_args, run_config_schema_for
from headwater.execution.plan import build_execution_plan


@pytest.fixture
def collections():
    """The automatic collections started while the test runs, with a threshold so low that
    any build of a few hundred objects would start some."""
    started = []

    def count(phase, info):
        if phase == "start":
            started.append(info["generation"])

    old = gc.get_threshold()
    gc.callbacks.append(count)
    gc.set_threshold(10, 1, 1)
    try:
        yield started
    finally:
        gc.set_threshold(*old)
        gc.callbacks.remove(count)
        gc.enable()


def _wide_pipeline(solids):
    @solid(config_schema={"factor": Field(int, default_value=1)})
    def start(context):
        return context.solid_config["factor"]

    @solid(config_schema={"factor": Field(int, default_value=1)})
    def scale(context, x):
        return x * context.solid_config["factor"]

    @pipeline
    def wide():
        value = start()
        for index in range(solids):
            scale.alias(f"scale_{index}")(value)

    return wide


def test_collection_is_off_while_the_function_runs_and_back_on_after():
    seen = []
    assert gc.isenabled()
    gc_paused(lambda: seen.append(gc.isenabled()))()
    assert seen == [False]
    assert gc.isenabled()


def test_collection_is_back_on_after_the_function_raised():
    def fails():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        gc_paused(fails)()
    assert gc.isenabled()


def test_collection_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        gc_paused(lambda: None)()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_builds_leave_collection_to_the_outermost():
    seen = []
    inner = gc_paused(lambda: seen.append(gc.isenabled()))

    def outer():
        inner()
        seen.append(gc.isenabled())

    gc_paused(outer)()
    assert seen == [False, False]
    assert gc.isenabled()


def test_schema_validation_and_plan_of_a_big_pipeline_start_no_collection(collections):
    wide = _wide_pipeline(300)
    run_config = {"solids": {f"scale_{i}": {"config": {"factor": 2}} for i in range(300)}}
    args = resolve_run_args(wide, run_config)
    collections.clear()
    schema = run_config_schema_for(args.pipeline, args.mode_def)
    resolved = schema.resolve(args.run_config)
    plan = build_execution_plan(args.pipeline, resolved)
    assert collections == []
    assert len(plan.steps) == 301
    assert gc.isenabled()
    # the fixture does see them: the same plan built without the pause starts collections
    build_execution_plan.__wrapped__(args.pipeline, resolved)
    assert collections != []


def test_a_run_still_runs_with_collection_on_after_it(collections):
    wide = _wide_pipeline(20)
    result = execute_pipeline(wide, {"solids": {"scale_3": {"config": {"factor": 5}}}})
    assert result.success
    assert result.result_for_solid("scale_3").output_value() == 5
    assert gc.isenabled()
