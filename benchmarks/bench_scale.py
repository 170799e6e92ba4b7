"""Scale: one run of many mapped steps, listing many runs, reading a long run's log.

- **mapped steps**: ``.map`` over N values (one step each), then ``.collect``, in process
  with a persistent SQLite instance and its full event log; the run's wall time and the
  peak RSS of the process that ran it (a fresh interpreter per size, so the peak is the
  run's). The budget is N = 100,000 (< 60 s, < 1 GB; benchmarks/README.md); ``--mapped`` sets N.
- **run list**: ``Instance.get_runs(limit=50)`` (the first page, what ``headwater run list``
  shows) with R runs stored (default 100,000, inserted in one transaction outside the
  timing), median of 5; the ``headwater run list`` process, cold, for context.
- **log read**: ``Instance.all_logs`` of one run with E events stored (default 100,000),
  median of 3.

Budgets: < 60 s and < 1 GB for 100,000 mapped steps, < 100 ms for run list, < 1 s for
the log read. The full sizes take minutes on a 2-core machine: ``run_all.py`` runs this
script with ``--quick`` (10,000 of each), which prints the figures at that size, not
against the budgets.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from _harness import Figure, emit, median_ms, note, parser, subprocess_env

MAPPED_CHILD = """
import json, sys, time
from headwater import DynamicOutput, DynamicOutputDefinition, execute_pipeline, pipeline, solid
from headwater.instance import instance_for_test

count = int(sys.argv[1])

@solid(output_defs=[DynamicOutputDefinition(int)])
def values(_):
    for index in range(count):
        yield DynamicOutput(index, mapping_key=str(index))

@solid
def increment(_, x: int) -> int:
    return x + 1

@solid
def total(_, xs: list) -> int:
    return sum(xs)

@pipeline
def mapped():
    total(values().map(increment).collect())

with instance_for_test() as instance:
    started = time.perf_counter()
    result = execute_pipeline(mapped, instance=instance)
    seconds = time.perf_counter() - started
    assert result.success, "the mapped run failed"
import resource
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb}))
"""


def mapped_steps(count: int, budgeted: bool) -> list[Figure]:
    completed = subprocess.run([sys.executable, "-c", MAPPED_CHILD, str(count)],
                               capture_output=True, text=True, env=subprocess_env(),
                               check=False)
    if completed.returncode != 0:
        note(completed.stderr)
        return [Figure(f"one run of {count:,} mapped steps", None, "s",
                       note=f"failed (exit {completed.returncode}); stderr above")]
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    return [
        Figure(f"one run of {count:,} mapped steps, SQLite instance", measured["seconds"], "s",
               60.0 if budgeted else None,
               note=f"{measured['seconds'] / count * 1000:.3f} ms/step"),
        Figure(f"one run of {count:,} mapped steps, peak RSS", measured["rss_mb"], "MB",
               1024.0 if budgeted else None),
    ]


def _fill_runs(instance: object, count: int) -> None:
    from headwater.execution.run import PipelineRun, PipelineRunStatus
    from headwater.serdes import serialize

    database = instance.run_storage.database  # type: ignore[attr-defined]
    now = time.time()
    template = PipelineRun(pipeline_name="filler", run_id="template",
                           status=PipelineRunStatus.SUCCESS)
    body = serialize(template)
    rows = [(f"run-{index:08d}", "filler", "default", "SUCCESS",
             body.replace("template", f"run-{index:08d}"), now, now) for index in range(count)]
    database.insert_committed("runs", ("run_id", "pipeline_name", "mode", "status", "run_body",
                                       "create_timestamp", "update_timestamp"), rows)


def run_list(count: int, budgeted: bool) -> list[Figure]:
    from headwater.instance import Instance

    with tempfile.TemporaryDirectory() as home:
        instance = Instance.from_config(home)
        _fill_runs(instance, count)
        assert len(instance.get_runs(limit=50)) == min(50, count)
        page_ms = median_ms(lambda: instance.get_runs(limit=50), 5)
        instance.dispose()
        started = time.perf_counter()
        subprocess.run([os.path.join(os.path.dirname(sys.executable), "headwater"), "run",
                        "list"], capture_output=True, check=True,
                       env=subprocess_env(HEADWATER_HOME=home))
        cli_ms = (time.perf_counter() - started) * 1000.0
    return [Figure(f"run list with {count:,} runs stored, first page", page_ms, "ms",
                   100.0 if budgeted else None,
                   note=f"Instance.get_runs(limit=50), median of 5; the headwater run list "
                        f"process, cold: {cli_ms:.0f} ms"),
            ]


def log_read(count: int, budgeted: bool) -> list[Figure]:
    import logging

    from headwater.execution.events import EventLogEntry
    from headwater.instance import Instance

    with tempfile.TemporaryDirectory() as home:
        instance = Instance.from_config(home)
        for index in range(count):
            instance.event_log_storage.store_event(EventLogEntry(
                "long", time.time(), logging.INFO, f"line {index}", "s", "scale"))
        instance.flush()
        times = []
        for _ in range(3):
            started = time.perf_counter()
            read = instance.all_logs("long")
            times.append((time.perf_counter() - started) * 1000.0)
        assert len(read) == count
        instance.dispose()
    return [Figure(f"log read of a run with {count:,} events", statistics.median(times), "ms",
                   1000.0 if budgeted else None, note="Instance.all_logs, median of 3")]


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--mapped", type=int, default=100_000, help="mapped steps")
    args_parser.add_argument("--runs", type=int, default=100_000, help="runs stored")
    args_parser.add_argument("--events", type=int, default=100_000, help="events of the run")
    args_parser.add_argument("--quick", action="store_true", help="10,000 of each")
    args = args_parser.parse_args()
    if args.quick:
        args.mapped = args.runs = args.events = 10_000
    figures = (mapped_steps(args.mapped, args.mapped == 100_000)
               + run_list(args.runs, args.runs == 100_000)
               + log_read(args.events, args.events == 100_000))
    emit(figures, args.json)


if __name__ == "__main__":
    main()
