"""Field: required-ness, defaults (given and implicit), and schema shorthand conversion."""

import enum
import typing

import pytest

from headwater.config import (
    Any,
    Array,
    Bool,
    Enum,
    EnumValue,
    Field,
    Float,
    Int,
    Noneable,
    Permissive,
    Selector,
    Shape,
    String,
    convert_potential_field,
    resolve_to_config_type,
)
from headwater.errors import HeadwaterInvalidConfigDefinitionError


def test_field_without_default_is_required():
    field = Field(int)

    assert field.config_type is Int
    assert field.is_required
    assert not field.default_provided


def test_field_with_default_is_optional():
    field = Field(int, default_value=3, description="Rows to read.")

    assert not field.is_required
    assert field.default_provided
    assert field.default_value == 3
    assert field.description == "Rows to read."


def test_field_can_be_optional_without_default():
    field = Field(int, is_required=False)

    assert not field.is_required
    assert not field.default_provided


def test_noneable_field_is_optional_with_default_none():
    field = Field(Noneable(int))

    assert not field.is_required
    assert field.default_provided
    assert field.default_value is None


def test_shape_of_optional_fields_is_optional_with_its_defaults_as_default():
    field = Field({"limit": Field(int, default_value=10), "tag": Field(str, is_required=False)})

    assert not field.is_required
    assert field.default_value == {"limit": 10}


def test_nested_optional_shapes_materialize_nested_defaults():
    field = Field({"outer": {"inner": Field(bool, default_value=True), "note": Noneable(str)}})

    assert field.default_value == {"outer": {"inner": True, "note": None}}


def test_shape_with_a_required_field_is_required():
    assert Field({"path": str, "limit": Field(int, default_value=1)}).is_required


def test_empty_shape_and_permissive_are_optional_with_empty_default():
    assert Field(Shape({})).default_value == {}
    assert Field(dict).default_value == {}


def test_one_field_selector_with_a_default_is_optional():
    field = Field(Selector({"in_process": {"retries": Field(int, default_value=0)}}))

    assert not field.is_required
    assert field.default_value == {"in_process": {"retries": 0}}


def test_one_field_selector_without_default_is_required():
    assert Field(Selector({"path": str})).is_required


def test_selector_of_several_fields_is_required_even_if_all_have_defaults():
    assert Field(Selector({"a": Field(int, default_value=1), "b": {}})).is_required


def test_explicitly_required_field_gets_no_implicit_default():
    field = Field(Noneable(int), is_required=True)

    assert field.is_required
    assert not field.default_provided


def test_default_is_copied_so_later_changes_do_not_leak_in():
    default = {"tags": ["a"]}
    field = Field({"tags": [str]}, default_value=default)

    default["tags"].append("b")

    assert field.default_value == {"tags": ["a"]}


def test_required_field_with_default_is_a_definition_error():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError,
                       match="cannot have both is_required=True and a default_value"):
        Field(int, default_value=3, is_required=True)


def test_callable_default_is_a_definition_error():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match="must be a value"):
        Field(list, default_value=list)


def test_default_not_matching_the_schema_is_a_definition_error_naming_the_problem():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError) as raised:
        Field(int, default_value="ten")

    assert str(raised.value) == ('Invalid default_value for a Field of type Int. Invalid value '
                                 'at default_value: expected Int, received "ten" (str).')


def test_nested_default_errors_name_their_path():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match=r"default_value\.items\[1\]"):
        Field({"items": [int]}, default_value={"items": [1, "two"]})


def test_enum_default_is_the_config_string():
    schema = Enum("Mode", [EnumValue("fast", python_value=1)])

    assert Field(schema, default_value="fast").default_value == "fast"
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match="one of \\[fast\\]"):
        Field(schema, default_value=1)


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"is_required": "yes"}, "is_required"),
    ({"description": 3}, "description"),
])
def test_field_arguments_of_the_wrong_type_are_definition_errors(kwargs, fragment):
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match=fragment):
        Field(int, **kwargs)


def test_field_of_a_field_is_a_definition_error():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match="received another Field"):
        Field(Field(int))


def test_fields_are_immutable():
    with pytest.raises(AttributeError, match="immutable"):
        Field(int).is_required = False


@pytest.mark.parametrize(("shorthand", "expected"), [
    (int, Int),
    (float, Float),
    (str, String),
    (bool, Bool),
    (typing.Any, Any),
    (None, Any),
    (Int, Int),
])
def test_python_types_and_config_types_resolve_to_config_types(shorthand, expected):
    assert resolve_to_config_type(shorthand) is expected


def test_python_list_type_resolves_to_array_of_any():
    config_type = resolve_to_config_type(list)

    assert isinstance(config_type, Array)
    assert config_type.inner_type is Any


def test_python_dict_type_resolves_to_an_empty_permissive():
    config_type = resolve_to_config_type(dict)

    assert isinstance(config_type, Permissive)
    assert dict(config_type.fields) == {}


def test_dict_literal_resolves_to_a_shape_of_fields():
    config_type = resolve_to_config_type({"path": str, "limit": Field(int, default_value=1)})

    assert isinstance(config_type, Shape)
    assert config_type.fields["path"].config_type is String
    assert config_type.fields["limit"].default_value == 1


def test_one_element_list_resolves_to_an_array():
    config_type = resolve_to_config_type([{"name": str}])

    assert isinstance(config_type, Array)
    assert config_type.inner_type.type_name == "Shape{name}"


def test_field_resolves_to_its_config_type():
    assert resolve_to_config_type(Field(str, default_value="x")) is String


def test_convert_potential_field_returns_a_field_as_it_is():
    field = Field(int, default_value=1)

    assert convert_potential_field(field) is field


def test_convert_potential_field_wraps_a_schema_in_a_required_field():
    field = convert_potential_field({"path": str})

    assert field.config_type.type_name == "Shape{path}"
    assert field.is_required


@pytest.mark.parametrize(("shorthand", "type_name"), [
    (int, "Int"),
    (float, "Float"),
    (str, "String"),
    (bool, "Bool"),
    (typing.Any, "Any"),
    (None, "Any"),
    (list, "[Any]"),
    (dict, "Permissive{}"),
    ({"path": str}, "Shape{path}"),
    ([int], "[Int]"),
    (Noneable(int), "Noneable(Int)"),
])
def test_convert_potential_field_accepts_every_shorthand(shorthand, type_name):
    assert convert_potential_field(shorthand).config_type.type_name == type_name


def test_bad_shorthand_error_names_value_context_path_and_what_is_accepted():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError) as raised:
        convert_potential_field({"config": {"limit": 5}}, context='solid "load"')

    message = str(raised.value)
    assert message.startswith(
        'Invalid config schema for solid "load" at config.limit: 5 (int) is not a config schema.'
    )
    assert "a Field" in message
    assert "a one-element list [schema]" in message


def test_list_of_several_schemas_is_a_definition_error():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError,
                       match=r"\[int, str\] is a list of 2 elements"):
        resolve_to_config_type([int, str], context='resource "db"')


class Mode(enum.Enum):
    FAST = 1


def test_python_enum_used_as_a_schema_points_to_from_python_enum():
    with pytest.raises(HeadwaterInvalidConfigDefinitionError,
                       match=r"use Enum.from_python_enum\(Mode\)"):
        Field(Mode)


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda: Shape({1: int}), "field names must be strings"),
    (lambda: Shape([int]), "takes a dict of field names"),
    (lambda: Selector({}), "at least one field"),
])
def test_malformed_dict_schemas_are_definition_errors(make, fragment):
    with pytest.raises(HeadwaterInvalidConfigDefinitionError, match=fragment):
        make()
