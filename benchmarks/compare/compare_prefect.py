"""Prefect's side of the comparison: the shapes of ``run.py`` with Prefect 3 flows and tasks.

Needs only ``prefect`` (``pip install prefect``). Prefect 3 records every flow and task
run through its API; with no ``PREFECT_API_URL`` it starts a temporary API server of its
own (a subprocess on 127.0.0.1, the "ephemeral" mode) on the SQLite database of
``$PREFECT_HOME``. Storage, as each figure says:

- **no storage**: that temporary server on an in-memory SQLite database
  (``PREFECT_API_DATABASE_CONNECTION_URL``): the runs still go through the API, nothing
  reaches a file. Prefect has no run without an API.
- **persistent local storage**: the default, the temporary server on
  ``$PREFECT_HOME/prefect.db`` in a temporary ``PREFECT_HOME``.

Task results are not persisted (Prefect's default); console logging is Prefect's default
(INFO, a line per task run). Analytics are off (``DO_NOT_TRACK``).

Run ``python compare_prefect.py`` for every figure as JSON lines (each in a fresh
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

HELLO = Path(__file__).resolve().parent / "hello_prefect.py"
IN_MEMORY = "sqlite+aiosqlite:///file::memory:?cache=shared&uri=true"


def _environment(home: str, in_memory: bool = False) -> dict[str, str]:
    """Settings for this process (and the API server it starts), before prefect is imported."""
    settings = {"PREFECT_HOME": home, "DO_NOT_TRACK": "1",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    if in_memory:
        settings["PREFECT_API_DATABASE_CONNECTION_URL"] = IN_MEMORY
    os.environ.update(settings)
    return settings


def _start_api() -> None:
    """Run a trivial flow, untimed: Prefect starts its temporary API server at the first
    flow run of a process (seconds), as Headwater opens its instance before a run."""
    from prefect import flow

    flow(name="warm_up")(lambda: None)()


def build_chain(steps: int) -> object:
    """A flow calling ``steps`` tasks in a line, each on the previous one's result."""
    from prefect import flow, task

    start, increment = task(name="start")(_start), task(name="increment")(_increment)

    @flow(name="chain")
    def chain() -> int:
        value = start()
        for _ in range(steps - 1):
            value = increment(value)
        return value

    return chain


def build_fan_out(steps: int) -> object:
    """A flow with a ``start`` task whose result is mapped over ``steps - 1`` tasks."""
    from prefect import flow, task

    start, increment = task(name="start")(_start), task(name="increment")(_increment)

    @flow(name="fan_out")
    def fan_out() -> list[int]:
        value = start()
        return increment.map([value] * (steps - 1)).result()

    return fan_out


def _in_process(repeat: int, persistent: bool) -> list[Figure]:
    storage = PERSISTENT if persistent else NO_STORAGE
    detail = ("temporary API server, SQLite in a temporary PREFECT_HOME" if persistent
              else "temporary API server, in-memory SQLite")
    figures = []
    with tempfile.TemporaryDirectory(prefix="prefect-compare-") as home:
        _environment(home, in_memory=not persistent)
        for name, build, direct, how in (
                (CHAIN, build_chain, direct_chain, "tasks called in turn"),
                (FAN_OUT, build_fan_out, direct_fan_out, "task.map, thread pool")):
            def run(build=build) -> None:  # a new flow each run, as a new process has
                build(STEPS)()

            figures.append(in_process_figure(name.format(storage=storage), run, direct,
                                             repeat, f"flow, {how}, {detail}"))
    return figures


def in_process_none(repeat: int) -> list[Figure]:
    return _in_process(repeat, persistent=False)


def in_process_persistent(repeat: int) -> list[Figure]:
    return _in_process(repeat, persistent=True)


def multiprocess(repeat: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="prefect-compare-") as home:
        _environment(home)
        from prefect import flow, task
        from prefect.task_runners import ProcessPoolTaskRunner

        source, increment = task(name="source")(_start), task(name="increment")(_increment)

        @flow(name="fan_out_32", task_runner=ProcessPoolTaskRunner(max_workers=2))
        def fan_out() -> list[int]:
            value = source.submit().result()
            return increment.map([value] * 31).result()

        _start_api()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fan_out()
            times.append((time.perf_counter() - started) * 1000.0)
    return [Figure(MULTIPROCESS, statistics.median(times), "ms",
                   note=f"ProcessPoolTaskRunner(max_workers=2), submit then map, temporary "
                        f"API server on SQLite; median of {repeat}")]


def cli(repeat: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="prefect-compare-") as home:
        env = subprocess_env(**_environment(home))
        return [time_cli([sys.executable, str(HELLO)], env, home, repeat,
                         "python hello_prefect.py (a flow of 3 tasks), existing PREFECT_HOME, "
                         "temporary API server started by each process")]


def mapped(_repeat: int, count: str) -> list[Figure]:
    steps = int(count)
    with tempfile.TemporaryDirectory(prefix="prefect-compare-") as home:
        _environment(home)
        from prefect import flow, task

        @task
        def values() -> list[int]:
            return list(range(steps))

        @task
        def increment(x: int) -> int:
            return x + 1

        @task
        def total(xs: list[int]) -> int:
            return sum(xs)

        @flow
        def mapped_flow() -> int:
            return total(increment.map(values()))

        _start_api()
        started = time.perf_counter()
        assert mapped_flow() == sum(range(1, steps + 1))
        seconds = time.perf_counter() - started
    detail = "task.map over a task's list, then a task on the futures, temporary API server"
    return [Figure("mapped", seconds, "s", note=json.dumps(
        {"seconds": seconds, "rss_mb": peak_rss_mb(), "detail": detail}))]


FIGURES = {"in_process_none": in_process_none, "in_process_persistent": in_process_persistent,
           "multiprocess": multiprocess, "cli": cli, "mapped": mapped}

if __name__ == "__main__":
    main(__file__, FIGURES)
