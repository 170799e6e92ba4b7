"""How a solid's returned and yielded values become its outputs, and what a mistake in them
does to the step."""

import asyncio

import pytest

from headwater import (
    HeadwaterInvariantViolationError,
    HeadwaterStepOutputNotFoundError,
    InputDefinition,
    Nothing,
    Output,
    OutputDefinition,
    SolidDefinition,
    execute_pipeline,
    execute_solid,
    pipeline,
    solid,
)

TWO_OUTPUTS = [OutputDefinition(int, "a"), OutputDefinition(int, "b")]


def failure_message(result):
    return result.failure_data.error.message


def test_returned_value_is_the_result_output():
    @solid
    def count() -> int:
        return 3

    assert execute_solid(count).output_value() == 3


def test_returned_output_object_is_unwrapped():
    @solid
    def count():
        return Output(3, metadata={"rows": 3})

    result = execute_solid(count)

    assert result.output_value() == 3
    (event,) = result.get_output_events_for_compute()
    assert event.step_output_data.metadata["rows"].value == 3


def test_generator_solid_yields_its_output():
    @solid
    def count():
        yield Output(3)

    assert execute_solid(count).output_value() == 3


def test_multiple_outputs_are_yielded_by_name():
    @solid(output_defs=TWO_OUTPUTS)
    def split():
        yield Output(1, "a")
        yield Output(2, "b")

    assert execute_solid(split).output_values == {"a": 1, "b": 2}


def test_multi_output_handles_unpack_in_a_composition_function():
    @solid(output_defs=TWO_OUTPUTS)
    def split():
        yield Output(1, "a")
        yield Output(2, "b")

    @solid
    def subtract(x, y):
        return x - y

    @pipeline
    def arithmetic():
        a, b = split()
        subtract(b, a)

    assert execute_pipeline(arithmetic).result_for_solid("subtract").output_value() == 1


def test_async_solid_result_is_its_output():
    @solid
    async def fetch() -> int:
        await asyncio.sleep(0)
        return 4

    assert execute_solid(fetch).output_value() == 4


def test_async_generator_solid_yields_its_outputs():
    @solid(output_defs=TWO_OUTPUTS)
    async def fetch():
        yield Output(1, "a")
        await asyncio.sleep(0)
        yield Output(2, "b")

    assert execute_solid(fetch).output_values == {"a": 1, "b": 2}


def test_missing_required_output_fails_the_step_naming_it():
    @solid(output_defs=TWO_OUTPUTS)
    def split():
        yield Output(1, "a")

    result = execute_solid(split, raise_on_error=False)

    assert not result.success
    assert ('Core compute for solid "split" did not return an output for non-optional '
            'output "b"') in failure_message(result)


def test_missing_required_output_raises_the_framework_error():
    @solid(output_defs=TWO_OUTPUTS)
    def split():
        yield Output(1, "a")

    with pytest.raises(HeadwaterStepOutputNotFoundError):
        execute_solid(split)


def test_unknown_output_name_fails_the_step_listing_the_outputs():
    @solid
    def count():
        yield Output(1, "total")

    result = execute_solid(count, raise_on_error=False)

    assert ('returned an output "total" that does not exist. The available outputs are '
            "['result']") in failure_message(result)


def test_output_yielded_twice_fails_the_step():
    @solid
    def count():
        yield Output(1)
        yield Output(2)

    result = execute_solid(count, raise_on_error=False)

    assert 'returned an output "result" multiple times' in failure_message(result)


def test_returning_a_plain_value_from_a_multi_output_solid_fails_the_step():
    @solid(output_defs=TWO_OUTPUTS)
    def split():
        return 5

    with pytest.raises(HeadwaterInvariantViolationError, match="has 2 outputs"):
        execute_solid(split)


def test_yielding_something_that_is_not_an_event_fails_the_step():
    @solid
    def count():
        yield 5

    result = execute_solid(count, raise_on_error=False)

    assert "yielded 5 (int)" in failure_message(result)


def test_optional_output_not_yielded_lets_the_step_succeed():
    @solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(int, "b", is_required=False)])
    def split():
        yield Output(1, "a")

    result = execute_solid(split)

    assert result.success
    assert result.output_values == {"a": 1}


def test_step_fed_by_an_optional_output_not_yielded_is_skipped_and_skipping_propagates():
    @solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(int, "b", is_required=False)])
    def split():
        yield Output(1, "a")

    @solid
    def use(x):
        return x

    @solid
    def after(x):
        return x

    @pipeline
    def optional_branch():
        _a, b = split()
        after(use(b))

    result = execute_pipeline(optional_branch)

    assert result.success
    assert result.result_for_solid("use").skipped
    assert result.result_for_solid("after").skipped
    skipped = [e for e in result.event_list if e.is_step_skipped]
    assert [e.step_key for e in skipped] == ["use", "after"]
    assert skipped[0].message == "Skipping step use due to skipped dependencies: ['split']."


def test_nothing_output_is_emitted_without_being_yielded():
    @solid(output_defs=[OutputDefinition(Nothing)])
    def side_effect():
        pass

    result = execute_solid(side_effect)

    assert "result" in result.compute_output_events_dict


def test_returned_iterator_is_a_value_not_a_stream_of_events():
    @solid
    def rows():
        return iter([1, 2, 3])

    result = execute_solid(rows)

    assert list(result.output_value()) == [1, 2, 3]


def test_solid_definition_compute_fn_gets_the_context_and_a_dict_of_inputs():
    def compute(context, inputs):
        yield Output(inputs["x"] * context.solid_config["factor"])

    scale = SolidDefinition("scale", [InputDefinition("x", int)], compute,
                            [OutputDefinition(int)], config_schema={"factor": int})

    result = execute_solid(scale, input_values={"x": 2},
                           run_config={"solids": {"scale": {"config": {"factor": 3}}}})

    assert result.output_value() == 6
