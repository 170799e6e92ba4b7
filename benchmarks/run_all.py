"""Run every benchmark, each in a fresh interpreter, and print one table of figures.

    python benchmarks/run_all.py              # everything (about a minute)
    python benchmarks/run_all.py import plan  # only bench_import.py and bench_plan.py

Figures are printed, never asserted: a figure over its budget says "no" in the last column
and the exit status stays 0. The exit status is 1 only when a benchmark script crashed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from _harness import Figure, format_table, note, parse_figures, subprocess_env

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("import", "in_process", "event_log", "multiprocess", "plan", "cli",
              "dask", "ui", "scale")
# Options a script is run with here: bench_dask.py alone takes about a minute for its
# full figures, bench_scale.py several (run them directly for those).
OPTIONS = {"dask": ("--quick",), "scale": ("--quick",)}


def run_benchmark(name: str) -> tuple[list[Figure], bool]:
    """The figures of ``bench_<name>.py`` and whether it ran to the end."""
    script = HERE / f"bench_{name}.py"
    note(f"running {script.name} ...")
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(script), "--json", *OPTIONS.get(name, ())],
                               capture_output=True, text=True, env=subprocess_env())
    note(f"  {script.name} took {time.perf_counter() - started:.1f} s")
    if completed.returncode != 0:
        note(completed.stderr)
        return [Figure(f"bench_{name}.py", None, "",
                       note=f"crashed (exit {completed.returncode}); its stderr is above")], False
    return parse_figures(completed.stdout), True


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in BENCHMARKS]
    if unknown:
        note(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
        return 2
    figures: list[Figure] = []
    all_ran = True
    for name in argv or BENCHMARKS:
        results, ran = run_benchmark(name)
        figures += results
        all_ran = all_ran and ran
    print(format_table(figures))
    return 0 if all_ran else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
