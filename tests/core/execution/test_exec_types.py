"""Runtime types in a run: input and output type checks, and inputs loaded from config."""

import json
import pickle

import pytest

from headwater import (
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    HeadwaterType,
    HeadwaterTypeCheckDidNotPass,
    InputDefinition,
    List,
    ModeDefinition,
    PythonObjectHeadwaterType,
    ResourceDefinition,
    TypeCheck,
    execute_pipeline,
    execute_solid,
    headwater_type_loader,
    pipeline,
    solid,
)


@solid
def untyped():
    return "not a number"


@solid
def needs_int(x: int) -> int:
    return x + 1


@pipeline
def mismatched():
    needs_int(untyped())


def test_input_type_check_failure_fails_the_step_naming_input_and_type():
    result = execute_pipeline(mismatched, raise_on_error=False)

    failed = result.result_for_solid("needs_int")
    assert not failed.success
    assert failed.failure_data.error.message.startswith(
        'headwater.errors.HeadwaterTypeCheckDidNotPass: Type check failed for step input "x" - '
        'expected type "Int".')


def test_input_type_check_failure_records_the_failed_input_event():
    result = execute_pipeline(mismatched, raise_on_error=False)

    event = result.result_for_solid("needs_int").compute_input_event_dict["x"]
    assert event.message == 'Got input "x" of type "Int". (Type check failed).'
    assert event.event_specific_data.type_check_data.success is False


def test_input_type_check_failure_raises_the_type_check_error():
    with pytest.raises(HeadwaterTypeCheckDidNotPass, match='step input "x"'):
        execute_pipeline(mismatched)


def test_output_type_check_failure_fails_the_step_naming_the_output():
    @solid
    def wrong() -> int:
        return "text"

    result = execute_solid(wrong, raise_on_error=False)

    assert 'Type check failed for step output "result" - expected type "Int"' in (
        result.failure_data.error.message)
    assert result.output_value() is None


def _positive(_context, value):
    return TypeCheck(value > 0, description=f"{value} is not positive",
                     metadata={"checked": value})


Positive = HeadwaterType(_positive, name="Positive")


def test_custom_type_check_description_and_metadata_reach_the_input_event():
    @solid(input_defs=[InputDefinition("n", Positive)])
    def use(n):
        return n

    @solid
    def negative():
        return -1

    @pipeline
    def checked():
        use(negative())

    result = execute_pipeline(checked, raise_on_error=False)

    failed = result.result_for_solid("use")
    assert failed.failure_data.error.message.endswith("-1 is not positive")
    data = failed.compute_input_event_dict["n"].event_specific_data.type_check_data
    assert data.metadata["checked"].value == -1


@solid
def add(x: int, ys: List[int]) -> int:
    return x + sum(ys)


@pipeline
def from_config():
    add()


def run_add(x_config, ys_config=()):
    result = execute_pipeline(from_config, run_config={
        "solids": {"add": {"inputs": {"x": x_config, "ys": list(ys_config)}}}})
    return result.result_for_solid("add").output_value()


def test_unconnected_scalar_input_loads_a_plain_value_from_config():
    assert run_add(5) == 5


def test_unconnected_scalar_input_loads_a_value_selector_from_config():
    assert run_add({"value": 5}) == 5


def test_unconnected_input_loads_from_a_json_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"value": 7}))

    assert run_add({"json": {"path": str(path)}}) == 7


def test_unconnected_input_loads_from_a_pickle_file(tmp_path):
    path = tmp_path / "x.pkl"
    path.write_bytes(pickle.dumps(9))

    assert run_add({"pickle": {"path": str(path)}}) == 9


def test_unconnected_list_input_loads_each_item_with_the_inner_loader():
    assert run_add(0, [1, {"value": 2}, 3]) == 6


def test_input_config_of_the_wrong_type_is_a_config_error_with_its_path():
    with pytest.raises(HeadwaterInvalidConfigError, match=r"solids\.add\.inputs\.x"):
        run_add("five")


def test_unconnected_input_without_config_is_a_config_error():
    with pytest.raises(HeadwaterInvalidConfigError, match=r"\"inputs\" at solids\.add"):
        execute_pipeline(from_config, run_config={"solids": {"add": {}}})


def test_input_with_a_default_needs_no_config():
    @solid
    def greet(name: str = "world") -> str:
        return f"hello {name}"

    assert execute_solid(greet).output_value() == "hello world"


def test_input_config_wins_over_the_default():
    @solid
    def greet(name: str = "world") -> str:
        return f"hello {name}"

    result = execute_solid(greet, run_config={"solids": {"greet": {"inputs": {"name": "ada"}}}})

    assert result.output_value() == "hello ada"


def test_loader_gets_the_resources_it_declares_even_if_the_solid_does_not():
    @headwater_type_loader(config_schema=str, required_resource_keys={"warehouse"})
    def load_table(context, table):
        return f"{context.resources.warehouse}.{table}"

    Table = PythonObjectHeadwaterType(str, name="Table", loader=load_table)

    @solid
    def use(table: Table):
        return table

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "warehouse": ResourceDefinition.hardcoded_resource("dwh")})])
    def loaded():
        use()

    result = execute_pipeline(loaded, run_config={"solids": {"use": {"inputs": {"table": "orders"}}}})

    assert result.result_for_solid("use").output_value() == "dwh.orders"


def test_type_check_gets_the_resources_its_type_declares():
    def known_id(context, value):
        return value in context.resources.registry

    KnownId = HeadwaterType(known_id, name="KnownId", required_resource_keys={"registry"})

    @solid
    def produce() -> KnownId:
        return "a"

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "registry": ResourceDefinition.hardcoded_resource({"a", "b"})})])
    def checked():
        produce()

    assert execute_pipeline(checked).success


def test_type_check_resources_must_be_provided_by_every_mode():
    KnownId = HeadwaterType(lambda context, value: True, name="KnownId",
                            required_resource_keys={"registry"})

    @solid
    def produce() -> KnownId:
        return "a"

    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match='the type of output "result" of solid "produce" requires resource'):
        @pipeline
        def unchecked():
            produce()
