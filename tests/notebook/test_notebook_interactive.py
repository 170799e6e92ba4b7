"""The same notebook run by hand, with no pipeline: get_context() builds a development
context from its arguments, and yield_result / yield_event give back what they are given."""

from __future__ import annotations

import papermill
from notebook_files import parameters, write_notebook

import headwater_notebook as hn
from headwater import AssetMaterialization, ModeDefinition, resource
from headwater_notebook.kernels import HeadwaterKernelManager


@resource(config_schema={"greeting": str})
def greeter(init_context):
    state = {"greeting": init_context.resource_config["greeting"], "closed": False}
    yield state
    state["closed"] = True


MODE = ModeDefinition("dev", resource_defs={"greeter": greeter})
RUN_CONFIG = {"resources": {"greeter": {"config": {"greeting": "hi"}}}}


def test_get_context_by_hand_gives_the_solid_config_it_is_given():
    context = hn.get_context(solid_config={"offset": 5})
    assert context.solid_config == {"offset": 5}


def test_get_context_by_hand_builds_the_modes_resources_with_the_run_config():
    context = hn.get_context(mode_def=MODE, run_config=RUN_CONFIG)
    assert context.resources.greeter["greeting"] == "hi"


def test_get_context_again_tears_down_the_previous_contexts_resources():
    first = hn.get_context(mode_def=MODE, run_config=RUN_CONFIG)
    hn.get_context(mode_def=MODE, run_config=RUN_CONFIG)
    assert first.resources.greeter["closed"]


def test_a_development_context_has_a_log_and_a_run_id():
    context = hn.get_context()
    context.log.info("written by hand")
    assert context.run_id


def test_yield_result_by_hand_returns_its_value():
    assert hn.yield_result([1, 2], output_name="rows") == [1, 2]


def test_yield_event_by_hand_returns_its_event():
    event = AssetMaterialization("cleaned")
    assert hn.yield_event(event) is event


def test_a_solids_notebook_runs_in_jupyter_without_headwater_running_it(tmp_path,
                                                                        monkeypatch):
    monkeypatch.setenv("HEADWATER_TEST_NOTEBOOKS", str(tmp_path))
    path = write_notebook(
        "by_hand.ipynb",
        "import headwater_notebook as hn",
        parameters("number = 2"),
        "context = hn.get_context(solid_config={'offset': 5})\n"
        "print(hn.yield_result(number + context.solid_config['offset']))")
    executed = papermill.execute_notebook(path, None, kernel_name="python3", progress_bar=False,
                                          kernel_manager_class=HeadwaterKernelManager)
    assert executed.cells[-1].outputs[0].text == "7\n"
