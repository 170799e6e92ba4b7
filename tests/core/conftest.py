"""Fixtures for runs that leave the test's process: launched runs, multiprocess workers,
the daemon. Each test gets a pipeline file of its own, an instance with short heartbeat
timings, and a way to wait for what other processes do."""

from __future__ import annotations

import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# A pipeline whose steps say what they did: each appends its name to a counter file, and
# the second step can be told to wait, fail, kill its own process, ignore SIGTERM, or write
# its process id somewhere.
WORK_PIPELINES = '''
import os
import signal
import sys
import time

from headwater import Field, ModeDefinition, fs_io_manager, pipeline, solid

COUNTED = {"counter": Field(str, is_required=False)}


def count(context, name):
    path = context.solid_config.get("counter")
    if path:
        with open(path, "a") as file:
            file.write(name + "\\n")


@solid(config_schema=COUNTED)
def first(context) -> int:
    count(context, "first")
    context.log.info("first ran")
    print("first says hello")
    print("first warns", file=sys.stderr)
    return 1


@solid(config_schema={
    **COUNTED,
    "sleep": Field(float, default_value=0.0),
    "fail": Field(bool, default_value=False),
    "kill": Field(bool, default_value=False),
    "ignore_sigterm": Field(bool, default_value=False),
    "pid_file": Field(str, is_required=False),
    "hold_gil_seconds": Field(float, default_value=0.0),
})
def second(context, x: int) -> int:
    config = context.solid_config
    count(context, "second")
    if "pid_file" in config:
        with open(config["pid_file"], "w") as file:
            file.write(str(os.getpid()))
    if config["hold_gil_seconds"]:
        hold_gil(config["hold_gil_seconds"])
    if config["ignore_sigterm"]:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if config["kill"]:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(config["sleep"])
    if config["fail"]:
        raise ValueError("second was told to fail")
    context.log.info(f"second got {x}")
    return x + 1


@solid(config_schema=COUNTED)
def third(context, x: int) -> int:
    count(context, "third")
    return x + 1


def hold_gil(seconds):
    # One C call that never lets go of the GIL (sum over a range), sized from a short
    # measurement: no other thread of the process runs until it returns.
    started = time.perf_counter()
    sum(range(1_000_000))
    per_million = max(time.perf_counter() - started, 1e-4)
    sum(range(int(seconds / per_million * 1_000_000)))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def work():
    second(first())


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def chain():
    third(second(first()))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def other():
    first()
'''

FAST_MONITORING = {"heartbeat_interval_seconds": 0.2, "heartbeat_timeout_seconds": 2.0,
                   "poll_interval_seconds": 0.1}


@pytest.fixture
def work_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file defining the ``work`` and ``other`` pipelines."""
    # Loading the file puts its folder on sys.path: take it off after the test.
    monkeypatch.setattr(sys, "path", list(sys.path))
    path = tmp_path / "code" / "work_pipelines.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(WORK_PIPELINES))
    return path


@pytest.fixture
def counter(tmp_path: Path) -> Path:
    """The counter file the steps of ``work`` append their names to."""
    return tmp_path / "counter.txt"


@pytest.fixture
def counted(counter: Path) -> Callable[[Path], list[str]]:
    """``counted()``: the names of the steps that ran, in order."""

    def read(path: Path = counter) -> list[str]:
        return path.read_text().split() if path.exists() else []

    return read


@pytest.fixture
def work_config(counter: Path) -> Callable[..., dict[str, Any]]:
    """``work_config(sleep=1, fail=True, execution="multiprocess")``: run config of ``work``
    counting into the test's counter file."""

    def config(execution: str | None = None, **second: Any) -> dict[str, Any]:
        run_config: dict[str, Any] = {"solids": {
            "first": {"config": {"counter": str(counter)}},
            "second": {"config": {"counter": str(counter), **second}}}}
        if execution is not None:
            run_config["execution"] = {execution: {}}
        return run_config

    return config


@pytest.fixture
def open_instance(tmp_path: Path) -> Callable[..., Any]:
    """``with open_instance({"run_coordinator": ...}) as instance``: a persistent instance
    (the test's ``$HEADWATER_HOME``) with heartbeats every 0.2 s and a 2 s heartbeat
    timeout, plus the settings given."""
    from headwater.instance import instance_for_test

    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def open_(settings: dict[str, Any] | None = None) -> Any:
        return instance_for_test({"run_monitoring": FAST_MONITORING, **(settings or {})},
                                 temp_dir=str(home))

    return open_


@pytest.fixture
def launch_instance(open_instance: Callable[..., Any]) -> Iterator[Any]:
    """The instance of ``open_instance()`` with the default settings otherwise."""
    with open_instance() as instance:
        yield instance


@pytest.fixture
def make_run(work_file: Path) -> Callable[..., Any]:
    """``make_run(instance, run_config, pipeline="work", tags=None)``: a run recorded in the
    instance (NOT_STARTED), with the pointer to the test's pipeline file."""
    from headwater.execution.reconstruct import ReconstructablePipeline

    def make(instance: Any, run_config: dict[str, Any] | None = None, pipeline: str = "work",
             tags: dict[str, str] | None = None) -> Any:
        pointer = ReconstructablePipeline({"python_file": str(work_file),
                                           "pipeline_name": pipeline})
        return instance.create_run_for_pipeline(pointer, run_config, tags=tags)

    return make


@pytest.fixture
def wait_until() -> Callable[..., Any]:
    """``wait_until(lambda: value_or_none, timeout=30)``: the first true value the function
    returns, polling; fails the test at the timeout."""

    def wait(check: Callable[[], Any], timeout: float = 30.0, what: str = "the condition"
             ) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"Timed out after {timeout}s waiting for {what}.")
            time.sleep(0.05)

    return wait


@pytest.fixture
def finished_run(wait_until: Callable[..., Any]) -> Callable[..., Any]:
    """``finished_run(instance, run_id)``: the run once it has ended (waiting up to 30 s)."""

    def wait(instance: Any, run_id: str, timeout: float = 30.0) -> Any:
        def ended() -> Any:
            run = instance.get_run_by_id(run_id)
            return run if run.is_finished else None

        return wait_until(ended, timeout, f"run {run_id} to end")

    return wait
