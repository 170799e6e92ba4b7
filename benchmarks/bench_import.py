"""Cold ``import headwater``: each sample is a fresh interpreter, so nothing is cached but
the bytecode on disk.

    python benchmarks/bench_import.py                 # the figures
    python benchmarks/bench_import.py --importtime    # plus the slowest modules (-X importtime)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _harness import Figure, emit, note, parser, subprocess_env

BUDGET_MS = 50.0
# Standard-library modules `import headwater` must not load: each costs milliseconds to tens
# of them, and only the CLI, the instance, the plugins or some executors need them. Any
# module from outside the standard library (yaml, click, rich, sqlalchemy, pluggy, ...) is
# reported too.
HEAVY_STDLIB = ("sqlite3", "asyncio", "concurrent.futures.process", "multiprocessing",
                "importlib.metadata", "tempfile", "ssl", "email", "http")

_TIMED_IMPORT = """
import sys, time
started = time.perf_counter()
import {module}
elapsed = (time.perf_counter() - started) * 1000.0
third_party = {{m.partition(".")[0] for m in sys.modules}} - set(sys.stdlib_module_names)
third_party -= {{"headwater", "__main__"}}
heavy = [m for m in {heavy!r} if m in sys.modules] + sorted(
    m for m in third_party if not m.startswith("_sysconfigdata"))
print(elapsed, ",".join(heavy))
"""


def timed_import(module: str) -> tuple[float, list[str]]:
    """Milliseconds to import ``module`` in a fresh interpreter, and the heavy modules it
    loaded."""
    code = _TIMED_IMPORT.format(module=module, heavy=HEAVY_STDLIB)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env=subprocess_env()).stdout.split()
    return float(out[0]), (out[1].split(",") if len(out) > 1 else [])


def interpreter_ms(code: str, repeat: int) -> float:
    """Median wall time of ``python -c code`` in milliseconds, interpreter start included."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=subprocess_env())
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def importtime_offenders(module: str, top: int) -> str:
    """The ``top`` modules by cumulative and by self import time (``python -X importtime``)."""
    stderr = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                            check=True, capture_output=True, text=True,
                            env=subprocess_env()).stderr
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|")
        rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    by_cumulative = sorted(rows, key=lambda r: r[1], reverse=True)[:top]
    by_self = sorted(rows, key=lambda r: r[0], reverse=True)[:top]
    lines = [f"-X importtime of {module} (microseconds; inflated by the tracing itself)",
             "", "by cumulative time:"]
    lines += [f"  {cum:>8}  {name}" for _, cum, name in by_cumulative]
    lines += ["", "by self time:"]
    lines += [f"  {own:>8}  {name.strip()}" for own, _, name in by_self]
    return "\n".join(lines)


def measure(repeat: int) -> list[Figure]:
    timed_import("headwater")  # writes the bytecode, so that no sample compiles
    samples = [timed_import("headwater") for _ in range(repeat)]
    heavy = sorted({m for _, loaded in samples for m in loaded})
    bare = interpreter_ms("pass", repeat)
    with_headwater = interpreter_ms("import headwater", repeat)
    return [
        Figure("import headwater", statistics.median(ms for ms, _ in samples), "ms",
               BUDGET_MS, note=f"median of {repeat} fresh interpreters" + (
                   f"; loads heavy modules: {', '.join(heavy)}" if heavy else "")),
        Figure("python -c 'import headwater', wall minus 'pass'",
               with_headwater - bare, "ms"),
    ]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--repeat", type=int, default=15, help="fresh interpreters")
    args_parser.add_argument("--importtime", action="store_true",
                             help="also print the slowest modules of the import")
    args_parser.add_argument("--top", type=int, default=25,
                             help="how many modules --importtime lists")
    args = args_parser.parse_args()
    emit(measure(args.repeat), args.json)
    if args.importtime:
        offenders = importtime_offenders("headwater", args.top)
        note(offenders) if args.json else print(f"\n{offenders}")


if __name__ == "__main__":
    main()
