"""Pointers to pipelines in code, and ``reconstructable``: loading a pipeline again from
where it is defined."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
import uuid

import pytest

from headwater import execute_pipeline, pipeline, solid
from headwater.errors import HeadwaterCodeLoadError, HeadwaterInvariantViolationError
from headwater.execution.code_pointer import check_pointer, load_catalog, load_pipeline
from headwater.execution.reconstruct import ReconstructablePipeline, reconstructable

TWO_PIPELINES = """
from headwater import pipeline, repository, solid

@solid
def one() -> int:
    return 1

@pipeline
def first():
    one()

@pipeline
def second():
    one()

def build_first():
    return first

@repository
def repo():
    return [first, second]
"""


def write(directory, name, source):
    path = directory / name
    path.write_text(textwrap.dedent(source))
    return path


@pytest.fixture(autouse=True)
def restore_sys_path(monkeypatch):
    """Loading a file puts its directory on sys.path, as running it would; take it off
    after the test, so that no later test (or process it starts) imports from there."""
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    """A directory on sys.path; modules written there get unique names."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def unique_module(directory, source):
    name = f"pipes_{uuid.uuid4().hex[:12]}"
    write(directory, f"{name}.py", source)
    return name


# -- pointers ----------------------------------------------------------------------------


def test_a_pointer_needs_exactly_one_of_file_and_module():
    with pytest.raises(HeadwaterCodeLoadError, match="exactly one of python_file and module"):
        check_pointer({"python_file": "a.py", "module": "a"})


def test_a_pointer_with_an_unknown_key_is_refused():
    with pytest.raises(HeadwaterCodeLoadError, match=r"unknown keys \['fn_name'\]"):
        check_pointer({"module": "a", "fn_name": "x"})


def test_a_file_with_one_pipeline_loads_without_naming_it(tmp_path):
    path = write(tmp_path, "only.py", """
        from headwater import pipeline, solid

        @solid
        def one() -> int:
            return 1

        @pipeline
        def only():
            one()
    """)
    assert load_pipeline({"python_file": str(path)}).name == "only"


def test_several_pipelines_without_a_name_is_an_error_listing_them(tmp_path):
    path = write(tmp_path, "several.py", TWO_PIPELINES)
    with pytest.raises(HeadwaterCodeLoadError, match="several pipelines: first, second"):
        load_pipeline({"python_file": str(path)})


def test_an_unknown_pipeline_name_suggests_the_closest(tmp_path):
    path = write(tmp_path, "several.py", TWO_PIPELINES)
    with pytest.raises(HeadwaterCodeLoadError, match='Did you mean "second"'):
        load_pipeline({"python_file": str(path), "pipeline_name": "secnd"})


def test_module_level_repositories_offer_their_pipelines(tmp_path):
    path = write(tmp_path, "repo_only.py", """
        from headwater import pipeline, repository, solid

        @solid
        def one() -> int:
            return 1

        @repository
        def repo():
            @pipeline
            def hidden():
                one()
            return [hidden]
    """)
    assert load_catalog({"python_file": str(path)}).pipeline_names == ["hidden"]


def test_an_attribute_may_name_a_repository(tmp_path):
    path = write(tmp_path, "several.py", TWO_PIPELINES)
    pointer = {"python_file": str(path), "attribute": "repo", "pipeline_name": "second"}
    assert load_pipeline(pointer).name == "second"


def test_an_attribute_may_name_a_function_returning_a_pipeline(tmp_path):
    path = write(tmp_path, "several.py", TWO_PIPELINES)
    assert load_pipeline({"python_file": str(path), "attribute": "build_first"}).name == "first"


def test_a_missing_attribute_lists_the_pipelines_and_repositories(tmp_path):
    path = write(tmp_path, "several.py", TWO_PIPELINES)
    with pytest.raises(HeadwaterCodeLoadError,
                       match=r'no attribute "frist".*Did you mean "first".*first, second, repo'):
        load_pipeline({"python_file": str(path), "attribute": "frist"})


def test_an_attribute_that_is_no_pipeline_is_an_error(tmp_path):
    path = write(tmp_path, "value.py", "LIMIT = 3\n")
    with pytest.raises(HeadwaterCodeLoadError, match=r"is 3 \(int\), not a pipeline"):
        load_pipeline({"python_file": str(path), "attribute": "LIMIT"})


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(HeadwaterCodeLoadError, match=r'"nowhere\.py" does not exist'):
        load_pipeline({"python_file": "nowhere.py"})


def test_a_file_that_raises_on_import_reports_the_users_traceback(tmp_path):
    path = write(tmp_path, "broken.py", """
        def connect():
            raise ConnectionError("no database")

        connect()
    """)
    with pytest.raises(HeadwaterCodeLoadError) as raised:
        load_pipeline({"python_file": str(path)})
    assert "broken.py" in str(raised.value)
    trace = raised.value.user_traceback
    assert trace.startswith(f'Traceback (most recent call last):\n  File "{path}", line 5')
    assert 'line 3, in connect' in trace
    assert "importlib" not in trace
    assert trace.rstrip().endswith("ConnectionError: no database")


def test_a_file_imports_modules_next_to_it(tmp_path):
    write(tmp_path, "sibling_values_for_test.py", "NAME = 'from the sibling'\n")
    path = write(tmp_path, "uses_sibling.py", """
        from headwater import pipeline, solid
        from sibling_values_for_test import NAME

        @solid
        def named() -> str:
            return NAME

        @pipeline
        def uses_sibling():
            named()
    """)
    result = execute_pipeline(load_pipeline({"python_file": str(path)}))
    assert result.output_for_solid("named") == "from the sibling"


def test_a_file_named_like_an_imported_module_leaves_that_module_alone(tmp_path):
    import json

    path = write(tmp_path, "json.py", """
        from headwater import pipeline, solid

        @solid
        def one() -> int:
            return 1

        @pipeline
        def shadowing():
            one()
    """)
    assert load_pipeline({"python_file": str(path)}).name == "shadowing"
    assert sys.modules["json"] is json


def test_a_module_is_loaded_by_name(module_dir):
    name = unique_module(module_dir, TWO_PIPELINES)
    assert load_pipeline({"module": name, "pipeline_name": "first"}).name == "first"


def test_a_missing_module_is_named():
    with pytest.raises(HeadwaterCodeLoadError, match='No module named "no_such_package_x"'):
        load_pipeline({"module": "no_such_package_x.pipelines"})


# -- reconstructable ---------------------------------------------------------------------


def test_reconstructable_points_at_the_module_and_attribute_of_a_pipeline(module_dir):
    name = unique_module(module_dir, TWO_PIPELINES)
    module = __import__(name)
    target = reconstructable(module.second)
    assert target.origin == {"module": name, "attribute": "second", "pipeline_name": "second"}
    assert target.get_definition() is module.second


def test_reconstructable_of_a_function_calls_it_for_the_definition(module_dir):
    name = unique_module(module_dir, TWO_PIPELINES)
    module = __import__(name)
    target = reconstructable(module.build_first)
    assert target.origin == {"module": name, "attribute": "build_first"}
    assert target.get_definition() is module.first


def test_reconstructable_of_a_pipeline_loaded_from_a_file_points_at_the_file(tmp_path):
    path = write(tmp_path, "several.py", TWO_PIPELINES)
    first = load_pipeline({"python_file": str(path), "pipeline_name": "first"})
    assert reconstructable(first).origin == {
        "python_file": str(path), "attribute": "first", "pipeline_name": "first"}


def test_a_pickled_reconstructable_pipeline_loads_from_its_pointer(module_dir):
    name = unique_module(module_dir, TWO_PIPELINES)
    copy = pickle.loads(pickle.dumps(reconstructable(__import__(name).first)))
    assert isinstance(copy, ReconstructablePipeline)
    assert copy.get_definition().name == "first"


def test_a_reconstructable_pipeline_runs_like_its_definition(module_dir):
    name = unique_module(module_dir, TWO_PIPELINES)
    result = execute_pipeline(reconstructable(__import__(name).first))
    assert result.output_for_solid("one") == 1


def test_reconstructable_refuses_a_lambda():
    with pytest.raises(HeadwaterInvariantViolationError, match="cannot take a lambda"):
        reconstructable(lambda: None)


def test_reconstructable_refuses_a_nested_function():
    def build():
        return None

    with pytest.raises(HeadwaterInvariantViolationError, match="nested function"):
        reconstructable(build)


def test_reconstructable_refuses_a_pipeline_built_inside_a_function():
    @solid
    def one() -> int:
        return 1

    @pipeline
    def local_only():
        one()

    with pytest.raises(HeadwaterInvariantViolationError,
                       match='cannot find pipeline "local_only" at module level'):
        reconstructable(local_only)


def test_reconstructable_in_a_script_points_at_the_script_file(tmp_path):
    path = write(tmp_path, "script.py", """
        from headwater import pipeline, solid
        from headwater.execution.reconstruct import reconstructable

        @solid
        def one() -> int:
            return 1

        @pipeline
        def scripted():
            one()

        if __name__ == "__main__":
            print(reconstructable(scripted).origin)
    """)
    printed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                             check=True).stdout
    assert printed.strip() == str({"python_file": str(path), "attribute": "scripted",
                                   "pipeline_name": "scripted"})


def test_multiprocessing_main_alias_is_never_the_pointer(tmp_path):
    import subprocess
    import sys
    import textwrap

    script = tmp_path / "aliased.py"
    script.write_text(textwrap.dedent("""
        import sys
        from headwater import pipeline, reconstructable, solid

        @solid
        def one() -> int:
            return 1

        @pipeline
        def aliased():
            one()

        if __name__ == "__main__":
            # What a spawned multiprocessing child does: the main module under another name.
            sys.modules["__mp_main__"] = sys.modules["__main__"]
            print(reconstructable(aliased).origin["python_file"])
    """))
    output = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert output == str(script)
