"""What the three comparison scripts share: the figures' names, the fresh-interpreter
driver, and the timing of a shape against calling its functions directly.

Standard library only, and ``benchmarks/_harness.py`` (also standard library only): each
script runs in an environment where only its own tool is installed.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from _harness import Figure, median_ms, note, subprocess_env

__all__ = ["CHAIN", "CLI", "FAN_OUT", "MAPPED_PER_STEP", "MAPPED_RSS", "MAPPED_SECONDS",
           "MAPPED_STEPS", "MULTIPROCESS", "STEPS", "Figure", "direct_chain",
           "direct_fan_out", "in_process_figure", "main", "median_ms", "note",
           "peak_rss_mb", "subprocess_env", "time_cli"]

STEPS = 1000
MULTIPROCESS_STEPS = 32
# Figure names: the rows of run.py's table, the same for every tool.
CHAIN = "in-process, chain of 1,000, {storage}"
FAN_OUT = "in-process, fan-out of 1,000, {storage}"
MULTIPROCESS = "multiprocess, fan-out of 32 on 2 workers, whole run"
CLI = "CLI, 3-step hello, cold process"
MAPPED_STEPS = "mapped steps: largest N run within the cap"
MAPPED_SECONDS = "mapped steps: run time at that N"
MAPPED_PER_STEP = "mapped steps: time per step at that N"
MAPPED_RSS = "mapped steps: peak RSS at that N"
NO_STORAGE, PERSISTENT = "no storage", "persistent local storage"

# Mapped-step sizes tried in turn, each in a fresh interpreter; the next size is skipped
# when the last one's time per step says it would overrun the cap.
MAPPED_SIZES = (1_000, 10_000, 100_000)
DEFAULT_CAP_SECONDS = 300.0
# A figure other than mapped steps that takes longer is left empty (a hung server, say).
FIGURE_TIMEOUT_SECONDS = 1200.0


def _start() -> int:
    return 1


def _increment(x: int) -> int:
    return x + 1


def direct_chain(steps: int) -> None:
    """The chain's functions called directly: what the per-step figure subtracts."""
    value = _start()
    for _ in range(steps - 1):
        value = _increment(value)


def direct_fan_out(steps: int) -> None:
    """The fan-out's functions called directly."""
    value = _start()
    for _ in range(steps - 1):
        _increment(value)


def in_process_figure(name: str, run: Callable[[], object], direct: Callable[[int], None],
                      repeat: int, detail: str) -> Figure:
    """Per-step overhead of ``run`` (a whole run of ``STEPS`` steps) over ``direct``.

    The first run is a warm-up; the figure is ``(median run - direct) / STEPS``.
    """
    import gc

    times = []
    for _ in range(repeat + 1):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    run_ms = statistics.median(times[1:]) * 1000.0
    per_step = (run_ms - median_ms(lambda: direct(STEPS), repeat)) / STEPS
    return Figure(name, per_step, "ms/step",
                  note=f"{detail}; run {run_ms:.0f} ms, median of {repeat}")


def time_cli(command: Sequence[str], env: dict[str, str], cwd: str, repeat: int,
             detail: str) -> Figure:
    """Median wall time of ``command`` as a new process, after one untimed warm-up run."""
    warm_up = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd,
                             check=False)
    if warm_up.returncode != 0:
        note(warm_up.stdout + warm_up.stderr)
        last = (warm_up.stderr.strip().splitlines() or ["(no output)"])[-1]
        return Figure(CLI, None, "ms", note=f"failed (exit {warm_up.returncode}): {last}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, cwd=cwd, check=True)
        times.append((time.perf_counter() - started) * 1000.0)
    return Figure(CLI, statistics.median(times), "ms",
                  note=f"{detail}; median of {repeat} processes after an untimed warm-up")


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_child(script: str, figure: str, args: Sequence[str],
               timeout: float | None = None) -> list[Figure] | None:
    """Run one figure of ``script`` in a fresh interpreter; None if it failed or timed out."""
    command = [sys.executable, script, "--figure", figure, *args]
    try:
        completed = subprocess.run(command, capture_output=True, text=True,
                                   env=subprocess_env(), timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        note(f"{os.path.basename(script)} {figure} {' '.join(args)}: over {timeout:.0f} s")
        return None
    if completed.returncode != 0:
        note(completed.stderr[-4000:])
        return None
    return [Figure(**json.loads(line)) for line in completed.stdout.splitlines()
            if line.startswith("{")]


def _mapped(script: str, cap: float, sizes: Sequence[int]) -> list[Figure]:
    best: dict | None = None
    for count in sizes:
        if best is not None and best["seconds"] / best["count"] * count > cap:
            note(f"mapped {count:,}: skipped, {best['count']:,} took {best['seconds']:.0f} s")
            break
        figures = _run_child(script, "mapped", [str(count)], timeout=cap)
        if not figures:
            break
        measured = json.loads(figures[0].note)
        if measured["seconds"] > cap:
            break
        best = {"count": count, **measured}
        note(f"mapped {count:,}: {measured['seconds']:.1f} s")
    cap_note = f"cap {cap:.0f} s a run; sizes tried in turn: {', '.join(f'{s:,}' for s in sizes)}"
    if best is None:
        return [Figure(MAPPED_STEPS, None, "steps", note=f"none completed; {cap_note}")]
    per_step = best["seconds"] / best["count"] * 1000.0
    return [
        Figure(MAPPED_STEPS, best["count"], "steps", note=cap_note),
        Figure(MAPPED_SECONDS, best["seconds"], "s", note=best["detail"]),
        Figure(MAPPED_PER_STEP, per_step, "ms/step",
               note=f"at N = {best['count']:,}; not an extrapolation"),
        Figure(MAPPED_RSS, best["rss_mb"], "MB"),
    ]


def main(script: str, figures: dict[str, Callable[..., list[Figure]]]) -> None:
    """The command line every comparison script has.

    ``--figure NAME [ARGS]`` measures one figure in this interpreter and prints it as JSON
    lines; without it, every figure is measured, each in a fresh interpreter (so that one
    tool's settings, servers and caches never leak from one figure into the next).
    """
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figure", choices=sorted(figures), help="one figure, in process")
    parser.add_argument("args", nargs="*", help="the figure's arguments (mapped: N)")
    parser.add_argument("--repeat", type=int, default=5, help="samples per figure")
    parser.add_argument("--cap", type=float, default=DEFAULT_CAP_SECONDS,
                        help="seconds a mapped-steps run may take")
    parser.add_argument("--mapped", type=int, nargs="*", default=list(MAPPED_SIZES),
                        help="mapped-step sizes to try in turn")
    parser.add_argument("--only", nargs="*", help="only these figures")
    args = parser.parse_args()
    if args.figure:
        for figure in figures[args.figure](args.repeat, *args.args):
            print(json.dumps(asdict(figure)))
        return
    for name in args.only or [name for name in figures if name != "mapped"] + ["mapped"]:
        if name == "mapped":
            measured = _mapped(script, args.cap, args.mapped)
        else:
            measured = _run_child(script, name, [f"--repeat={args.repeat}"],
                                  timeout=FIGURE_TIMEOUT_SECONDS) or [
                Figure(name, None, "", note="failed; its error is on stderr")]
        for figure in measured:
            print(json.dumps(asdict(figure)), flush=True)
