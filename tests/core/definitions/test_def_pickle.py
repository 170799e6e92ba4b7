"""Definitions cross processes by value: pickled, they come back whole and still frozen.

A pipeline built inside a function (a test, a notebook cell) has no code another process
can import; cloudpickle sends it by value (a notebook solid's kernel gets it so). Frozen
objects with ``__slots__`` (config schemas, Headwater types and their loaders and
materializers) refuse ``setattr``, which pickle uses to restore slots: they restore
themselves. Core's own definitions hold lambdas (the default IO manager and logger) and
read-only mappings (a config Shape's fields), which only cloudpickle serializes: the
standard pickle takes the frozen parts built from importable functions, not a whole
pipeline.
"""

from __future__ import annotations

import pickle

import cloudpickle
import pytest

from headwater import (
    Enum,
    EnumValue,
    Field,
    HeadwaterType,
    InputDefinition,
    ModeDefinition,
    Noneable,
    OutputDefinition,
    execute_pipeline,
    pipeline,
    resource,
    solid,
)
from headwater.config import Array, resolve_to_config_type
from headwater.types.loaders import HeadwaterTypeLoader
from headwater.types.materializers import HeadwaterTypeMaterializer


def _build_pipeline():
    offset = 100  # closed over: only a by-value pipeline carries it

    @resource(config_schema={"factor": Field(int, default_value=2)})
    def multiplier(init_context):
        return init_context.resource_config["factor"]

    @solid(config_schema={"start": Noneable(int)}, required_resource_keys={"multiplier"})
    def start(context) -> int:
        return (context.solid_config["start"] or 0) * context.resources.multiplier

    @solid(input_defs=[InputDefinition("number", int)], output_defs=[OutputDefinition(int)])
    def shift(_context, number):
        return number + offset

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"multiplier": multiplier})])
    def built_in_a_function():
        shift(start())

    return built_in_a_function


RUN_CONFIG = {"solids": {"start": {"config": {"start": 5}}}}


def test_a_pipeline_built_inside_a_function_round_trips_through_cloudpickle():
    original = _build_pipeline()
    copy = pickle.loads(cloudpickle.dumps(original))
    assert copy is not original
    assert copy.name == "built_in_a_function"
    assert execute_pipeline(copy, run_config=RUN_CONFIG).result_for_solid(
        "shift").output_value() == 5 * 2 + 100


def test_a_pipeline_unpickled_is_still_frozen():
    copy = pickle.loads(cloudpickle.dumps(_build_pipeline()))
    with pytest.raises(AttributeError, match='Pipeline "built_in_a_function" is frozen'):
        copy.name = "renamed"


def _is_even(_context, value):
    return isinstance(value, int) and value % 2 == 0


def _load_even(_context, config_value):
    return config_value


def _write_even(_context, _config_value, _value):
    return None


def test_a_config_schema_round_trips_through_cloudpickle_and_stays_frozen():
    schema = resolve_to_config_type(
        {"name": Field(str, description="who"), "limit": Field(Noneable(int), default_value=3),
         "colour": Enum("Colour", [EnumValue("red"), EnumValue("blue")])})
    copy = pickle.loads(cloudpickle.dumps(schema))
    assert copy.type_name == schema.type_name
    assert sorted(copy.fields) == ["colour", "limit", "name"]
    with pytest.raises(AttributeError, match="immutable"):
        copy.type_name = "Other"


def test_config_types_without_fields_round_trip_through_the_standard_pickle():
    schema = Array(Noneable(Enum("Colour", [EnumValue("red"), EnumValue("blue")])))
    copy = pickle.loads(pickle.dumps(schema))
    assert copy.type_name == schema.type_name


def test_a_headwater_type_built_from_importable_functions_round_trips_through_the_standard_pickle():
    even = HeadwaterType(_is_even, name="Even", loader=HeadwaterTypeLoader(int, _load_even),
                         materializer=HeadwaterTypeMaterializer(str, _write_even))
    copy = pickle.loads(pickle.dumps(even))
    assert copy.name == "Even"
    assert copy.loader.schema_type.type_name == "Int"
    assert copy.materializer.schema_type.type_name == "String"
    with pytest.raises(AttributeError, match="immutable"):
        copy.name = "Odd"


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_builtin_types_come_back_as_the_builtins_themselves(dumps):
    from headwater.types import builtins

    for name in ("Any", "Int", "Float", "String", "Bool", "Nothing"):
        builtin = getattr(builtins, name)
        assert pickle.loads(dumps(builtin)) is builtin


def test_a_pipeline_sent_by_value_holds_this_process_builtin_types():
    from headwater.types import builtins

    copy = pickle.loads(cloudpickle.dumps(_build_pipeline()))
    shift = copy.solid_named("shift").definition
    assert shift.input_dict["number"].headwater_type is builtins.Int
    assert shift.output_dict["result"].headwater_type is builtins.Int
