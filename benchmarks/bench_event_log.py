"""Event-log write throughput into a persistent SQLite instance, and what it costs a run.

Three ways of writing the same entries into a fresh SQLite event log:

- steps: the shape of a real run, a STEP_START, 8 log lines and a STEP_SUCCESS per step
  (a commit at each step start and end);
- log lines: only log lines, committed in batches every 100 ms;
- one commit per entry: a flush after every entry, the way batching avoids (for context).

Then the in-process step overhead of a chain of trivial steps recorded in a persistent
SQLite instance with its full event log (the budgeted figure), measured like
``bench_in_process.py`` measures it with the in-memory recorder.
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from _harness import Figure, emit, parser

BUDGET_MS_PER_STEP = 0.2
LINES_PER_STEP = 8


def _event(step_key: str, event_type: str) -> object:
    from headwater.execution.events import EventLogEntry, HeadwaterEvent

    event = HeadwaterEvent(event_type, "bench", step_key, step_key, event_type, None, 1)
    return EventLogEntry("run", time.time(), logging.DEBUG, event_type, step_key, "bench",
                         None, event)


def _line(step_key: str, message: str) -> object:
    from headwater.execution.events import EventLogEntry

    return EventLogEntry("run", time.time(), logging.INFO, message, step_key, "bench")


def _fresh_storage(folder: str) -> object:
    from headwater.instance.storage.database import SqlDatabase
    from headwater.instance.storage.event_log import SqlEventLogStorage

    storage = SqlEventLogStorage(SqlDatabase.sqlite_file(os.path.join(folder, "bench.db")))
    storage.get_event_records(limit=1)  # creates the schema outside the timing
    return storage


def _throughput(write: Callable[[object], int], repeat: int) -> tuple[float, int]:
    """Median entries per second of ``write`` (which returns how many it wrote) and the
    commits it made, each sample on a fresh database."""
    rates, commits = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            storage = _fresh_storage(folder)
            counted = count_commits(storage.database)
            started = time.perf_counter()
            written = write(storage)
            storage.flush()
            rates.append(written / (time.perf_counter() - started))
            commits.append(len(counted))
            storage.dispose()
            storage.database.dispose()
    return statistics.median(rates), int(statistics.median(commits))


def count_commits(database: object) -> list[int]:
    """A list that grows by one at every transaction committed by the database's writes from
    now on: the COMMIT statements SQLite itself runs (traced on its write connection)."""
    counted: list[int] = []
    database.trace_writes(lambda statement: counted.append(1)  # type: ignore[attr-defined]
                          if statement.upper().startswith("COMMIT") else None)
    return counted


def write_steps(entries: int) -> Callable[[object], int]:
    def write(storage: object) -> int:
        steps = entries // (LINES_PER_STEP + 2)
        for step in range(steps):
            key = f"step_{step}"
            storage.store_event(_event(key, "STEP_START"))
            for line in range(LINES_PER_STEP):
                storage.store_event(_line(key, f"line {line}"))
            storage.store_event(_event(key, "STEP_SUCCESS"))
        return steps * (LINES_PER_STEP + 2)

    return write


def write_log_lines(entries: int) -> Callable[[object], int]:
    def write(storage: object) -> int:
        for line in range(entries):
            storage.store_event(_line("step", f"line {line}"))
        return entries

    return write


def write_one_commit_each(entries: int) -> Callable[[object], int]:
    def write(storage: object) -> int:
        for line in range(entries):
            storage.store_event(_line("step", f"line {line}"))
            storage.flush()
        return entries

    return write


def step_overhead_with_instance(shape: str, steps: int, repeat: int) -> Figure:
    from bench_in_process import build_chain, build_fan_out, direct_chain, direct_fan_out

    from headwater import execute_pipeline
    from headwater.instance import instance_for_test

    build, direct_call = ((build_chain, direct_chain) if shape == "chain"
                          else (build_fan_out, direct_fan_out))
    run_times, commits = [], []
    with instance_for_test() as instance:
        for _ in range(repeat + 1):  # the first run warms up caches and creates the schema
            pipeline_def = build(steps)
            counted = count_commits(instance.event_log_storage.database)
            started = time.perf_counter()
            result = execute_pipeline(pipeline_def, instance=instance)
            run_times.append(time.perf_counter() - started)
            commits.append(len(counted))
            assert result.success, "the benchmark pipeline failed"
        stored = len(instance.all_logs(result.run_id))
    run_ms = statistics.median(run_times[1:]) * 1000.0
    direct = []
    for _ in range(repeat):
        started = time.perf_counter()
        direct_call(steps)
        direct.append(time.perf_counter() - started)
    overhead = (run_ms - statistics.median(direct) * 1000.0) / steps
    return Figure(f"in-process step overhead, persistent SQLite instance, {shape} of {steps}",
                  overhead, "ms/step", BUDGET_MS_PER_STEP,
                  note=f"full event log ({stored} entries a run, "
                       f"{int(statistics.median(commits[1:]))} commits a run); "
                       f"run {run_ms:.0f} ms, median of {repeat}")


def measure(entries: int, steps: int, repeat: int) -> list[Figure]:
    figures = []
    for label, write, count in (
            ("steps: 8 log lines between step start and end", write_steps, entries),
            ("log lines only, 100 ms batches", write_log_lines, entries),
            ("one commit per entry (unbatched, for context)", write_one_commit_each,
             entries // 10)):
        rate, commits = _throughput(write(count), repeat)
        figures.append(Figure(f"event-log writes into SQLite, {label}", rate, "entries/s",
                              note=f"{count} entries, {commits} commits, median of {repeat}"))
    figures.append(step_overhead_with_instance("chain", steps, repeat))
    figures.append(step_overhead_with_instance("fan-out", steps, repeat))
    return figures


def main() -> None:
    args_parser = parser(__doc__.splitlines()[0])
    args_parser.add_argument("--entries", type=int, default=20_000,
                             help="entries written per sample")
    args_parser.add_argument("--steps", type=int, default=1000, help="steps of the chain")
    args_parser.add_argument("--repeat", type=int, default=5, help="samples per figure")
    args = args_parser.parse_args()
    emit(measure(args.entries, args.steps, args.repeat), args.json)


if __name__ == "__main__":
    main()
