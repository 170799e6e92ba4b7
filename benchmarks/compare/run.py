"""Headwater side by side with Dagster and Prefect: the same shapes, one table.

Each tool's script runs in its own environment, where only that tool is installed (the
``bench-compare`` nox session makes the three):

    python benchmarks/compare/run.py --headwater H/bin/python --dagster D/bin/python \\
        --prefect P/bin/python

A tool without ``--<tool>`` is left out (its column shows "-"). Each script prints JSON
lines (``compare_<tool>.py``); this prints one table: the figure, each tool's value, and
how many times Headwater's figure each other tool's is (lower is better in every row, so
a ratio above 1 means Headwater is faster there). ``--save FILE`` keeps the raw figures;
``--load FILE`` starts from them, so that one tool can be measured again alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = ("headwater", "dagster", "prefect")
# Rows without a ratio: a count, and figures taken at a different N for each tool.
NO_RATIO = ("mapped steps: largest N run within the cap", "mapped steps: run time at that N",
            "mapped steps: peak RSS at that N")


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "steps":
        return f"{value:,.0f}"
    return f"{value:.3f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def table(results: Mapping[str, Sequence[Mapping]]) -> str:
    """The figures of every tool as one aligned text table, then the notes.

    Args:
        results: For each tool, the figures its script printed (dicts with ``name``,
            ``value``, ``unit`` and ``note``). Rows follow the order Headwater's script
            printed them, then any row only another tool has.
    """
    names: list[str] = []
    by_tool: dict[str, dict[str, Mapping]] = {}
    for tool in TOOLS:
        by_tool[tool] = {}
        for figure in results.get(tool, ()):
            by_tool[tool][figure["name"]] = figure
            if figure["name"] not in names:
                names.append(figure["name"])
    header = ("figure", "Headwater", "Dagster", "Prefect", "Dagster/Headwater",
              "Prefect/Headwater")
    rows = [header]
    for name in names:
        cells = [by_tool[tool].get(name) for tool in TOOLS]
        values = [_format(cell["value"], cell["unit"]) if cell else "-" for cell in cells]
        ratios = []
        for other in cells[1:]:
            base = cells[0]
            if (name in NO_RATIO or not base or not other or not base["value"]
                    or other["value"] is None):
                ratios.append("-")
            else:
                ratios.append(f"{other['value'] / base['value']:.1f}x")
        rows.append((name, *values, *ratios))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {tool}, {name}: {figure['note']}" for tool in TOOLS
             for name, figure in by_tool[tool].items() if figure.get("note")]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


def measure(tool: str, python: str, arguments: Sequence[str]) -> list[dict]:
    """Run ``compare_<tool>.py`` with ``python`` and return the figures it printed."""
    script = os.path.join(HERE, f"compare_{tool}.py")
    started = time.perf_counter()
    completed = subprocess.run([python, script, *arguments], stdout=subprocess.PIPE,
                               text=True, check=False)  # its progress goes to our stderr
    print(f"{tool}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    figures = [json.loads(line) for line in completed.stdout.splitlines()
               if line.startswith("{")]
    if completed.returncode != 0:
        print(f"{tool}: its script failed (exit {completed.returncode})", file=sys.stderr)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for tool in TOOLS:
        parser.add_argument(f"--{tool}", metavar="PYTHON",
                            help=f"the interpreter of an environment with {tool} installed")
    parser.add_argument("--repeat", type=int, default=3, help="samples per figure")
    parser.add_argument("--cap", type=float, default=300.0,
                        help="seconds one mapped-steps run of Dagster or Prefect may take")
    parser.add_argument("--headwater-mapped", type=int, default=100_000,
                        help="Headwater's mapped steps (the budgeted 100,000)")
    parser.add_argument("--save", help="write the raw figures here as JSON")
    parser.add_argument("--load", help="start from the figures --save wrote (to rerun one "
                                       "tool, and table it with the others)")
    args = parser.parse_args()
    results = {}
    if args.load:
        with open(args.load, encoding="utf-8") as file:
            results = json.load(file)
    for tool in TOOLS:
        python = getattr(args, tool)
        if python is None:
            continue
        arguments = [f"--repeat={args.repeat}"]
        if tool == "headwater":
            # The budgeted size, whatever it takes: the cap is for the other tools.
            arguments += ["--mapped", str(args.headwater_mapped), "--cap", "3600"]
        else:
            arguments += ["--cap", str(args.cap)]
        results[tool] = measure(tool, python, arguments)
    if args.save:
        with open(args.save, "w", encoding="utf-8") as file:
            json.dump(results, file, indent=1)
    print(table(results))


if __name__ == "__main__":
    main()
