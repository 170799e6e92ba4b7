"""Rough edges a newcomer hits first, each smoothed."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))


def test_a_syntax_error_in_a_pipeline_file_is_printed_once(invoke, write):
    path = write("broken.py", "def a(:\n    pass\n")
    result = invoke("pipeline", "execute", "-f", path)
    assert result.exit_code == 2
    assert result.stderr.count("SyntaxError") == 2  # the message line, then the traceback's
    assert 'importing it raised SyntaxError: invalid syntax (line 1)' in result.stderr
    assert result.stderr.count("def a(:") == 1


TWO_STEPS = """
from headwater import pipeline, solid

@solid
def one():
    return 1

@solid
def plus_one(value):
    return value + 1

@pipeline
def two_steps():
    plus_one(one())
"""


def test_multiprocess_with_outputs_in_memory_is_refused_before_a_run_is_recorded(
        invoke, write):
    path = write("two.py", TWO_STEPS)
    config = write("mp.yaml", "execution:\n  multiprocess: {}\n")
    result = invoke("pipeline", "execute", "-f", path, "-c", config)
    assert result.exit_code == 2
    assert "keep outputs in memory" in result.stderr
    assert "No runs" in invoke("run", "list").stdout


BROKEN_RESOURCE = """
from headwater import ModeDefinition, pipeline, resource, solid

@resource
def database(_init_context):
    raise RuntimeError("cannot reach the database")

@solid(required_resource_keys={"db"})
def query(context):
    return 1

@pipeline(mode_defs=[ModeDefinition(resource_defs={"db": database})])
def reporting():
    query()
"""


def test_a_run_whose_resource_fails_says_no_step_started(invoke, write):
    result = invoke("pipeline", "execute", "-f", write("broken.py", BROKEN_RESOURCE))
    assert result.exit_code == 1
    assert "no step started" in result.stdout
    assert "0 steps" not in result.stdout


def _failed_run_id(invoke, write):
    invoke("pipeline", "execute", "-f", write("broken.py", BROKEN_RESOURCE))
    return invoke("run", "list").stdout.splitlines()[1].split()[0]


def test_run_show_accepts_a_unique_prefix_of_the_run_id(invoke, write):
    run_id = _failed_run_id(invoke, write)
    result = invoke("run", "show", run_id[:8])
    assert result.exit_code == 0
    assert f"Run {run_id}" in result.stdout


def test_run_show_prints_a_failed_run_error(invoke, write):
    run_id = _failed_run_id(invoke, write)
    result = invoke("run", "show", run_id)
    assert "Errors:" in result.stdout
    assert "cannot reach the database" in result.stdout


def test_run_show_of_an_unknown_prefix_says_how_to_list_runs(invoke):
    result = invoke("run", "show", "zzzz")
    assert result.exit_code == 2
    assert "headwater run list" in result.stderr


def test_run_help_names_only_commands_that_exist(invoke):
    help_text = invoke("run", "--help").stdout
    assert "follow," not in help_text
    for command in ("list", "show", "logs", "cancel", "delete"):
        assert command in help_text


def test_instance_info_piped_has_no_trailing_blanks(invoke):
    lines = invoke("instance", "info").stdout.splitlines()
    assert any("SqliteRunStorage" in line for line in lines)
    assert all(line == line.rstrip() for line in lines)


def test_a_misspelled_solid_selection_gets_a_did_you_mean(invoke, write):
    result = invoke("pipeline", "execute", "-f", write("two.py", TWO_STEPS), "-s", "plus_on")
    assert result.exit_code == 2
    assert 'Did you mean "plus_one" for "plus_on"?' in result.stderr


def test_a_misspelled_pipeline_name_gets_a_did_you_mean(invoke, write):
    result = invoke("pipeline", "execute", "-f", write("two.py", TWO_STEPS), "-p", "two_step")
    assert result.exit_code == 2
    assert 'Did you mean "two_steps"?' in result.stderr


CONFIGURED_IO_MANAGER = """
from headwater import IOManager, ModeDefinition, StringSource, io_manager, pipeline, solid

class Nowhere(IOManager):
    def handle_output(self, context, obj):
        pass

    def load_input(self, context):
        return None

@io_manager(config_schema={"path": StringSource})
def path_io_manager(_init_context):
    return Nowhere()

@solid
def one():
    return 1

@pipeline(mode_defs=[ModeDefinition("dev", resource_defs={
    "io_manager": path_io_manager.configured({"path": {"env": "HEADWATER_TEST_UNSET_PATH"}})})])
def stored():
    one()
"""


def test_an_unset_variable_in_a_configured_io_manager_names_the_resource_key_and_mode(
        invoke, write, monkeypatch):
    monkeypatch.delenv("HEADWATER_TEST_UNSET_PATH", raising=False)
    result = invoke("pipeline", "execute", "-f", write("stored.py", CONFIGURED_IO_MANAGER))
    assert result.exit_code == 2
    assert 'resource "io_manager" of mode "dev"' in result.stderr
    assert '"HEADWATER_TEST_UNSET_PATH" is not set' in result.stderr


def test_pipeline_print_lists_the_executors_plugins_add_to_a_mode(invoke, write):
    from headwater import ExecutorDefinition, in_process_executor
    from headwater.integration import hookimpl
    from headwater.plugins import get_plugin_manager, reset_plugin_manager

    class Extra:
        @hookimpl
        def headwater_executors(self):
            return [ExecutorDefinition("elsewhere", in_process_executor.config_schema,
                                       in_process_executor.executor_creation_fn)]

    reset_plugin_manager()
    get_plugin_manager().register(Extra(), "extra")
    try:
        result = invoke("pipeline", "print", "-f", write("two.py", TWO_STEPS), "--verbose")
    finally:
        reset_plugin_manager()
    executors_line = next(line for line in result.stdout.splitlines() if "executors:" in line)
    assert "elsewhere" in executors_line
    assert "multiprocess" in executors_line
