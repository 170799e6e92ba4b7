"""Cold CLI execution: ``headwater pipeline execute -f examples/hello_headwater.py`` in a
fresh process each time, from process start to exit, median of N.

The runs share one throw-away HEADWATER_HOME, created by a warm-up run that is not timed:
the figure is a user's run with an existing instance, not the very first run on a machine.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import Figure, emit, parser, subprocess_env

BUDGET_MS = 250.0
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hello_headwater.py"
FIGURE = "headwater pipeline execute, 3-solid example, cold"


def headwater_command() -> list[str] | None:
    """The ``headwater`` console script installed beside this interpreter, if any."""
    script = Path(sys.executable).parent / "headwater"
    if script.exists():
        return [str(script)]
    found = shutil.which("headwater")
    return [found] if found else None


def _run(command: list[str], home: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True,
                          env=subprocess_env(HEADWATER_HOME=home), cwd=EXAMPLE.parent.parent)


def measure(repeat: int) -> list[Figure]:
    headwater = headwater_command()
    if headwater is None:
        return [Figure(FIGURE, None, "ms", BUDGET_MS,
                       note="skipped: no `headwater` command is installed yet")]
    if not EXAMPLE.exists():
        return [Figure(FIGURE, None, "ms", BUDGET_MS,
                       note=f"skipped: {EXAMPLE.name} is not in examples/ yet")]
    command = [*headwater, "pipeline", "execute", "-f", str(EXAMPLE)]
    with tempfile.TemporaryDirectory(prefix="headwater-bench-home-") as home:
        warm_up = _run(command, home)
        if warm_up.returncode != 0:
            last_line = (warm_up.stderr.strip().splitlines() or ["(no output)"])[-1]
            return [Figure(FIGURE, None, "ms", BUDGET_MS,
                           note=f"skipped: the command failed (exit {warm_up.returncode}): "
                                f"{last_line}")]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            _run(command, home).check_returncode()
            times.append((time.perf_counter() - started) * 1000.0)
    return [Figure(FIGURE, statistics.median(times), "ms", BUDGET_MS,
                   note=f"median of {repeat} processes; {os.path.basename(headwater[0])} "
                        f"pipeline execute -f examples/{EXAMPLE.name}")]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--repeat", type=int, default=7, help="CLI processes timed")
    args = args_parser.parse_args()
    emit(measure(args.repeat), args.json)


if __name__ == "__main__":
    main()
