"""Dagster's side of the comparison: the shapes of ``run.py`` with ops, jobs and its executors.

Needs only ``dagster`` (``pip install dagster``). Storage, as each figure says:

- **no storage**: ``JobDefinition.execute_in_process()`` without an instance, which runs on
  an ephemeral in-memory ``DagsterInstance``;
- **persistent local storage**: ``DagsterInstance.get()`` on a temporary ``DAGSTER_HOME``
  with no ``dagster.yaml``: Dagster's default SQLite run, event-log and schedule storage
  and local compute-log capture, every event stored.

Console logs: Dagster's console logger prints DEBUG by default (every event); the runs here
set it to INFO (``loggers: console: config: log_level``), the level Headwater's console
logger prints, so that neither pays for printing more than the other. The CLI figure keeps
every default.

Run ``python compare_dagster.py`` for every figure as JSON lines (each in a fresh
interpreter), or ``--figure NAME`` for one.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    CHAIN,
    FAN_OUT,
    MULTIPROCESS,
    NO_STORAGE,
    PERSISTENT,
    STEPS,
    Figure,
    _increment,
    _start,
    direct_chain,
    direct_fan_out,
    in_process_figure,
    main,
    peak_rss_mb,
    subprocess_env,
    time_cli,
)

HELLO = Path(__file__).resolve().parent / "hello_dagster.py"
INFO_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def build_chain(steps: int) -> object:
    """``start -> step_0 -> ...``: ``steps`` ops in a line."""
    from dagster import job, op

    start, increment = op(name="start")(_start), op(name="increment")(_increment)

    @job(name="chain")
    def chain() -> None:
        value = start()
        for index in range(steps - 1):
            value = increment.alias(f"step_{index}")(value)

    return chain


def build_fan_out(steps: int) -> object:
    """``start`` feeding ``steps - 1`` independent ops."""
    from dagster import job, op

    start, increment = op(name="start")(_start), op(name="increment")(_increment)

    @job(name="fan_out")
    def fan_out() -> None:
        value = start()
        for index in range(steps - 1):
            increment.alias(f"leaf_{index}")(value)

    return fan_out


def _in_process(repeat: int, persistent: bool) -> list[Figure]:
    from dagster import DagsterInstance

    storage = PERSISTENT if persistent else NO_STORAGE
    detail = ("DagsterInstance.get() on a temporary DAGSTER_HOME (SQLite)" if persistent
              else "ephemeral in-memory DagsterInstance")
    figures = []
    with tempfile.TemporaryDirectory(prefix="dagster-compare-") as home:
        os.environ["DAGSTER_HOME"] = home
        instance = DagsterInstance.get() if persistent else None
        for name, build, direct in ((CHAIN, build_chain, direct_chain),
                                    (FAN_OUT, build_fan_out, direct_fan_out)):
            def run(build=build) -> None:  # a new job each run, as a new process has
                result = build(STEPS).execute_in_process(run_config=INFO_LOGS,
                                                         instance=instance)
                assert result.success

            figures.append(in_process_figure(name.format(storage=storage), run, direct,
                                             repeat, f"execute_in_process, {detail}"))
        if instance is not None:
            instance.dispose()
    return figures


def in_process_none(repeat: int) -> list[Figure]:
    return _in_process(repeat, persistent=False)


def in_process_persistent(repeat: int) -> list[Figure]:
    return _in_process(repeat, persistent=True)


def fan_out_32() -> object:
    """The multiprocess shape: a source op and 31 ops, with the job's default executor
    (multiprocess) and IO manager (pickles on the local filesystem)."""
    from dagster import job, op

    source, increment = op(name="source")(_start), op(name="increment")(_increment)

    @job(name="fan_out_32")
    def fan_out() -> None:
        value = source()
        for index in range(31):
            increment.alias(f"increment_{index}")(value)

    return fan_out


def multiprocess(repeat: int) -> list[Figure]:
    from dagster import DagsterInstance, execute_job, reconstructable

    run_config = {"execution": {"config": {"multiprocess": {"max_concurrent": 2}}},
                  **INFO_LOGS}
    times = []
    with tempfile.TemporaryDirectory(prefix="dagster-compare-") as home:
        os.environ["DAGSTER_HOME"] = home
        with DagsterInstance.get() as instance:
            for _ in range(repeat):
                started = time.perf_counter()
                with execute_job(reconstructable(fan_out_32), instance=instance,
                                 run_config=run_config) as result:
                    assert result.success
                times.append((time.perf_counter() - started) * 1000.0)
    return [Figure(MULTIPROCESS, statistics.median(times), "ms",
                   note=f"execute_job with the multiprocess executor, max_concurrent 2 (a new "
                        f"process per step), SQLite instance, default filesystem IO manager; "
                        f"median of {repeat}")]


def cli(repeat: int) -> list[Figure]:
    command = [str(Path(sys.executable).parent / "dagster"), "job", "execute", "-f",
               str(HELLO)]
    with tempfile.TemporaryDirectory(prefix="dagster-compare-") as home:
        return [time_cli(command, subprocess_env(DAGSTER_HOME=home), home, repeat,
                         "dagster job execute -f hello_dagster.py, existing DAGSTER_HOME")]


def mapped(_repeat: int, count: str) -> list[Figure]:
    from dagster import DagsterInstance, DynamicOut, DynamicOutput, job, op

    steps = int(count)

    @op(out=DynamicOut(int))
    def values():
        for index in range(steps):
            yield DynamicOutput(index, mapping_key=str(index))

    @op
    def increment(x: int) -> int:
        return x + 1

    @op
    def total(xs: list) -> int:
        return sum(xs)

    @job
    def mapped_job():
        total(values().map(increment).collect())

    with tempfile.TemporaryDirectory(prefix="dagster-compare-") as home:
        os.environ["DAGSTER_HOME"] = home
        with DagsterInstance.get() as instance:
            started = time.perf_counter()
            assert mapped_job.execute_in_process(run_config=INFO_LOGS,
                                                 instance=instance).success
            seconds = time.perf_counter() - started
    detail = "DynamicOut .map then .collect, execute_in_process, SQLite DagsterInstance"
    return [Figure("mapped", seconds, "s", note=json.dumps(
        {"seconds": seconds, "rss_mb": peak_rss_mb(), "detail": detail}))]


FIGURES = {"in_process_none": in_process_none, "in_process_persistent": in_process_persistent,
           "multiprocess": multiprocess, "cli": cli, "mapped": mapped}

if __name__ == "__main__":
    main(__file__, FIGURES)
