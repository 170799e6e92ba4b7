"""Running the command line in-process, on pipeline files written for each test."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from headwater.cli import cli


@pytest.fixture(autouse=True)
def restore_sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a file puts its directory on sys.path, as running it would; take it off
    after the test, so that no later test (or process it starts) imports from there."""
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.fixture
def invoke() -> Callable[..., Result]:
    """``invoke("pipeline", "execute", "-f", path)``: run the CLI, return click's Result
    (``exit_code``, ``stdout``, ``stderr``); exceptions the CLI does not handle propagate."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, [str(arg) for arg in args], env=env,
                                  catch_exceptions=False)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write("name.py", source)``: a file in the test's directory (source dedented)."""

    def write_file(name: str, source: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        return path

    return write_file
