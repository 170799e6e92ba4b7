"""Definitions refuse changes once built: a change would reach every pipeline, mode and
run that shares the definition. What changes is a new definition."""

from __future__ import annotations

import logging

import pytest

from headwater import (
    InputDefinition,
    LoggerDefinition,
    ModeDefinition,
    OutputDefinition,
    PartitionSetDefinition,
    PresetDefinition,
    composite_solid,
    execute_pipeline,
    in_process_executor,
    io_manager,
    mem_io_manager,
    pipeline,
    repository,
    resource,
    schedule,
    sensor,
    solid,
    static_partitions,
    success_hook,
)
from headwater.definitions.io_manager import root_input_manager


@solid(config_schema={"greeting": str})
def greet(context) -> str:
    """Says hello."""
    return context.solid_config["greeting"]


@composite_solid
def greeting_twice():
    return greet()


@resource(config_schema={"url": str})
def database(init_context):
    return init_context.resource_config["url"]


@io_manager
def memory(_init_context):
    return mem_io_manager.resource_fn()


@root_input_manager
def loader(_context):
    return 1


@success_hook
def noted(_context):
    return None


logger_def = LoggerDefinition(lambda _init_context: logging.getLogger("frozen"))
mode_def = ModeDefinition(name="local", resource_defs={"database": database})
preset_def = PresetDefinition("hello", {"solids": {"greet": {"config": {"greeting": "hi"}}}},
                              mode="local")


@pipeline(mode_defs=[mode_def], preset_defs=[preset_def])
def greeting():
    greet()


@schedule("0 1 * * *", pipeline_name="greeting", mode="local")
def nightly(_context):
    return {}


@sensor(pipeline_name="greeting", mode="local")
def on_file(_context):
    return None


regions = PartitionSetDefinition("regions", "greeting", static_partitions(["eu", "us"]),
                                 mode="local")


@repository
def greetings():
    return [greeting, nightly, on_file, regions]


FROZEN = [
    pytest.param(greet, 'Solid "greet"', id="solid"),
    pytest.param(greeting_twice, 'CompositeSolid "greeting_twice"', id="composite"),
    pytest.param(database, "Resource (function database)", id="resource"),
    pytest.param(memory, "IOManager (function memory)", id="io_manager"),
    pytest.param(loader, "RootInputManager (function loader)", id="root_input_manager"),
    pytest.param(logger_def, "Logger (function <lambda>)", id="logger"),
    pytest.param(in_process_executor, 'Executor "in_process"', id="executor"),
    pytest.param(mode_def, 'Mode "local"', id="mode"),
    pytest.param(preset_def, 'Preset "hello"', id="preset"),
    pytest.param(noted, 'Hook "noted"', id="hook"),
    pytest.param(InputDefinition("value", int), 'Input "value"', id="input"),
    pytest.param(OutputDefinition(int, "total"), 'Output "total"', id="output"),
    pytest.param(greeting, 'Pipeline "greeting"', id="pipeline"),
    pytest.param(nightly, 'Schedule "nightly"', id="schedule"),
    pytest.param(on_file, 'Sensor "on_file"', id="sensor"),
    pytest.param(regions, 'PartitionSet "regions"', id="partition_set"),
    pytest.param(greetings, 'Repository "greetings"', id="repository"),
]


@pytest.mark.parametrize(("definition", "label"), FROZEN)
def test_setting_an_attribute_of_a_built_definition_is_refused_naming_it(definition, label):
    with pytest.raises(AttributeError) as raised:
        definition.description = "changed"
    assert str(raised.value).startswith(
        f"{label} is frozen after construction: description cannot be changed.")


@pytest.mark.parametrize(("definition", "label"), FROZEN)
def test_deleting_an_attribute_of_a_built_definition_is_refused(definition, label):
    with pytest.raises(AttributeError, match="is frozen after construction"):
        del definition.description


def test_the_refusal_says_how_to_get_a_changed_pipeline():
    with pytest.raises(AttributeError, match=r"with_hooks, get_pipeline_subset_def"):
        greeting.tags = {}


def test_configured_solid_is_a_new_definition_and_the_original_is_unchanged():
    hello = greet.configured({"greeting": "hello"}, "hello")
    assert (hello.name, greet.name) == ("hello", "greet")
    assert greet.config_schema == {"greeting": str}
    assert hello.__doc__ == greet.__doc__ == "Says hello."
    with pytest.raises(AttributeError, match='Solid "hello" is frozen'):
        hello.name = "other"


def test_configured_resource_is_a_new_frozen_definition():
    local = database.configured({"url": "sqlite://"})
    assert local is not database
    assert local.resolve_config({}) == {"url": "sqlite://"}
    assert database.resolve_config({"url": "x"}) == {"url": "x"}
    with pytest.raises(AttributeError, match="is frozen"):
        local.config_schema = None


def test_configured_executor_keeps_its_name_and_is_frozen():
    single = in_process_executor.configured({"retries": {"disabled": {}}})
    assert single.name == "in_process" and single is not in_process_executor
    with pytest.raises(AttributeError, match='Executor "in_process" is frozen'):
        single.name = "renamed"


def test_an_aliased_solid_and_a_pipeline_with_hooks_leave_their_originals_unchanged():
    @pipeline(mode_defs=[mode_def])
    def aliased():
        greet.alias("salute")()

    hooked = aliased.with_hooks({noted})
    assert [node.name for node in aliased.solids] == ["salute"]
    assert aliased.hook_defs == frozenset() and hooked.hook_defs == frozenset({noted})
    assert greet.name == "greet"


def test_runs_of_a_frozen_pipeline_still_use_what_they_derive_from_it():
    config = {"solids": {"greet": {"config": {"greeting": "hi"}}},
              "resources": {"database": {"config": {"url": "sqlite://"}}}}
    first = execute_pipeline(greeting, run_config=config)
    again = execute_pipeline(greeting, run_config=config)
    assert first.output_for_solid("greet") == again.output_for_solid("greet") == "hi"
