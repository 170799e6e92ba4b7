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
