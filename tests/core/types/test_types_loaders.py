"""Loaders build an unconnected input's value from its run config."""

import json
import pickle
from types import SimpleNamespace

import pytest

from headwater.config import ConfigType, process_config
from headwater.errors import HeadwaterInvalidConfigError, HeadwaterInvalidDefinitionError
from headwater.types import (
    Any,
    Bool,
    Dict,
    Float,
    Int,
    List,
    Nothing,
    Optional,
    PythonObjectHeadwaterType,
    Set,
    String,
    Tuple,
    headwater_type_loader,
)


def load(headwater_type, config_value, context=None):
    """Validate ``config_value`` as run config would, then build the value from it."""
    loader = headwater_type.loader
    result = process_config(loader.schema_type, config_value)
    assert result.success, result.errors
    return loader.construct_from_config_value(context, result.value)


def config_is_valid(headwater_type, config_value):
    return process_config(headwater_type.loader.schema_type, config_value).success


@pytest.fixture
def json_file(tmp_path):
    def write(document):
        path = tmp_path / "value.json"
        path.write_text(json.dumps(document))
        return str(path)

    return write


@pytest.fixture
def pickle_file(tmp_path):
    def write(value):
        path = tmp_path / "value.pickle"
        path.write_bytes(pickle.dumps(value))
        return str(path)

    return write


@pytest.mark.parametrize(("headwater_type", "value"), [
    (Int, 5), (Float, 2.5), (String, "text"), (Bool, True),
])
def test_a_scalar_is_loaded_from_an_inline_value(headwater_type, value):
    assert load(headwater_type, value) == value


@pytest.mark.parametrize(("headwater_type", "value"), [
    (Int, 5), (Float, 2.5), (String, "text"), (Bool, False),
])
def test_a_scalar_is_loaded_from_a_value_entry(headwater_type, value):
    assert load(headwater_type, {"value": value}) == value


def test_a_scalar_is_loaded_from_a_json_file_holding_a_value_key(json_file):
    assert load(Int, {"json": {"path": json_file({"value": 7})}}) == 7


def test_a_scalar_is_loaded_from_a_pickle_file(pickle_file):
    assert load(String, {"pickle": {"path": pickle_file("pickled")}}) == "pickled"


def test_a_scalar_of_the_wrong_type_is_invalid_config():
    assert not config_is_valid(Int, "five")


def test_a_scalar_value_entry_of_the_wrong_type_is_invalid_config():
    assert not config_is_valid(Int, {"value": "five"})


def test_two_sources_at_once_are_invalid_config(json_file):
    assert not config_is_valid(Int, {"value": 1, "json": {"path": json_file({"value": 2})}})


def test_any_is_loaded_from_a_value_entry():
    assert load(Any, {"value": {"nested": [1, 2]}}) == {"nested": [1, 2]}


def test_any_is_loaded_from_a_json_file(json_file):
    assert load(Any, {"json": {"path": json_file({"value": [1, "a"]})}}) == [1, "a"]


def test_any_is_loaded_from_a_pickle_file(pickle_file):
    assert load(Any, {"pickle": {"path": pickle_file({1, 2})}}) == {1, 2}


def test_any_needs_a_source_rather_than_a_bare_value():
    assert not config_is_valid(Any, 5)


def test_a_json_file_without_a_value_key_is_reported_with_its_path(json_file):
    path = json_file({"rows": 3})

    with pytest.raises(HeadwaterInvalidConfigError, match='"value" key') as raised:
        load(Int, {"json": {"path": path}})

    assert path in str(raised.value)


def test_a_missing_json_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(Int, {"json": {"path": str(tmp_path / "absent.json")}})


def test_a_list_is_loaded_item_by_item_in_each_items_form(json_file):
    assert load(List[Int], [1, {"value": 2}, {"json": {"path": json_file({"value": 3})}}]) == [
        1, 2, 3,
    ]


def test_a_list_item_of_the_wrong_type_is_invalid_config():
    assert not config_is_valid(List[Int], [1, "two"])


def test_an_optional_is_loaded_from_none():
    assert load(Optional[Int], None) is None


def test_an_optional_is_loaded_from_the_inner_form():
    assert load(Optional[Int], {"value": 4}) == 4


def test_a_list_of_optionals_is_loaded():
    assert load(List[Optional[String]], ["a", None]) == ["a", None]


def test_a_dict_is_loaded_from_an_inline_dict():
    assert load(Dict[String, Int], {"a": 1, "b": 2}) == {"a": 1, "b": 2}


@pytest.mark.parametrize("headwater_type", [Nothing, Set[Int], Tuple[Int, ...], List[Nothing]])
def test_types_without_a_config_form_have_no_loader(headwater_type):
    assert headwater_type.loader is None


def test_a_decorated_function_becomes_a_loader_with_its_schema(tmp_path):
    @headwater_type_loader({"path": str})
    def load_lines(_context, config_value):
        with open(config_value["path"]) as lines:
            return lines.read().splitlines()

    Lines = PythonObjectHeadwaterType(list, name="Lines", loader=load_lines)
    path = tmp_path / "lines.txt"
    path.write_text("a\nb\n")

    assert isinstance(load_lines.schema_type, ConfigType)
    assert load(Lines, {"path": str(path)}) == ["a", "b"]


def test_a_custom_loader_composes_into_list_and_optional_loaders():
    @headwater_type_loader(int)
    def load_celsius(_context, config_value):
        return float(config_value)

    Celsius = PythonObjectHeadwaterType(float, name="Celsius", loader=load_celsius)

    assert load(List[Celsius], [1, 2]) == [1.0, 2.0]
    assert load(Optional[Celsius], 3) == 3.0


def test_a_loader_receives_the_context_with_its_resources():
    @headwater_type_loader(str, required_resource_keys={"users"})
    def load_user(context, config_value):
        return context.resources.users[config_value]

    User = PythonObjectHeadwaterType(dict, name="User", loader=load_user)
    context = SimpleNamespace(resources=SimpleNamespace(users={"ada": {"id": 1}}))

    assert load_user.required_resource_keys == frozenset({"users"})
    assert load(User, "ada", context) == {"id": 1}


def test_a_list_loader_needs_the_resources_of_its_item_loader():
    @headwater_type_loader(str, required_resource_keys={"users"})
    def load_user(context, config_value):
        return context.resources.users[config_value]

    User = PythonObjectHeadwaterType(dict, name="User", loader=load_user)

    assert List[User].loader.required_resource_keys == frozenset({"users"})


def test_a_loader_function_with_the_wrong_signature_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="exactly two positional arguments"):
        @headwater_type_loader(str)
        def load_name(config_value):
            return config_value
