"""Pipelines the dask tests run. Workers load them from this file (``pointer(name)``), as
they would load a user's pipeline file from a shared path."""

from __future__ import annotations

import os
import time
from pathlib import Path

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    RetryPolicy,
    RetryRequested,
    fs_io_manager,
    pipeline,
    resource,
    solid,
)
from headwater.execution.reconstruct import ReconstructablePipeline

FS_MODE = [ModeDefinition(resource_defs={"io_manager": fs_io_manager})]


PIPELINES = __file__


def pointer(name: str) -> ReconstructablePipeline:
    """The pipeline ``name`` of this file, as a pointer any process can load."""
    return ReconstructablePipeline({"python_file": PIPELINES, "attribute": name})


def wait_until(condition, what: str, timeout: float = 30.0):
    """The first true value ``condition()`` returns, asked every 20 ms."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not come within {timeout} s")
        time.sleep(0.02)
    return value


def wait_for_file(path: str) -> None:
    wait_until(lambda: os.path.exists(path), path)


# -- where steps run -----------------------------------------------------------------


@resource
def process_id(init_context):
    yield os.getpid()
    init_context.log.info(f"Tore down the resource of process {os.getpid()}.")


@solid(required_resource_keys={"pid"})
def resource_pid(context) -> int:
    return context.resources.pid


@solid
def own_pid(_context, upstream: int) -> list:
    return [upstream, os.getpid()]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager,
                                                   "pid": process_id})])
def process_ids():
    own_pid(resource_pid())


# -- fan-out -------------------------------------------------------------------------


@solid(config_schema={"width": Field(int, default_value=100)},
       output_defs=[DynamicOutputDefinition(int)])
def numbers(context):
    for number in range(context.solid_config["width"]):
        yield DynamicOutput(number, mapping_key=str(number))


@solid
def square(_context, number: int) -> list:
    return [number * number, os.getpid()]


@solid
def total(_context, squares: list) -> dict:
    return {"sum": sum(s for s, _ in squares), "count": len(squares),
            "pids": sorted({pid for _, pid in squares})}


@pipeline(mode_defs=FS_MODE)
def fan_out():
    total(numbers().map(square).collect())


# -- scheduling ----------------------------------------------------------------------


@solid(config_schema={"seconds": float})
def sleeper(context) -> float:
    time.sleep(context.solid_config["seconds"])
    return time.time()


@solid
def after(_context, upstream: float) -> float:
    return time.time()


@pipeline(mode_defs=FS_MODE)
def slow_and_fast():
    """``fast_then`` depends on a quick step only: it need not wait for ``slow``."""
    sleeper.alias("slow")()
    after.alias("fast_then")(sleeper.alias("fast")())


@solid
def first(_context) -> int:
    return 1


@solid(config_schema={"signal": str})
def wait_for_signal(context, upstream: int) -> int:
    context.log.info("Waiting for the signal.")
    wait_for_file(context.solid_config["signal"])
    return upstream + 1


@pipeline(mode_defs=FS_MODE)
def waits_for_signal():
    wait_for_signal(first())


# -- resources and priority ----------------------------------------------------------


def _interval(seconds: float) -> list:
    start = time.time()
    time.sleep(seconds)
    return [start, time.time()]


@solid(config_schema={"seconds": Field(float, default_value=0.3)})
def interval(context) -> list:
    return _interval(context.solid_config["seconds"])


@solid(config_schema={"seconds": Field(float, default_value=0.3)})
def interval_after(context, upstream: list) -> list:
    return _interval(context.solid_config["seconds"])


def _gpu(solid_def, name: str, priority: int = 0):
    tags = {"headwater-dask/resources": {"GPU": 1}, "headwater/priority": priority}
    return solid_def.alias(name).tag(tags)


@pipeline(mode_defs=FS_MODE)
def gpu_and_cpu_steps():
    """Two steps that each need the only GPU, and two that need none."""
    _gpu(interval, "gpu_a")()
    _gpu(interval, "gpu_b")()
    interval.alias("cpu_a")()
    interval.alias("cpu_b")()


@pipeline(mode_defs=FS_MODE)
def priorities():
    """While ``hold`` has the GPU, ``low`` is submitted before ``high``; both then wait
    for the GPU, and the higher priority gets it first."""
    _gpu(interval, "hold")()
    _gpu(interval_after, "low", priority=-5)(interval_after.alias("low_gate")(
        interval.alias("early")()))
    _gpu(interval_after, "high", priority=5)(interval_after.alias("high_gate")(
        interval_after.alias("later")(interval.alias("early_too")())))


@pipeline(mode_defs=FS_MODE)
def unknown_resource():
    interval.alias("needs_tpu").tag({"headwater-dask/resources": {"TPU": 1}})()


# -- failures ------------------------------------------------------------------------


@solid(config_schema={"marker": Field(str, default_value="")})
def kill_own_worker(context) -> int:
    """Kills the process it runs in; with a marker file, only the first time."""
    marker = context.solid_config["marker"]
    if not marker or not os.path.exists(marker):
        if marker:
            Path(marker).touch()
        os.kill(os.getpid(), 9)
    return os.getpid()


@solid
def after_kill(_context, upstream: int) -> int:
    return upstream


@pipeline(mode_defs=FS_MODE)
def killed_worker():
    after_kill(kill_own_worker())


@solid(retry_policy=RetryPolicy(max_retries=2))
def fails_twice(context) -> int:
    if context.retry_number < 2:
        raise ValueError(f"attempt {context.retry_number} fails")
    return context.retry_number


@solid(retry_policy=RetryPolicy(max_retries=1))
def always_fails(_context) -> int:
    raise ValueError("always")


@solid
def asks_for_retry(context) -> int:
    if context.retry_number < 1:
        raise RetryRequested(max_retries=2, seconds_to_wait=0.1) from ValueError("transient")
    return context.retry_number


@solid
def downstream(_context, upstream: int) -> int:
    return upstream


@pipeline(mode_defs=FS_MODE)
def retries():
    downstream.alias("after_fails_twice")(fails_twice())
    downstream.alias("after_always_fails")(always_fails())
    downstream.alias("after_asks_for_retry")(asks_for_retry())


@solid
def prints(_context) -> int:
    # To the file descriptor (as a subprocess would), not through sys.stdout, which a
    # test runner may have replaced in its own process.
    os.write(1, f"printed by {os.getpid()}\n".encode())
    time.sleep(0.3)
    return os.getpid()


@pipeline(mode_defs=FS_MODE)
def two_printers():
    prints.alias("printer_a")()
    prints.alias("printer_b")()


@pipeline
def in_memory_outputs():
    """The default mode: outputs kept by mem_io_manager."""
    interval()


@pipeline(mode_defs=FS_MODE)
def malformed_resources():
    interval.alias("fine")()
    interval.alias("bad_tag").tag({"headwater-dask/resources": ["GPU"]})()


@solid(config_schema={"signal": str, "marks": str})
def mark_and_wait(context, number: int) -> int:
    """Leaves a file named after its mapping key when it starts, then waits for the
    signal."""
    Path(context.solid_config["marks"], context.get_mapping_key()).touch()
    wait_for_file(context.solid_config["signal"])
    return number


@pipeline(mode_defs=FS_MODE)
def waiters():
    numbers().map(mark_and_wait)
