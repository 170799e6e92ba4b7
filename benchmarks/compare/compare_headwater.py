"""Headwater's side of the comparison: the shapes of ``run.py``, measured in this interpreter.

Needs only the core (``pip install -e packages/core``). Storage, as each figure says:

- **no storage**: ``execute_pipeline`` without an instance (the in-memory recorder);
- **persistent local storage**: the default SQLite instance in a temporary
  ``$HEADWATER_HOME`` (``instance_for_test()``), every event stored.

Run ``python compare_headwater.py`` for every figure as JSON lines (each in a fresh
interpreter), or ``--figure NAME`` for one.
"""

from __future__ import annotations

import json
import os
import sys
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

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hello_headwater.py"


def build_chain(steps: int) -> object:
    """``start -> step_0 -> ...``: ``steps`` steps in a line."""
    from headwater import pipeline, solid

    start, increment = solid(name="start")(_start), solid(name="increment")(_increment)

    @pipeline(name="chain")
    def chain() -> None:
        value = start()
        for index in range(steps - 1):
            value = increment.alias(f"step_{index}")(value)

    return chain


def build_fan_out(steps: int) -> object:
    """``start`` feeding ``steps - 1`` independent steps."""
    from headwater import pipeline, solid

    start, increment = solid(name="start")(_start), solid(name="increment")(_increment)

    @pipeline(name="fan_out")
    def fan_out() -> None:
        value = start()
        for index in range(steps - 1):
            increment.alias(f"leaf_{index}")(value)

    return fan_out


def _in_process(repeat: int, persistent: bool) -> list[Figure]:
    import contextlib

    from headwater import execute_pipeline, instance_for_test

    storage = PERSISTENT if persistent else NO_STORAGE
    detail = ("SQLite instance in a temporary HEADWATER_HOME" if persistent
              else "no instance (in-memory recorder)")
    figures = []
    with contextlib.ExitStack() as stack:
        instance = stack.enter_context(instance_for_test()) if persistent else None
        for name, build, direct in ((CHAIN, build_chain, direct_chain),
                                    (FAN_OUT, build_fan_out, direct_fan_out)):
            def run(build=build) -> None:  # a new pipeline each run, as a new process has
                assert execute_pipeline(build(STEPS), instance=instance).success

            figures.append(in_process_figure(name.format(storage=storage), run, direct,
                                             repeat, f"execute_pipeline, {detail}"))
    return figures


def in_process_none(repeat: int) -> list[Figure]:
    return _in_process(repeat, persistent=False)


def in_process_persistent(repeat: int) -> list[Figure]:
    return _in_process(repeat, persistent=True)


def fan_out_32() -> object:
    """The multiprocess shape: a source and 31 steps, outputs stored by fs_io_manager."""
    from headwater import ModeDefinition, fs_io_manager, pipeline, solid

    source, increment = solid(name="source")(_start), solid(name="increment")(_increment)

    @pipeline(name="fan_out_32",
              mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
    def fan_out() -> None:
        value = source()
        for index in range(31):
            increment.alias(f"increment_{index}")(value)

    return fan_out


def multiprocess(repeat: int) -> list[Figure]:
    import statistics

    from headwater import execute_pipeline, instance_for_test, reconstructable

    times = []
    with instance_for_test() as instance:
        for _ in range(repeat):
            started = time.perf_counter()
            result = execute_pipeline(
                reconstructable(fan_out_32), instance=instance,
                run_config={"execution": {"multiprocess": {"config": {"max_concurrent": 2}}}})
            times.append((time.perf_counter() - started) * 1000.0)
            assert result.success
    return [Figure(MULTIPROCESS, statistics.median(times), "ms",
                   note=f"multiprocess executor, max_concurrent 2 (a pool of 2 workers "
                        f"forked from a fork server, which the first run of a process starts: "
                        f"that run took {times[0]:.0f} ms), SQLite instance, fs_io_manager; "
                        f"median of {repeat}")]


def cli(repeat: int) -> list[Figure]:
    import tempfile

    command = [str(Path(sys.executable).parent / "headwater"), "pipeline", "execute", "-f",
               str(EXAMPLE)]
    with tempfile.TemporaryDirectory(prefix="headwater-compare-") as home:
        return [time_cli(command, subprocess_env(HEADWATER_HOME=home), home, repeat,
                         "headwater pipeline execute -f examples/hello_headwater.py, "
                         "existing SQLite instance")]


def mapped(_repeat: int, count: str) -> list[Figure]:
    from headwater import (
        DynamicOutput,
        DynamicOutputDefinition,
        execute_pipeline,
        instance_for_test,
        pipeline,
        solid,
    )

    steps = int(count)

    @solid(output_defs=[DynamicOutputDefinition(int)])
    def values(_):
        for index in range(steps):
            yield DynamicOutput(index, mapping_key=str(index))

    @solid
    def increment(_, x: int) -> int:
        return x + 1

    @solid
    def total(_, xs: list) -> int:
        return sum(xs)

    @pipeline
    def mapped_pipeline():
        total(values().map(increment).collect())

    with instance_for_test() as instance:
        started = time.perf_counter()
        assert execute_pipeline(mapped_pipeline, instance=instance).success
        seconds = time.perf_counter() - started
    detail = "DynamicOutput .map then .collect, in process, SQLite instance"
    return [Figure("mapped", seconds, "s", note=json.dumps(
        {"seconds": seconds, "rss_mb": peak_rss_mb(), "detail": detail}))]


FIGURES = {"in_process_none": in_process_none, "in_process_persistent": in_process_persistent,
           "multiprocess": multiprocess, "cli": cli, "mapped": mapped}

if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    main(__file__, FIGURES)
