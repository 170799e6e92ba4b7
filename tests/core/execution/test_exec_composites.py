"""Composite solids: graphs used as one solid, with mapped inputs, outputs and config."""

import pytest

from headwater import (
    CompositeSolidDefinition,
    CompositeSolidExecutionResult,
    DependencyDefinition,
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvalidInvocationError,
    InputDefinition,
    Output,
    OutputDefinition,
    composite_solid,
    execute_pipeline,
    execute_solid,
    pipeline,
    solid,
)


@solid
def start() -> int:
    return 2


@solid
def times_ten(x: int) -> int:
    return x * 10


@solid(config_schema={"n": int})
def add_n(context, x: int) -> int:
    return x + context.solid_config["n"]


@composite_solid
def inner(x: int):
    return times_ten(x)


@composite_solid
def middle(x: int):
    return inner(x)


@composite_solid
def outer(x: int):
    return middle(x)


@pipeline
def nested():
    outer(start())


def test_composite_input_and_output_mappings_carry_values_through():
    @composite_solid
    def scaled(x: int):
        return times_ten(times_ten.alias("first")(x))

    @pipeline
    def uses_composite():
        scaled(start())

    assert execute_pipeline(uses_composite).result_for_solid("scaled").output_value() == 200


def test_nested_composite_steps_are_keyed_by_dotted_handles():
    result = execute_pipeline(nested)

    assert [e.step_key for e in result.step_event_list if e.is_step_success] == [
        "start", "outer.middle.inner.times_ten"]


def test_result_for_handle_reaches_a_leaf_three_levels_down():
    result = execute_pipeline(nested)

    leaf = result.result_for_handle("outer.middle.inner.times_ten")
    assert leaf.success
    assert leaf.output_value() == 20


def test_output_for_solid_takes_a_dotted_handle():
    assert execute_pipeline(nested).output_for_solid("outer.middle.inner.times_ten") == 20


def test_composite_results_expose_their_mapped_outputs():
    result = execute_pipeline(nested)

    assert result.result_for_solid("outer").output_value() == 20
    assert result.result_for_handle("outer.middle").output_value() == 20
    assert isinstance(result.result_for_solid("outer"), CompositeSolidExecutionResult)


def test_events_for_node_gathers_every_child_step_event():
    result = execute_pipeline(nested)

    keys = {e.step_key for e in result.events_for_node("outer.middle")}
    assert keys == {"outer.middle.inner.times_ten"}


def test_result_for_an_unknown_handle_is_an_error_naming_it():
    with pytest.raises(Exception, match=r"outer\.nope"):
        execute_pipeline(nested).result_for_handle("outer.nope")


def test_children_are_configured_under_the_composite():
    @composite_solid
    def adder(x: int):
        return add_n(x)

    @pipeline
    def configured_children():
        adder(start())

    result = execute_pipeline(configured_children, run_config={
        "solids": {"adder": {"solids": {"add_n": {"config": {"n": 5}}}}}})

    assert result.output_for_solid("adder.add_n") == 7


def test_config_mapping_turns_the_composite_config_into_its_childrens():
    @composite_solid(config_schema={"amount": int},
                     config_fn=lambda config: {"add_n": {"config": {"n": config["amount"]}}})
    def adder(x: int):
        return add_n(x)

    @pipeline
    def mapped_config():
        adder(start())

    result = execute_pipeline(mapped_config,
                              run_config={"solids": {"adder": {"config": {"amount": 3}}}})

    assert result.result_for_solid("adder").output_value() == 5


def test_config_mapping_output_is_validated_with_a_clear_error():
    @composite_solid(config_schema={"amount": int},
                     config_fn=lambda config: {"add_n": {"config": {"n": "many"}}})
    def adder(x: int):
        return add_n(x)

    @pipeline
    def bad_mapping():
        adder(start())

    with pytest.raises(HeadwaterInvalidConfigError) as error:
        execute_pipeline(bad_mapping, run_config={"solids": {"adder": {"config": {"amount": 3}}}})

    message = str(error.value)
    assert 'config_fn of composite solid "adder"' in message
    assert "add_n.config.n" in message


def test_composite_with_config_mapping_validates_its_own_schema():
    @composite_solid(config_schema={"amount": int},
                     config_fn=lambda config: {"add_n": {"config": {"n": config["amount"]}}})
    def adder(x: int):
        return add_n(x)

    @pipeline
    def mapped_config():
        adder(start())

    with pytest.raises(HeadwaterInvalidConfigError, match=r"\"amount\" at solids.adder.config"):
        execute_pipeline(mapped_config, run_config={"solids": {"adder": {"config": {}}}})


def test_composite_input_can_be_loaded_from_config():
    @composite_solid
    def scaled(x: int):
        return times_ten(x)

    @pipeline
    def from_config():
        scaled()

    result = execute_pipeline(from_config, run_config={"solids": {"scaled": {"inputs": {"x": 4}}}})

    assert result.result_for_solid("scaled").output_value() == 40


def test_composite_returning_a_dict_maps_several_outputs():
    @composite_solid
    def both(x: int):
        return {"small": times_ten.alias("a")(x), "large": times_ten.alias("b")(x)}

    result = execute_solid(both, input_values={"x": 1})

    assert result.output_values == {"small": 10, "large": 10}


def test_execute_solid_runs_a_composite_and_returns_its_result():
    @composite_solid
    def adder(x: int):
        return add_n(x)

    result = execute_solid(adder, input_values={"x": 1}, run_config={
        "solids": {"adder": {"solids": {"add_n": {"config": {"n": 1}}}}}})

    assert isinstance(result, CompositeSolidExecutionResult)
    assert result.output_value() == 2
    assert result.output_value_for_solid("add_n") == 2


def test_explicit_composite_definition_maps_inputs_and_outputs():
    composite = CompositeSolidDefinition(
        "explicit", [times_ten],
        input_mappings=[InputDefinition("value", int).mapping_to("times_ten", "x")],
        output_mappings=[OutputDefinition(int, "scaled").mapping_from("times_ten")],
    )

    result = execute_solid(composite, input_values={"value": 3})

    assert result.output_values == {"scaled": 30}


def test_composite_input_not_passed_to_any_child_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"input\(s\) \['unused'\]"):
        @composite_solid
        def wasteful(x: int, unused: int):
            return times_ten(x)


def test_composite_with_config_schema_but_no_config_fn_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="without a config_fn"):
        composite_solid(config_schema={"n": int})


def test_composite_returning_outputs_other_than_declared_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="declares outputs"):
        @composite_solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(int, "b")])
        def mismatched(x: int):
            return {"a": times_ten(x)}


def test_composite_cannot_be_invoked_directly():
    with pytest.raises(HeadwaterInvalidInvocationError, match="execute_solid"):
        inner(1)


def test_output_mapping_from_an_unknown_child_output_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='no such output'):
        CompositeSolidDefinition(
            "bad", [times_ten],
            input_mappings=[InputDefinition("value", int).mapping_to("times_ten", "x")],
            output_mappings=[OutputDefinition(int).mapping_from("times_ten", "nope")],
        )


def test_composite_children_are_wired_by_explicit_dependencies():
    @solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(int, "b")])
    def split(x: int):
        yield Output(x, "a")
        yield Output(x + 1, "b")

    composite = CompositeSolidDefinition(
        "wired", [split, times_ten],
        input_mappings=[InputDefinition("value", int).mapping_to("split", "x")],
        output_mappings=[OutputDefinition(int).mapping_from("times_ten")],
        dependencies={"times_ten": {"x": DependencyDefinition("split", "b")}},
    )

    assert execute_solid(composite, input_values={"value": 1}).output_value() == 20


def test_composite_downstream_of_a_failure_is_neither_successful_nor_skipped():
    @solid
    def explode() -> int:
        raise ValueError("boom")

    @pipeline
    def abandoned():
        inner(explode())

    result = execute_pipeline(abandoned, raise_on_error=False).result_for_solid("inner")

    assert (result.success, result.skipped) == (False, False)


def test_composite_whose_children_were_skipped_is_skipped():
    @solid(output_defs=[OutputDefinition(int, is_required=False)])
    def maybe():
        yield from ()

    @pipeline
    def skipping():
        inner(maybe())

    result = execute_pipeline(skipping).result_for_solid("inner")

    assert result.skipped


def test_composite_input_from_config_is_read_by_the_composite_inputs_loader():
    @solid
    def untyped_child(x):
        return x

    @composite_solid(input_defs=[InputDefinition("x", int)])
    def typed(x):
        return untyped_child(x)

    @pipeline
    def from_config():
        typed()

    result = execute_pipeline(from_config, run_config={"solids": {"typed": {"inputs": {"x": 5}}}})

    assert result.result_for_solid("typed").output_value() == 5
