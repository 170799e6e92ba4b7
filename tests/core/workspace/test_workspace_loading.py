"""Workspaces: a workspace.yaml lists code locations; each offers repositories."""

from __future__ import annotations

import sys
import textwrap

import pytest

from headwater.errors import HeadwaterCodeLoadError, HeadwaterInvalidConfigError
from headwater.execution.code_pointer import load_pipeline
from headwater.workspace import LocationSpec, Workspace, load_workspace_file

REPOSITORY = """
    from headwater import pipeline, repository, schedule, solid

    @solid
    def step():
        return 1

    @pipeline
    def {name}_pipeline():
        step()

    @schedule("0 3 * * *", pipeline_name="{name}_pipeline")
    def {name}_nightly():
        return {{}}

    @repository
    def {name}_repo():
        return [{name}_pipeline, {name}_nightly]
"""

BARE_PIPELINE = """
    from headwater import pipeline, solid

    @solid
    def step():
        return 2

    @pipeline
    def bare_pipeline():
        step()
"""


@pytest.fixture(autouse=True)
def restore_sys_path(monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))


def _write(path, source):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


def _workspace_file(tmp_path, text):
    return _write(tmp_path / "workspace.yaml", text)


def test_paths_are_relative_to_the_workspace_file(tmp_path):
    path = _workspace_file(tmp_path / "project", """
        load_from:
          - python_file: repos/orders.py
          - python_file: {relative_path: ml.py, working_directory: lib}
    """)
    specs = load_workspace_file(str(path))
    assert [spec.python_file for spec in specs] == [
        str(tmp_path / "project" / "repos" / "orders.py"), str(tmp_path / "project" / "ml.py")]
    assert specs[1].working_directory == str(tmp_path / "project" / "lib")


def test_a_location_is_named_after_its_file_or_module_unless_named(tmp_path):
    path = _workspace_file(tmp_path, """
        load_from:
          - python_file: repos/orders.py
          - python_module: my_project.repository
          - python_module: {module_name: other.repository, attribute: repo, location_name: ml}
    """)
    specs = load_workspace_file(str(path))
    assert [spec.name for spec in specs] == ["orders.py", "my_project.repository", "ml"]
    assert (specs[2].module_name, specs[2].attribute) == ("other.repository", "repo")


def test_schema_mistakes_are_reported_with_their_paths(tmp_path):
    path = _workspace_file(tmp_path, """
        load_from:
          - python_fil: orders.py
          - python_file: {attribute: repo}
    """)
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        load_workspace_file(str(path))
    assert str(path) in raised.value.preamble
    messages = " | ".join(error.message for error in raised.value.errors)
    assert "load_from[0]" in messages and "python_fil" in messages
    assert "load_from[1].python_file" in messages and "relative_path" in messages


def test_an_empty_load_from_is_refused(tmp_path):
    path = _workspace_file(tmp_path, "load_from: []\n")
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        load_workspace_file(str(path))
    assert "lists no code location" in raised.value.errors[0]


def test_two_locations_with_one_name_are_refused(tmp_path):
    path = _workspace_file(tmp_path, """
        load_from:
          - python_file: a/repo.py
          - python_file: b/repo.py
    """)
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        load_workspace_file(str(path))
    assert 'load_from[1] and load_from[0] are both named "repo.py"' in raised.value.errors[0]


def test_a_missing_workspace_file_is_named(tmp_path):
    with pytest.raises(HeadwaterCodeLoadError, match=r'workspace file ".*nowhere.yaml" does not'):
        load_workspace_file(str(tmp_path / "nowhere.yaml"))


def test_a_workspace_file_that_is_not_yaml_is_named(tmp_path):
    path = _workspace_file(tmp_path, "load_from: [\n")
    with pytest.raises(HeadwaterCodeLoadError, match="is not valid YAML"):
        load_workspace_file(str(path))


def test_locations_offer_their_repositories_and_bare_pipelines(tmp_path):
    _write(tmp_path / "orders.py", REPOSITORY.format(name="orders"))
    _write(tmp_path / "loose.py", BARE_PIPELINE)
    path = _workspace_file(tmp_path, """
        load_from:
          - python_file: orders.py
          - python_file: {relative_path: loose.py, location_name: loose}
    """)
    workspace = Workspace.from_file(str(path))
    assert [(r.location_name, r.name, r.definition.pipeline_names)
            for r in workspace.repositories()] == [
        ("orders.py", "orders_repo", ["orders_pipeline"]),
        ("loose", "__repository__", ["bare_pipeline"])]
    repository, schedule = workspace.find_schedule("orders_nightly")
    assert (repository.name, schedule.cron_schedule) == ("orders_repo", "0 3 * * *")


def test_pipelines_a_repository_lists_are_not_offered_again_as_bare(tmp_path):
    _write(tmp_path / "orders.py", REPOSITORY.format(name="orders"))
    workspace = Workspace.from_specs([
        LocationSpec("orders", python_file=str(tmp_path / "orders.py"))])
    assert [repository.name for repository in workspace.repositories()] == ["orders_repo"]


def test_a_pipeline_pointer_loads_the_same_pipeline_again(tmp_path):
    _write(tmp_path / "orders.py", REPOSITORY.format(name="orders"))
    _write(tmp_path / "loose.py", BARE_PIPELINE)
    workspace = Workspace.from_specs([
        LocationSpec("orders", python_file=str(tmp_path / "orders.py")),
        LocationSpec("loose", python_file=str(tmp_path / "loose.py"))])
    for name in ("orders_pipeline", "bare_pipeline"):
        repository, _ = workspace.find_pipeline(name)
        pointer = repository.reconstructable_pipeline(name).origin
        assert load_pipeline(pointer).name == name


def test_a_location_that_does_not_load_keeps_its_error_and_the_others_load(tmp_path):
    _write(tmp_path / "orders.py", REPOSITORY.format(name="orders"))
    _write(tmp_path / "broken.py", "raise RuntimeError('no database')\n")
    workspace = Workspace.from_specs([
        LocationSpec("orders", python_file=str(tmp_path / "orders.py")),
        LocationSpec("broken", python_file=str(tmp_path / "broken.py"))])
    assert [repository.name for repository in workspace.repositories()] == ["orders_repo"]
    ((name, error),) = workspace.errors
    assert name == "broken"
    assert "RuntimeError: no database" in error.user_traceback
    with pytest.raises(HeadwaterCodeLoadError, match='Location "broken" did not load'):
        workspace.raise_errors()


def test_two_locations_offering_one_repository_name_are_refused(tmp_path):
    for folder in ("a", "b"):
        _write(tmp_path / folder / f"{folder}_orders.py", REPOSITORY.format(name="orders"))
    with pytest.raises(HeadwaterCodeLoadError,
                       match='"a" and "b" both offer a repository named "orders_repo"'):
        Workspace.from_specs([
            LocationSpec(folder, python_file=str(tmp_path / folder / f"{folder}_orders.py"))
            for folder in ("a", "b")])


def test_an_attribute_picks_one_repository_of_a_module(tmp_path):
    _write(tmp_path / "two.py", REPOSITORY.format(name="first")
           + REPOSITORY.format(name="second"))
    workspace = Workspace.from_specs([
        LocationSpec("two", python_file=str(tmp_path / "two.py"), attribute="second_repo")])
    assert [repository.name for repository in workspace.repositories()] == ["second_repo"]


def test_an_unknown_name_is_reported_with_a_suggestion(tmp_path):
    _write(tmp_path / "orders.py", REPOSITORY.format(name="orders"))
    workspace = Workspace.from_specs([
        LocationSpec("orders", python_file=str(tmp_path / "orders.py"))])
    with pytest.raises(HeadwaterCodeLoadError,
                       match=r'no schedule named "orders_nightli".*Did you mean "orders_nightly"'):
        workspace.find_schedule("orders_nightli")


def test_a_name_in_several_repositories_asks_which_one(tmp_path):
    _write(tmp_path / "first.py", REPOSITORY.format(name="first").replace(
        "first_nightly", "nightly"))
    _write(tmp_path / "second.py", REPOSITORY.format(name="second").replace(
        "second_nightly", "nightly"))
    workspace = Workspace.from_specs([
        LocationSpec(name, python_file=str(tmp_path / f"{name}.py"))
        for name in ("first", "second")])
    with pytest.raises(HeadwaterCodeLoadError, match="Several repositories have a schedule"):
        workspace.find_schedule("nightly")
    repository, _ = workspace.find_schedule("nightly", repository="second_repo")
    assert repository.location_name == "second"
