"""Calling a solid directly, outside any pipeline, as a unit test would."""

import asyncio

import pytest

from headwater import (
    HeadwaterInvalidConfigError,
    HeadwaterInvalidInvocationError,
    Output,
    ResourceDefinition,
    SolidDefinition,
    build_solid_context,
    resource,
    solid,
)


@solid
def add(x, y=10):
    return x + y


@solid(config_schema={"factor": int})
def scale(context, x):
    return x * context.solid_config["factor"]


def test_solid_without_context_is_called_with_its_inputs():
    assert add(1, 2) == 3


def test_inputs_can_be_passed_by_name():
    assert add(y=2, x=1) == 3


def test_input_default_is_used_when_not_passed():
    assert add(1) == 11


def test_missing_input_is_an_invocation_error_naming_it():
    with pytest.raises(HeadwaterInvalidInvocationError, match='input "x"'):
        add()


def test_unknown_input_name_is_an_invocation_error():
    with pytest.raises(HeadwaterInvalidInvocationError, match='no input "z"'):
        add(1, z=2)


def test_too_many_positional_values_is_an_invocation_error():
    with pytest.raises(HeadwaterInvalidInvocationError, match="3 positional values"):
        add(1, 2, 3)


def test_context_passed_to_a_solid_without_context_is_an_invocation_error():
    with pytest.raises(HeadwaterInvalidInvocationError, match="takes no context"):
        add(build_solid_context(), 1)


def test_solid_with_context_called_without_one_is_an_invocation_error():
    with pytest.raises(HeadwaterInvalidInvocationError, match="takes a context"):
        scale()


def test_config_on_the_context_reaches_solid_config():
    assert scale(build_solid_context(config={"factor": 3}), 2) == 6


def test_config_on_the_context_is_validated_against_the_schema():
    with pytest.raises(HeadwaterInvalidConfigError, match='solid "scale"') as error:
        scale(build_solid_context(config={"factor": "three"}), 2)

    assert "factor" in str(error.value)


def test_none_as_context_builds_an_empty_one():
    @solid
    def identity(context, x):
        return (x, context.solid_config)

    assert identity(None, 5) == (5, None)


def test_none_as_context_fails_when_the_config_schema_needs_values():
    with pytest.raises(HeadwaterInvalidConfigError, match='Missing required config entry "factor"'):
        scale(None, 2)


def test_plain_resource_values_are_available_on_the_context():
    @solid(required_resource_keys={"db"})
    def query(context):
        return context.resources.db

    assert query(build_solid_context(resources={"db": "connection"})) == "connection"


def test_missing_resource_is_an_invocation_error_naming_the_key():
    @solid(required_resource_keys={"db"})
    def query(context):
        return context.resources.db

    with pytest.raises(HeadwaterInvalidInvocationError, match=r"\['db'\]"):
        query(build_solid_context())


def test_resource_definitions_given_to_the_context_are_built():
    @solid(required_resource_keys={"db"})
    def query(context):
        return context.resources.db

    db = ResourceDefinition.hardcoded_resource("built")

    assert query(build_solid_context(resources={"db": db})) == "built"


def test_generator_resources_are_torn_down_when_the_context_block_ends():
    calls = []

    @resource
    def db():
        calls.append("open")
        yield "connection"
        calls.append("close")

    @solid(required_resource_keys={"db"})
    def query(context):
        calls.append(f"use {context.resources.db}")

    with build_solid_context(resources={"db": db}) as context:
        query(context)
        assert calls == ["open", "use connection"]

    assert calls == ["open", "use connection", "close"]


def test_solid_can_only_see_the_resources_it_required():
    @solid(required_resource_keys={"db"})
    def query(context):
        return context.resources.cache

    with pytest.raises(Exception, match='Resource "cache" is not available'):
        query(build_solid_context(resources={"db": 1, "cache": 2}))


def test_async_solid_is_run_to_completion():
    @solid
    async def fetch(x):
        await asyncio.sleep(0)
        return x + 1

    assert fetch(1) == 2


def test_generator_solid_returns_its_generator():
    @solid
    def produce(x):
        yield Output(x)

    assert [o.value for o in produce(3)] == [3]


def test_solid_built_from_a_raw_compute_fn_cannot_be_invoked_directly():
    raw = SolidDefinition("raw", [], lambda context, inputs: 1, [])

    with pytest.raises(HeadwaterInvalidInvocationError, match="execute_solid"):
        raw()
