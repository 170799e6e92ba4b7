"""benchmarks/compare/ without Dagster or Prefect installed: every script compiles, the
driver imports with the standard library alone, and run.py's table is right on canned
figures. (The comparison itself runs in ``nox -s bench-compare``, never here.)"""

from __future__ import annotations

import importlib.util
import py_compile
import sys
from pathlib import Path
from types import ModuleType

import pytest

COMPARE = Path(__file__).resolve().parents[2] / "benchmarks" / "compare"
SCRIPTS = sorted(COMPARE.glob("*.py"))


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(COMPARE))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_compare_{name}",
                                                      COMPARE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(COMPARE))


def _figure(name: str, value: float | None, unit: str = "ms") -> dict:
    return {"name": name, "value": value, "unit": unit, "budget": None, "note": ""}


def test_there_is_a_script_for_each_tool_and_the_table() -> None:
    names = {script.name for script in SCRIPTS}
    assert {"compare_headwater.py", "compare_dagster.py", "compare_prefect.py",
            "run.py"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
def test_script_compiles(script: Path, tmp_path: Path) -> None:
    py_compile.compile(str(script), cfile=str(tmp_path / "out.pyc"), doraise=True)


def test_every_tool_script_imports_without_its_tool() -> None:
    # Each tool is imported inside the figures, so the module loads (and --help works)
    # in any environment; the three define the same figures.
    figures = [set(_load(f"compare_{tool}").FIGURES) for tool in
               ("headwater", "dagster", "prefect")]
    assert figures[0] == figures[1] == figures[2]


def test_table_gives_each_tool_its_column_and_the_ratio_to_headwater() -> None:
    table = _load("run").table({
        "headwater": [_figure("chain", 2.0)],
        "dagster": [_figure("chain", 30.0)],
        "prefect": [_figure("chain", 5.0)],
    })
    row = next(line for line in table.splitlines() if line.startswith("chain"))
    assert row.split() == ["chain", "2.000", "ms", "30.0", "ms", "5.000", "ms", "15.0x",
                           "2.5x"]


def test_table_leaves_a_cell_empty_where_a_tool_has_no_figure() -> None:
    table = _load("run").table({
        "headwater": [_figure("multiprocess", 900.0)],
        "dagster": [_figure("multiprocess", None)],
    })
    row = next(line for line in table.splitlines() if line.startswith("multiprocess"))
    assert row.split() == ["multiprocess", "900.0", "ms", "-", "-", "-", "-"]


def test_table_gives_no_ratio_for_the_count_of_mapped_steps() -> None:
    name = "mapped steps: largest N run within the cap"
    table = _load("run").table({"headwater": [_figure(name, 100_000, "steps")],
                                "dagster": [_figure(name, 1_000, "steps")]})
    row = next(line for line in table.splitlines() if line.startswith(name))
    assert row[len(name):].split() == ["100,000", "1,000", "-", "-", "-"]
