"""A notebook solid that fails: the step fails with the failing cell and its traceback, and
the partially executed notebook is kept; mistakes in its definition or run are named."""

from __future__ import annotations

import nbformat
import pytest
from notebook_files import notebook, parameters, write_notebook

from headwater import (
    HeadwaterInvalidDefinitionError,
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    RetryPolicy,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    reconstructable,
    solid,
)
from headwater.instance import instance_for_test
from headwater_notebook import define_notebook_solid

FS_MODE = ModeDefinition(resource_defs={"io_manager": fs_io_manager})


@solid
def emit_rows() -> list:
    return [3, -1, 4]


@solid
def count(rows: list) -> int:
    return len(rows)


def _one_notebook_pipeline(name, **kwargs):
    notebook_solid = define_notebook_solid(name, notebook(f"{name}.ipynb"), **kwargs)

    @pipeline(name=f"{name}_pipeline", mode_defs=[FS_MODE])
    def one_notebook():
        notebook_solid()

    return one_notebook


def check_rows_pipeline():
    check_rows = define_notebook_solid(
        "check_rows", notebook("check_rows.ipynb"), input_defs=[InputDefinition("rows", list)],
        output_defs=[OutputDefinition(list)], output_notebook="notebook")

    @pipeline(mode_defs=[FS_MODE])
    def check_rows_pipeline():
        rows, _notebook = check_rows(emit_rows())
        count(rows)

    return check_rows_pipeline


def unknown_output_pipeline():
    return _one_notebook_pipeline("unknown_output")


def no_result_pipeline():
    return _one_notebook_pipeline("no_result")


def slow_cell_pipeline():
    return _one_notebook_pipeline("slow_cell", execution_timeout=1)


def flaky_pipeline():
    return _one_notebook_pipeline("flaky", retry_policy=RetryPolicy(max_retries=1))


def missing_kernel_pipeline():
    return _one_notebook_pipeline("missing_kernel", kernel_name="no-such-kernel")


def in_memory_input_pipeline():
    check_rows = define_notebook_solid("check_rows", notebook("check_rows.ipynb"),
                                       input_defs=[InputDefinition("rows", list)])

    @pipeline
    def in_memory_input_pipeline():
        check_rows(emit_rows())

    return in_memory_input_pipeline


@pytest.fixture(scope="module")
def failed(notebooks_dir):
    """A run whose notebook raises in its third cell, after printing in its second."""
    write_notebook(
        "check_rows.ipynb",
        parameters("rows = []"),
        'print(f"checking {len(rows)} rows")',
        "negative = [row for row in rows if row < 0]\n"
        'assert not negative, f"negative rows: {negative}"',
        'print("never printed")')
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(check_rows_pipeline), instance=instance,
                                  raise_on_error=False)
        yield result


def _error(result, solid_name):
    return result.result_for_solid(solid_name).failure_data.error


def test_a_failing_cell_fails_the_step_and_the_run(failed):
    assert not failed.success
    assert not failed.result_for_solid("check_rows").success
    assert failed.result_for_solid("count").step_events == []


def test_the_step_error_shows_the_failing_cells_source(failed):
    assert ('    negative = [row for row in rows if row < 0]\n'
            '    assert not negative, f"negative rows: {negative}"') in _error(failed, "check_rows").message


def test_the_step_error_shows_the_cells_traceback(failed):
    message = _error(failed, "check_rows").message
    assert "raised AssertionError: negative rows: [-1]" in message
    assert "AssertionError: negative rows: [-1]" in message.split("Traceback:")[1]


def test_the_partially_executed_notebook_is_kept_and_named_in_the_error(failed):
    (materialization,) = failed.result_for_solid("check_rows").materializations_during_compute
    path = materialization.metadata["path"].value
    assert f"The partially executed notebook is saved at {path}." in \
        _error(failed, "check_rows").message
    cells = nbformat.read(path, as_version=4).cells
    printed = [output.get("text") for cell in cells for output in cell.get("outputs", [])]
    errors = [output.ename for cell in cells for output in cell.get("outputs", [])
              if output.output_type == "error"]
    assert "checking 3 rows\n" in printed
    assert errors == ["AssertionError"]
    assert "never printed\n" not in printed


def test_a_partially_executed_notebook_is_kept_locally_only_not_yielded_as_output_notebook(
        failed):
    step_result = failed.result_for_solid("check_rows")
    (materialization,) = step_result.materializations_during_compute
    assert set(materialization.metadata) == {"path"}
    assert [event.step_output_data.output_name for event in step_result.step_events
            if event.event_type_value == "STEP_OUTPUT"] == []


def test_a_notebook_yielding_an_output_it_does_not_have_fails_naming_its_outputs(
        notebooks_dir):
    write_notebook("unknown_output.ipynb",
                   "import headwater_notebook as hn\nhn.yield_result(1, output_name='total')")
    result = execute_pipeline(reconstructable(unknown_output_pipeline), raise_on_error=False)
    assert ('Notebook solid "unknown_output" has no output "total" to yield; its outputs are '
            "['result']") in _error(result, "unknown_output").message


def test_a_notebook_that_yields_no_result_fails_saying_how_to_yield_it(notebooks_dir):
    write_notebook("no_result.ipynb", "total = 1 + 1")
    result = execute_pipeline(reconstructable(no_result_pipeline), raise_on_error=False)
    assert ('Notebook solid "no_result" finished without yielding its required output(s) '
            "['result']: call headwater_notebook.yield_result(value, "
            'output_name="...")') in _error(result, "no_result").message


def test_a_cell_running_past_execution_timeout_fails_the_step(notebooks_dir):
    write_notebook("slow_cell.ipynb", "import time\ntime.sleep(30)")
    result = execute_pipeline(reconstructable(slow_cell_pipeline), raise_on_error=False)
    assert ('Notebook solid "slow_cell" failed: a cell did not finish within '
            "execution_timeout=1 seconds.") in _error(result, "slow_cell").message


def test_a_failing_notebook_is_retried_by_the_solids_retry_policy(notebooks_dir, tmp_path):
    marker = tmp_path / "first_attempt_done"
    write_notebook(
        "flaky.ipynb",
        "import pathlib\nimport headwater_notebook as hn\n"
        f"marker = pathlib.Path({str(marker)!r})",
        "if not marker.exists():\n"
        "    marker.touch()\n"
        '    raise ConnectionError("the database hung up")\n'
        "hn.yield_result(hn.get_context().retry_number)")
    result = execute_pipeline(reconstructable(flaky_pipeline))
    assert result.result_for_solid("flaky").output_value() == 1


def test_a_missing_kernel_fails_the_step_naming_it_and_how_to_install_it(notebooks_dir):
    write_notebook("missing_kernel.ipynb", "1 + 1")
    result = execute_pipeline(reconstructable(missing_kernel_pipeline), raise_on_error=False)
    message = _error(result, "missing_kernel").message
    assert ('Notebook solid "missing_kernel" runs in the Jupyter kernel "no-such-kernel", '
            "which is not installed") in message
    assert "python -m ipykernel install --user --name no-such-kernel" in message


def test_an_input_kept_in_memory_by_its_io_manager_is_refused_before_the_kernel_starts(
        notebooks_dir):
    result = execute_pipeline(reconstructable(in_memory_input_pipeline), raise_on_error=False)
    message = _error(result, "check_rows").message
    assert ('Input "rows" of notebook solid "check_rows" comes from output "result" of step '
            '"emit_rows", which IO manager "io_manager" keeps in memory') in message
    assert 'ModeDefinition(resource_defs={"io_manager": fs_io_manager})' in message


def test_a_missing_notebook_file_fails_the_step_saying_how_to_create_it(notebooks_dir):
    path = notebook("not_written.ipynb")
    absent = define_notebook_solid("absent", path)

    @pipeline
    def absent_pipeline():
        absent()

    result = execute_pipeline(absent_pipeline, raise_on_error=False)
    assert (f'The notebook of notebook solid "absent" does not exist: "{path}"'
            in _error(result, "absent").message)
    assert f"headwater notebook create {path}" in _error(result, "absent").message


@pytest.mark.parametrize("tag", ["notebook_path", "kind"])
def test_the_notebook_path_and_kind_tags_are_reserved(tag):
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=f"The tags \\['{tag}'\\] of notebook solid \"clean\" are reserved"):
        define_notebook_solid("clean", "clean.ipynb", tags={tag: "x"})


def test_a_notebook_path_must_name_an_ipynb_file():
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r'must be an \.ipynb file, got "clean\.py"'):
        define_notebook_solid("clean", "clean.py")

