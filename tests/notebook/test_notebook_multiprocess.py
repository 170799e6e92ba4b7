"""A notebook solid under the multiprocess executor: the worker that runs its step starts
the kernel, which opens the run's instance from the worker's reference to it."""

from __future__ import annotations

import os

import pytest
from notebook_files import notebook, parameters, write_notebook

from headwater import (
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    reconstructable,
    solid,
)
from headwater.instance import instance_for_test
from headwater_notebook import define_notebook_solid


@solid
def words() -> list:
    return ["Headwater", "runs", "notebooks"]


@solid
def shout(text: str) -> str:
    return text.upper()


def join_words_pipeline():
    join_words = define_notebook_solid(
        "join_words", notebook("join_words.ipynb"), input_defs=[InputDefinition("words", list)],
        output_defs=[OutputDefinition(str), OutputDefinition(dict, name="processes")])

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
    def join_words_pipeline():
        text, _processes = join_words(words())
        shout(text)

    return join_words_pipeline


@pytest.fixture(scope="module")
def run(notebooks_dir):
    write_notebook(
        "join_words.ipynb",
        "import os\nimport headwater_notebook as hn",
        parameters("words = ['by', 'hand']"),
        "context = hn.get_context()\n"
        "hn.yield_result(' '.join(words))\n"
        "hn.yield_result({'kernel': os.getpid(), 'kernel_parent': os.getppid(),\n"
        "                 'storage': context.instance.storage_directory(),\n"
        "                 'run_found': context.instance.get_run_by_id(context.run_id) is not None},\n"
        "                output_name='processes')")
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(join_words_pipeline), instance=instance,
                                  run_config={"execution": {"multiprocess": {}}})
        yield {"result": result, "instance": instance}


def test_the_notebook_solid_runs_under_the_multiprocess_executor(run):
    assert run["result"].success
    assert run["result"].result_for_solid("shout").output_value() == "HEADWATER RUNS NOTEBOOKS"


def test_the_kernel_is_started_by_a_worker_process(run):
    processes = run["result"].result_for_solid("join_words").output_value("processes")
    assert os.getpid() not in (processes["kernel"], processes["kernel_parent"])


def test_the_kernel_opens_the_runs_instance(run):
    processes = run["result"].result_for_solid("join_words").output_value("processes")
    assert processes["run_found"]
    assert processes["storage"] == run["instance"].storage_directory()
