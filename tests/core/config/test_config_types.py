"""The leaf config types (scalars, Any, Enum) and what every config type has in common."""

import enum

import pytest

from headwater.config import (
    Any,
    Array,
    Bool,
    ConfigType,
    Enum,
    EnumValue,
    Float,
    Int,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    String,
    StringSource,
    process_config,
)
from headwater.errors import HeadwaterInvalidConfigDefinitionError


class Color(enum.Enum):
    RED = 1
    GREEN = 2


def value_of(schema, value):
    result = process_config(schema, value)
    assert result.success, result.errors
    return result.value


def only_error(schema, value):
    result = process_config(schema, value)
    assert not result.success
    assert result.value is None
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize(("schema", "value"), [
    (Int, 3), (Int, -7), (Float, 2.5), (String, "text"), (String, ""), (Bool, True),
    (Bool, False),
])
def test_scalar_accepts_its_python_type(schema, value):
    assert value_of(schema, value) == value


@pytest.mark.parametrize(("schema", "value"), [
    (Int, "3"), (Int, 3.0), (Float, "2.5"), (String, 5), (Bool, 1), (Bool, "true"),
])
def test_scalar_refuses_other_types(schema, value):
    error = only_error(schema, value)

    assert error.expected == schema.type_name
    assert error.received == value


@pytest.mark.parametrize("schema", [Int, Float])
def test_bool_is_not_a_number(schema):
    error = only_error(schema, True)

    assert error.message == f"Invalid value at <root>: expected {schema.type_name}, received True (bool)."


def test_float_accepts_an_int_and_makes_it_a_float():
    value = value_of(Float, 3)

    assert value == 3.0
    assert isinstance(value, float)


def test_scalar_mismatch_message_names_expected_and_received():
    error = only_error({"limit": int}, {"limit": "ten"})

    assert error.message == 'Invalid value at limit: expected Int, received "ten" (str).'


def test_none_for_a_scalar_explains_that_a_value_is_needed():
    error = only_error({"limit": int}, {"limit": None})

    assert error.message.startswith("Invalid value at limit: expected Int, received None.")
    assert "needs a value" in error.message


@pytest.mark.parametrize("value", [None, 1, "x", [1, {"a": 2}], {"deep": {"er": 1}}])
def test_any_accepts_every_value_unchanged(value):
    assert value_of(Any, value) is value


def test_enum_maps_config_string_to_python_value():
    schema = Enum("Size", [EnumValue("SMALL", python_value=1), EnumValue("LARGE", python_value=9)])

    assert value_of(schema, "LARGE") == 9


def test_enum_value_without_python_value_stays_a_string():
    assert value_of(Enum("Mode", [EnumValue("fast")]), "fast") == "fast"


def test_enum_from_python_enum_yields_members():
    schema = Enum.from_python_enum(Color)

    assert schema.type_name == "Color"
    assert schema.config_values == ("RED", "GREEN")
    assert value_of(schema, "GREEN") is Color.GREEN


def test_enum_from_python_enum_takes_another_name():
    assert Enum.from_python_enum(Color, name="Paint").type_name == "Paint"


def test_enum_error_lists_allowed_values_and_suggests_the_closest():
    error = only_error(Enum.from_python_enum(Color), "GREN")

    assert error.message == ('Invalid value at <root>: expected one of [RED, GREEN] (enum Color), '
                             'received "GREN" (str). Did you mean "GREEN"?')


def test_enum_suggests_a_value_differing_only_in_case():
    error = only_error(Enum.from_python_enum(Color), "red")

    assert error.message.endswith('Did you mean "RED"?')


def test_enum_refuses_a_value_that_is_not_a_string():
    error = only_error(Enum.from_python_enum(Color), 1)

    assert "received 1 (int)" in error.message
    assert "Did you mean" not in error.message


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda: Enum("", [EnumValue("A")]), "non-empty string as name"),
    (lambda: Enum("E", []), "non-empty list of EnumValue"),
    (lambda: Enum("E", ["A"]), "non-empty list of EnumValue"),
    (lambda: Enum("E", [EnumValue("A"), EnumValue("A")]), "more than once"),
    (lambda: EnumValue(3), "non-empty string as config_value"),
    (lambda: Enum.from_python_enum(int), "needs a Python enum class"),
])
def test_malformed_enum_is_a_definition_error(make, fragment):
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match=fragment):
        make()


@pytest.mark.parametrize(("schema", "name"), [
    (Int, "Int"),
    (Float, "Float"),
    (String, "String"),
    (Bool, "Bool"),
    (Any, "Any"),
    (Array(int), "[Int]"),
    (Array([str]), "[[String]]"),
    (Noneable(int), "Noneable(Int)"),
    (Shape({"a": int, "b": str}), "Shape{a, b}"),
    (Permissive(), "Permissive{}"),
    (Selector({"x": int, "y": int}), "Selector{x, y}"),
    (ScalarUnion(str, {"path": str}), "String | Shape{path}"),
    (StringSource, "StringSource"),
])
def test_type_name_is_readable(schema, name):
    assert schema.type_name == name
    assert repr(schema) == name


def test_type_name_of_a_large_shape_is_shortened():
    name = Shape({f"solid_{i}": int for i in range(100)}).type_name

    assert name.startswith("Shape{solid_0, solid_1,")
    assert name.endswith("... (94 more)}")


def test_config_types_are_immutable():
    shape = Shape({"a": int})

    with pytest.raises(AttributeError, match="immutable"):
        shape.type_name = "other"
    with pytest.raises(TypeError):
        shape.fields["b"] = shape.fields["a"]


def test_every_config_type_is_a_config_type():
    schemas = [Int, Any, Enum.from_python_enum(Color), Shape({}), Selector({"a": int}),
               Array(int), Noneable(int), ScalarUnion(int, [int]), StringSource]

    assert all(isinstance(schema, ConfigType) for schema in schemas)
