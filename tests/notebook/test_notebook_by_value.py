"""A pipeline built inside a function (here, a test) has no code the kernel can import: the
step sends the pipeline to the kernel by value (cloudpickle), and the run works as for a
module-level pipeline. One run serves most tests of this module."""

from __future__ import annotations

import os
import sys
import threading
import types

import pytest
from notebook_files import notebook, parameters, write_notebook

from headwater import (
    Field,
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    PipelineRunStatus,
    ResourceDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    resource,
    solid,
)
from headwater.instance import instance_for_test
from headwater_notebook import define_notebook_solid

TOKEN = "tok-notebook-by-value-7f3a"


@pytest.fixture(scope="module")
def run(notebooks_dir):
    """A pipeline built in this fixture: numbers (a closure over ``start``) -> scale (the
    notebook: input, config, a resource with a secret in its config) -> total."""
    write_notebook(
        "scale.ipynb",
        "import os\nimport headwater_notebook as hn\nfrom headwater_notebook import kernel",
        parameters("numbers = []"),
        "context = hn.get_context()\n"
        "factor = context.solid_config['factor']\n"
        'context.log.info(f"token {context.resources.client[\'token\']}")',
        "scratch = kernel.current().stream.scratch_dir\n"
        "hn.yield_result({\n"
        "    'scaled': [n * factor * context.resources.client['weight'] for n in numbers],\n"
        "    'kernel_pid': os.getpid(),\n"
        "    'pipeline_file_mode': os.stat(os.path.join(scratch, 'pipeline.pickle')).st_mode,\n"
        "})")
    start = 2  # captured by the closure below: only a by-value pipeline carries it over

    @solid
    def numbers() -> list:
        return [start, start + 1]

    @resource(config_schema={"token": Field(str, is_secret=True), "weight": int})
    def client(init_context):
        return dict(init_context.resource_config)

    scale = define_notebook_solid(
        "scale", notebook("scale.ipynb"), input_defs=[InputDefinition("numbers", list)],
        output_defs=[OutputDefinition(dict)], config_schema={"factor": int},
        required_resource_keys={"client"})
    totals = []

    @solid
    def total(scaled: dict) -> int:
        totals.append(sum(scaled["scaled"]))
        return totals[-1]

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager,
                                                       "client": client})])
    def built_in_a_fixture():
        total(scale(numbers()))

    with instance_for_test() as instance:
        result = execute_pipeline(
            built_in_a_fixture, instance=instance, raise_on_error=False,
            run_config={"solids": {"scale": {"config": {"factor": 10}}},
                        "resources": {"client": {"config": {"token": TOKEN, "weight": 3}}}})
        yield {"result": result, "instance": instance}


def test_a_notebook_solid_of_a_pipeline_built_inside_a_function_runs_and_succeeds(run):
    assert run["result"].success
    recorded = run["instance"].get_run_by_id(run["result"].run_id)
    assert recorded.status is PipelineRunStatus.SUCCESS


def test_the_notebook_gets_its_input_config_and_resource_and_downstream_gets_its_output(run):
    scaled = run["result"].result_for_solid("scale").output_value()
    assert scaled["scaled"] == [2 * 10 * 3, 3 * 10 * 3]
    assert run["result"].result_for_solid("total").output_value() == 150


def test_the_notebook_runs_in_a_kernel_of_its_own(run):
    assert run["result"].result_for_solid("scale").output_value()["kernel_pid"] != os.getpid()


def test_the_pipeline_sent_by_value_is_a_file_only_its_user_can_read(run):
    mode = run["result"].result_for_solid("scale").output_value()["pipeline_file_mode"]
    assert mode & 0o777 == 0o600


def test_a_secret_in_the_config_reaches_neither_the_executed_notebook_nor_the_event_log(run):
    (saved,) = run["result"].result_for_solid("scale").materializations_during_compute
    with open(saved.metadata["path"].value, encoding="utf-8") as file:
        assert TOKEN not in file.read()
    messages = [entry.user_message for entry in run["instance"].all_logs(run["result"].run_id)]
    assert "token ***" in messages
    assert not [message for message in messages if TOKEN in message]


def test_a_resource_that_cannot_be_pickled_is_named_with_the_fix(notebooks_dir):
    write_notebook("locked.ipynb", "1 + 1")
    locked = define_notebook_solid("locked", notebook("locked.ipynb"),
                                   required_resource_keys={"lock"})

    @pipeline(mode_defs=[ModeDefinition("local", resource_defs={
        "io_manager": fs_io_manager,
        "lock": ResourceDefinition.hardcoded_resource(threading.Lock())})])
    def built_in_a_test():
        locked()

    result = execute_pipeline(built_in_a_test, raise_on_error=False)
    message = result.result_for_solid("locked").failure_data.error.message
    assert ('Pipeline "built_in_a_test" is built inside a function, so the kernel cannot load '
            'it from its code, and it cannot be sent by value either: resource "lock" of mode '
            '"local" cannot be pickled') in message
    assert "Build the value inside the resource's function" in message
    assert "Define the pipeline at module level of an importable module" in message


def test_a_module_the_kernel_cannot_import_fails_the_setup_cell_naming_it(notebooks_dir):
    # A module that exists only in this process's memory: the pipeline refers to its
    # function by name, which the kernel cannot import.
    in_memory = types.ModuleType("made_in_memory")
    exec("def rows():\n    return [1, 2]\n", in_memory.__dict__)
    sys.modules["made_in_memory"] = in_memory
    try:
        write_notebook("uses_rows.ipynb", "1 + 1")
        uses_rows = define_notebook_solid("uses_rows", notebook("uses_rows.ipynb"))

        @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
        def built_in_a_test():
            uses_rows()
            solid(name="rows")(in_memory.rows)()

        result = execute_pipeline(built_in_a_test, raise_on_error=False)
    finally:
        del sys.modules["made_in_memory"]
    message = result.result_for_solid("uses_rows").failure_data.error.message
    assert ('The kernel of notebook solid "uses_rows" cannot load the pipeline the step sent '
            "it by value (the pipeline is built inside a function): ModuleNotFoundError: "
            "No module named 'made_in_memory'") in message
