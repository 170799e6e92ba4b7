"""execute_solid and the result objects a run returns."""

import pytest

from headwater import (
    HeadwaterInvariantViolationError,
    ModeDefinition,
    Output,
    OutputDefinition,
    ResourceDefinition,
    RetryPolicy,
    execute_pipeline,
    execute_solid,
    pipeline,
    solid,
)


@solid(output_defs=[OutputDefinition(int, "total"), OutputDefinition(int, "count")])
def summarize(numbers: list):
    yield Output(sum(numbers), "total")
    yield Output(len(numbers), "count")


@solid
def mean(total: int, count: int) -> float:
    return total / count


@solid
def numbers() -> list:
    return [1, 2, 3]


@pipeline
def stats():
    total, count = summarize(numbers())
    mean(total, count)


def test_execute_solid_feeds_inputs_by_value():
    result = execute_solid(mean, input_values={"total": 6, "count": 3})

    assert result.success
    assert result.output_value() == 2.0


def test_execute_solid_uses_the_mode_given():
    @solid(required_resource_keys={"rate"})
    def convert(context, amount: int) -> float:
        return amount * context.resources.rate

    mode = ModeDefinition(resource_defs={"rate": ResourceDefinition.hardcoded_resource(2.5)})

    result = execute_solid(convert, mode_def=mode, input_values={"amount": 2})

    assert result.output_value() == 5.0


def test_execute_solid_passes_run_config_to_the_solid():
    @solid(config_schema={"factor": int})
    def scale(context, x: int) -> int:
        return x * context.solid_config["factor"]

    result = execute_solid(scale, input_values={"x": 2},
                           run_config={"solids": {"scale": {"config": {"factor": 4}}}})

    assert result.output_value() == 8


def test_output_values_maps_every_output_name_to_its_value():
    assert execute_solid(summarize, input_values={"numbers": [1, 2]}).output_values == {
        "total": 3, "count": 2}


def test_output_value_of_an_unknown_output_is_an_error_listing_the_outputs():
    result = execute_solid(summarize, input_values={"numbers": [1]})

    with pytest.raises(HeadwaterInvariantViolationError, match=r"\['total', 'count'\]"):
        result.output_value("mean")


def test_output_value_of_a_failed_solid_is_none():
    @solid
    def broken() -> int:
        raise ValueError("no")

    result = execute_solid(broken, raise_on_error=False)

    assert not result.success
    assert result.output_value() is None
    assert result.failure_data.error.cls_name == "ValueError"


def test_compute_output_events_dict_groups_output_events_by_name():
    result = execute_solid(summarize, input_values={"numbers": [1, 2]})

    events = result.compute_output_events_dict
    assert sorted(events) == ["count", "total"]
    assert events["total"][0].step_output_data.output_name == "total"


def test_step_events_are_the_solids_own_events_in_order():
    result = execute_pipeline(stats).result_for_solid("mean")

    assert [e.event_type_value for e in result.step_events] == [
        "STEP_START", "LOADED_INPUT", "STEP_INPUT", "LOADED_INPUT", "STEP_INPUT",
        "STEP_OUTPUT", "HANDLED_OUTPUT", "STEP_SUCCESS"]
    assert result.get_step_success_event().event_specific_data.duration_ms >= 0


def test_pipeline_result_finds_solids_by_name():
    result = execute_pipeline(stats)

    assert result.result_for_solid("mean").output_value() == 2.0
    assert [r.solid_handle for r in result.solid_result_list] == ["numbers", "summarize", "mean"]


def test_result_for_an_unknown_solid_is_an_error_naming_it_and_the_pipeline():
    with pytest.raises(HeadwaterInvariantViolationError,
                       match="Tried to get result for solid 'median' in 'stats'"):
        execute_pipeline(stats).result_for_solid("median")


def test_pipeline_result_groups_step_events_by_step_key():
    result = execute_pipeline(stats)

    assert list(result.events_by_step_key) == ["numbers", "summarize", "mean"]
    assert all(e.step_key is not None for e in result.step_event_list)
    assert len(result.event_list) == len(result.step_event_list) + 2


def test_pipeline_output_values_are_by_handle_and_output_name():
    assert execute_pipeline(stats).output_values == {
        "numbers": {"result": [1, 2, 3]}, "summarize": {"total": 6, "count": 3},
        "mean": {"result": 2.0}}


def test_output_for_solid_reads_a_named_output():
    assert execute_pipeline(stats).output_for_solid("summarize", "count") == 3


def test_output_yielded_before_the_step_failed_is_not_a_result_value():
    @solid(output_defs=[OutputDefinition(int, "first"), OutputDefinition(int, "second")])
    def half_done():
        yield Output(1, "first")
        raise ValueError("failed before the second output")

    result = execute_solid(half_done, raise_on_error=False)

    assert result.output_values == {}
    assert result.output_value("first") is None


def test_output_of_a_retried_attempt_is_not_a_result_value():
    @solid(output_defs=[OutputDefinition(int, is_required=False)],
           retry_policy=RetryPolicy(max_retries=1))
    def sometimes(context):
        if context.retry_number == 0:
            yield Output(1)
            raise ValueError("failed after yielding")

    result = execute_solid(sometimes)

    assert result.success
    assert result.output_values == {}
