"""``-w workspace.yaml``: every command that loads code takes a workspace instead of -f/-m,
and uses ./workspace.yaml when it is given no code at all."""

from __future__ import annotations

import pytest

ORDERS = """
from headwater import pipeline, repository, solid

@solid
def count_orders(context):
    context.log.info("counted the orders")
    return 3

@pipeline
def orders():
    count_orders()

@repository
def orders_repo():
    return [orders]
"""

REPORTS = """
from headwater import pipeline, solid

@solid
def build_report(context):
    context.log.info("built the report")

@pipeline
def reports():
    build_report()
"""

WORKSPACE = """
load_from:
  - python_file: repos/orders.py
  - python_file: {relative_path: repos/reports.py, location_name: reporting}
"""


@pytest.fixture
def workspace(write):
    write("repos/orders.py", ORDERS)
    write("repos/reports.py", REPORTS)
    return write("workspace.yaml", WORKSPACE)


def test_pipeline_list_shows_the_pipelines_of_every_location(invoke, workspace):
    result = invoke("pipeline", "list", "-w", workspace)
    assert result.exit_code == 0, result.output
    assert "orders" in result.stdout and "reports" in result.stdout


def test_a_pipeline_of_a_workspace_is_executed_by_name(invoke, workspace):
    result = invoke("pipeline", "execute", "-w", workspace, "-p", "reports")
    assert result.exit_code == 0, result.output
    assert "built the report" in result.stdout


def test_without_code_options_the_current_directory_workspace_is_used(invoke, workspace,
                                                                       monkeypatch):
    monkeypatch.chdir(workspace.parent)
    result = invoke("pipeline", "execute", "-p", "orders")
    assert result.exit_code == 0, result.output
    assert "counted the orders" in result.stdout


def test_location_and_repository_options_narrow_the_workspace(invoke, workspace):
    result = invoke("pipeline", "list", "-w", workspace, "-l", "reporting")
    assert result.exit_code == 0, result.output
    assert "reports" in result.stdout and "orders" not in result.stdout
    unknown = invoke("pipeline", "list", "-w", workspace, "-r", "order_repo")
    assert unknown.exit_code == 2
    assert 'no repository named "order_repo"' in unknown.stderr
    assert 'Did you mean "orders_repo"' in unknown.stderr


def test_a_workspace_and_a_file_together_are_refused(invoke, workspace):
    result = invoke("pipeline", "list", "-w", workspace, "-f", "repos/orders.py")
    assert result.exit_code == 2
    assert "either -w/--workspace or -f/-m" in result.stderr


def test_a_workspace_file_with_mistakes_is_reported_with_their_paths(invoke, write):
    path = write("workspace.yaml", "load_from:\n  - python_file: {path: orders.py}\n")
    result = invoke("pipeline", "list", "-w", path)
    assert result.exit_code == 2
    assert f"Errors in the workspace file {path}" in result.stderr
    assert "load_from[0].python_file" in result.stderr


def test_a_location_that_does_not_load_is_named_with_the_users_traceback(invoke, write):
    write("broken.py", "import not_a_module\n")
    path = write("workspace.yaml", "load_from:\n  - python_file: broken.py\n")
    result = invoke("pipeline", "list", "-w", path)
    assert result.exit_code == 2
    assert 'Location "broken.py" did not load' in result.stderr
    assert "ModuleNotFoundError" in result.stderr
