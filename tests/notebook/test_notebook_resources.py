"""Resources inside the notebook: built in the kernel from the run's mode and config, and
torn down there when the notebook ends."""

from __future__ import annotations

import os

import pytest
from notebook_files import notebook, write_notebook

from headwater import (
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    reconstructable,
    resource,
)
from headwater.instance import instance_for_test
from headwater_notebook import define_notebook_solid


@resource(config_schema={"path": str})
def greeting_from_file(init_context):
    """The test mode's greeting: read from a file. Each process that tears it down notes
    its id (the step's process builds the solid's resources too, as for any solid)."""
    path = init_context.resource_config["path"]
    with open(path) as file:
        greeting = file.read().strip()
    yield {"text": greeting, "built_in_pid": os.getpid()}
    with open(f"{path}.closed", "a") as file:
        file.write(f"{os.getpid()}\n")


@resource
def unreachable_greeting(_init_context):
    raise ConnectionError("prod is not reachable from the tests")


def greet_pipeline():
    greet = define_notebook_solid("greet", notebook("greet.ipynb"),
                                  required_resource_keys={"greeting"},
                                  output_defs=[OutputDefinition(dict)])

    @pipeline(mode_defs=[
        ModeDefinition("prod", resource_defs={"greeting": unreachable_greeting,
                                              "io_manager": fs_io_manager}),
        ModeDefinition("test", resource_defs={"greeting": greeting_from_file,
                                              "io_manager": fs_io_manager})])
    def greet_pipeline():
        greet()

    return greet_pipeline


@pytest.fixture(scope="module")
def greeted(notebooks_dir, tmp_path_factory):
    greeting_file = tmp_path_factory.mktemp("greeting") / "greeting.txt"
    greeting_file.write_text("hello from the test mode\n")
    write_notebook(
        "greet.ipynb",
        "import os\nimport headwater_notebook as hn\ncontext = hn.get_context()",
        'hn.yield_result({"greeting": context.resources.greeting, "kernel_pid": os.getpid()})')
    with instance_for_test():
        result = execute_pipeline(
            reconstructable(greet_pipeline), mode="test",
            run_config={"resources": {"greeting": {"config": {"path": str(greeting_file)}}}})
    return {"value": result.result_for_solid("greet").output_value(),
            "closed": f"{greeting_file}.closed"}


def test_the_run_modes_resource_with_its_config_is_available_in_the_notebook(greeted):
    assert greeted["value"]["greeting"]["text"] == "hello from the test mode"


def test_the_resource_is_built_in_the_kernel(greeted):
    assert greeted["value"]["greeting"]["built_in_pid"] == greeted["value"]["kernel_pid"]
    assert greeted["value"]["kernel_pid"] != os.getpid()


def test_the_resource_is_torn_down_in_the_kernel_when_the_notebook_ends(greeted):
    with open(greeted["closed"]) as file:
        assert str(greeted["value"]["kernel_pid"]) in file.read().split()
