"""What every benchmark script shares: the figure record, timing helpers and the output.

A script measures some figures and either prints them as a table (run on its own) or as
JSON lines (``--json``, how ``run_all.py`` collects them from a fresh subprocess each).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass


@dataclass
class Figure:
    """One measured figure.

    Attributes:
        name: What was measured, e.g. "import headwater".
        value: The measurement, or None when it could not be taken (see ``note``).
        unit: The unit of ``value`` and ``budget`` ("ms", "ms/step", "events/step").
        budget: the project's budget in the same unit, or None for a figure shown for context.
        note: Why a figure was skipped, or what it was measured on.
    """

    name: str
    value: float | None
    unit: str
    budget: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        """"yes"/"no" against the budget, "-" without one, "skipped" without a value."""
        if self.value is None:
            return "skipped"
        if self.budget is None:
            return "-"
        return "yes" if self.value < self.budget else "no"


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for timed child processes: bytecode caching on, as in a real install.

    With PYTHONDONTWRITEBYTECODE set, every fresh interpreter would compile Headwater from
    source and the figures would measure the compiler. The bytecode goes to a cache folder
    of its own, so that the work tree stays clean.
    """
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "headwater-bench-pycache")
    env.update(extra)
    return env


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn``, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def _format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"


def format_table(figures: Sequence[Figure]) -> str:
    """The figures as an aligned text table: figure, measured, budget, within budget."""
    rows = [("figure", "measured", "budget", "within budget")]
    for figure in figures:
        budget = "-" if figure.budget is None else f"< {figure.budget:g} {figure.unit}"
        rows.append((figure.name, _format_value(figure.value, figure.unit), budget,
                     figure.verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {figure.name}: {figure.note}" for figure in figures if figure.note]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


def emit(figures: Sequence[Figure], as_json: bool) -> None:
    """Print the figures: JSON lines for ``run_all.py``, else a table."""
    if as_json:
        for figure in figures:
            print(json.dumps(asdict(figure)))
    else:
        print(format_table(figures))


def parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the ``--json`` flag every script takes."""
    result = argparse.ArgumentParser(description=description)
    result.add_argument("--json", action="store_true",
                        help="print the figures as JSON lines (for run_all.py)")
    return result


def parse_figures(lines: str) -> list[Figure]:
    """Figures back from the JSON lines a script printed with ``--json``."""
    return [Figure(**json.loads(line)) for line in lines.splitlines()
            if line.startswith("{")]


def note(message: str) -> None:
    """A progress or diagnostic line, kept off stdout so that ``--json`` output stays clean."""
    print(message, file=sys.stderr)
