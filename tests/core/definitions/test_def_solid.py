"""@solid and @lambda_solid: what a definition infers from the function it decorates."""

import typing

import pytest

from headwater import (
    DynamicOutputDefinition,
    HeadwaterInvalidDefinitionError,
    InputDefinition,
    Nothing,
    OutputDefinition,
    SolidDefinition,
    lambda_solid,
    solid,
)


def input_types(solid_def):
    return {d.name: d.headwater_type.display_name for d in solid_def.input_defs}


def test_bare_solid_is_named_after_its_function():
    @solid
    def load():
        return 1

    assert isinstance(load, SolidDefinition)
    assert load.name == "load"


def test_called_solid_with_no_arguments_is_named_after_its_function():
    @solid()
    def load():
        return 1

    assert load.name == "load"


def test_called_solid_takes_its_name_from_the_name_argument():
    @solid(name="load_orders")
    def load():
        return 1

    assert load.name == "load_orders"


def test_inputs_are_inferred_from_parameters_in_order():
    @solid
    def join(left, right):
        return left + right

    assert join.positional_inputs == ["left", "right"]


def test_input_types_come_from_parameter_hints():
    @solid
    def scale(numbers: typing.List[int], factor: float, label) -> str:  # noqa: UP006
        return label

    assert input_types(scale) == {"numbers": "List[Int]", "factor": "Float", "label": "Any"}


def test_input_default_comes_from_the_parameter_default():
    @solid
    def greet(name: str = "world"):
        return name

    assert greet.input_def_named("name").default_value == "world"
    assert greet.input_def_named("name").has_default_value


def test_explicit_input_definition_wins_over_the_hint():
    @solid(input_defs=[InputDefinition("n", str, description="a label")])
    def show(n: int):
        return n

    assert input_types(show) == {"n": "String"}
    assert show.input_def_named("n").description == "a label"


def test_explicit_input_definition_without_type_keeps_the_hint_and_default():
    @solid(input_defs=[InputDefinition("n", description="how many")])
    def count(n: int = 3):
        return n

    definition = count.input_def_named("n")
    assert definition.headwater_type.display_name == "Int"
    assert definition.default_value == 3
    assert definition.description == "how many"


def test_explicit_nothing_input_is_added_without_a_parameter():
    @solid(input_defs=[InputDefinition("after", Nothing)])
    def report(value: int):
        return value

    assert report.positional_inputs == ["value", "after"]
    assert report.input_def_named("after").is_nothing


def test_nothing_input_that_is_also_a_parameter_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='input "after" is of type Nothing'):
        @solid(input_defs=[InputDefinition("after", Nothing)])
        def report(after):
            return after


def test_explicit_input_without_a_parameter_is_rejected_unless_nothing():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='input "extra" has no parameter'):
        @solid(input_defs=[InputDefinition("extra", int)])
        def report():
            return 1


def test_explicit_input_without_a_parameter_is_allowed_with_kwargs():
    @solid(input_defs=[InputDefinition("extra", int)])
    def report(**kwargs):
        return kwargs["extra"]

    assert report.positional_inputs == ["extra"]


@pytest.mark.parametrize("context_name", ["context", "_", "_context", "context_"])
def test_first_parameter_named_like_a_context_is_the_context(context_name):
    namespace = {"solid": solid}
    exec(f"@solid\ndef s({context_name}, x):\n    return x\n", namespace)
    definition = namespace["s"]

    assert definition.positional_inputs == ["x"]
    assert definition.compute_fn.has_context


def test_solid_without_context_parameter_takes_no_context():
    @solid
    def add(x, y):
        return x + y

    assert add.positional_inputs == ["x", "y"]
    assert not add.compute_fn.has_context


def test_context_named_parameter_after_the_first_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="must come first"):
        @solid
        def add(x, context):
            return x


def test_config_schema_requires_a_context_parameter():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="config_schema"):
        @solid(config_schema={"n": int})
        def add(x):
            return x


def test_description_defaults_to_the_docstring():
    @solid
    def load():
        """Load the orders table."""

    assert load.description == "Load the orders table."


def test_description_argument_wins_over_the_docstring():
    @solid(description="explicit")
    def load():
        """From the docstring."""

    assert load.description == "explicit"


def test_star_args_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"\*rest"):
        @solid
        def gather(first, *rest):
            return first


def test_output_type_comes_from_the_return_annotation():
    @solid
    def count() -> int:
        return 1

    (output,) = count.output_defs
    assert output.name == "result"
    assert output.headwater_type.display_name == "Int"


def test_missing_return_annotation_gives_an_any_output():
    @solid
    def count():
        return 1

    assert count.output_defs[0].headwater_type.display_name == "Any"


def test_generator_return_annotation_does_not_type_the_output():
    @solid
    def produce() -> typing.Iterator[int]:
        yield 1

    assert produce.output_defs[0].headwater_type.display_name == "Any"


def test_single_explicit_output_takes_its_type_from_the_return_annotation():
    @solid(output_defs=[OutputDefinition(name="total", description="sum")])
    def count() -> int:
        return 1

    (output,) = count.output_defs
    assert (output.name, output.headwater_type.display_name, output.description) == (
        "total", "Int", "sum")


def test_single_explicit_dynamic_output_stays_dynamic_when_typed_from_annotation():
    @solid(output_defs=[DynamicOutputDefinition()])
    def fan_out() -> int:
        return 1

    assert fan_out.output_defs[0].is_dynamic
    assert fan_out.output_defs[0].headwater_type.display_name == "Int"


def test_explicit_output_type_wins_over_the_return_annotation():
    @solid(output_defs=[OutputDefinition(str)])
    def count() -> int:
        return 1

    assert count.output_defs[0].headwater_type.display_name == "String"


def test_several_explicit_outputs_are_kept_as_given():
    @solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(str, "b")])
    def split():
        yield

    assert [(o.name, o.headwater_type.display_name) for o in split.output_defs] == [
        ("a", "Int"), ("b", "String")]


def test_two_outputs_with_the_same_name_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='two outputs named "a"'):
        @solid(output_defs=[OutputDefinition(int, "a"), OutputDefinition(str, "a")])
        def split():
            yield


def test_reserved_solid_name_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="reserved"):
        @solid(name="input")
        def load():
            return 1


def test_solid_name_outside_the_name_pattern_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="must match"):
        @solid(name="load-orders")
        def load():
            return 1


def test_input_default_that_fails_its_type_check_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="does not pass the type check"):
        @solid
        def load(n: int = "three"):
            return n


def test_required_resource_keys_as_a_plain_string_is_rejected_with_a_hint():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="Did you mean"):
        @solid(required_resource_keys="db")
        def load(context):
            return 1


def test_tag_values_that_are_not_strings_are_json_encoded():
    @solid(tags={"kind": "sql", "limits": {"cpu": 2}})
    def load():
        return 1

    assert load.tags == {"kind": "sql", "limits": '{"cpu": 2}'}


def test_tag_value_that_does_not_survive_json_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="round trip"):
        @solid(tags={"when": object()})
        def load():
            return 1


def test_lambda_solid_takes_no_context_even_with_a_context_like_name():
    @lambda_solid
    def add(x, y):
        return x + y

    assert add.positional_inputs == ["x", "y"]
    assert not add.compute_fn.has_context


def test_lambda_solid_output_def_is_merged_with_the_return_annotation():
    @lambda_solid(output_def=OutputDefinition(name="total"))
    def add(x, y) -> int:
        return x + y

    (output,) = add.output_defs
    assert (output.name, output.headwater_type.display_name) == ("total", "Int")


def test_configured_solid_gets_a_new_name_and_a_fixed_config():
    @solid(config_schema={"table": str})
    def load(context):
        return context.solid_config["table"]

    load_orders = load.configured({"table": "orders"}, "load_orders")

    assert load_orders.name == "load_orders"
    assert load_orders.resolve_config({}) == {"table": "orders"}


def test_configured_solid_without_a_name_is_rejected():
    @solid(config_schema={"table": str})
    def load(context):
        return 1

    with pytest.raises(HeadwaterInvalidDefinitionError, match="needs a name"):
        load.configured({"table": "orders"}, None)
