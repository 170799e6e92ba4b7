"""The dask executor: how a CPU-bound fan-out scales from 1 to 2 workers, and what the
executor adds to each step.

- scaling: a fan-out of mapped steps, each burning a fixed amount of pure-Python CPU
  (calibrated on this machine first), run on a local cluster of one worker process, then
  of two (one thread each). The speedup is the ratio of the two wall times; next to it,
  the speedup of two plain processes on the same work shows what the machine allows.
- overhead: runs of trivial steps (``x + 1``) on the two-worker cluster at two sizes, as a
  fan-out (steps side by side) and as a chain (each step waits for the one before):

      overhead per step = ((wall - compute) of the large run
                           - (wall - compute) of the small run) / (difference in steps)

  which leaves out what a run pays once (connecting to the scheduler, the workers loading
  the code): the small run's wall time shows that.

Every run uses a persistent SQLite instance, as a run on a cluster must, and connects to
a cluster started once outside the timing (``cluster: {existing: ...}``), so that the
figures do not include starting worker processes. Workers load the pipelines from this
file.

    python benchmarks/bench_dask.py            # the figures above (about a minute)
    python benchmarks/bench_dask.py --quick    # smaller runs, one sample (run_all.py's)
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from _harness import Figure, emit, note, parser

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    fs_io_manager,
    pipeline,
    solid,
)

MODE = [ModeDefinition(resource_defs={"io_manager": fs_io_manager})]


def burn(loops: int) -> int:
    """Pure-Python CPU work, holding the GIL throughout."""
    total = 0
    for number in range(loops):
        total += number * number % 7
    return total


@solid(config_schema={"steps": int, "loops": Field(int, default_value=0)},
       output_defs=[DynamicOutputDefinition(int)])
def spread(context):
    for index in range(context.solid_config["steps"]):
        yield DynamicOutput(context.solid_config["loops"], mapping_key=str(index))


@solid
def work(_context, loops: int) -> float:
    """Burn ``loops``; returns the seconds it took."""
    started = time.perf_counter()
    burn(loops)
    return time.perf_counter() - started


@solid
def gather(_context, seconds: list) -> float:
    return sum(seconds)


@pipeline(mode_defs=MODE)
def fan_out():
    gather(spread().map(work).collect())


def _start() -> int:
    return 1


def _increment(x: int) -> int:
    return x + 1


def build_chain(steps: int) -> Any:
    start = solid(name="start")(_start)
    increment = solid(name="increment")(_increment)

    @pipeline(name=f"chain_of_{steps}", mode_defs=MODE)
    def chain() -> None:
        value = start()
        for index in range(steps - 1):
            value = increment.alias(f"step_{index}")(value)

    return chain


SMALL = 2
chain_small, chain_large = build_chain(SMALL), build_chain(SMALL + 30)


def pointer(attribute: str) -> Any:
    from headwater.execution.reconstruct import ReconstructablePipeline

    return ReconstructablePipeline({"python_file": os.path.abspath(__file__),
                                    "attribute": attribute})


def calibrate(seconds: float) -> int:
    """How many ``burn`` loops take ``seconds`` here."""
    loops = 100_000
    while True:
        started = time.perf_counter()
        burn(loops)
        took = time.perf_counter() - started
        if took > 0.05:
            return int(loops * seconds / took)
        loops *= 4


def plain_speedup(steps: int, loops: int, repeat: int) -> float:
    """How much faster two processes burn ``steps`` x ``loops`` than one, here (median
    wall times of ``repeat`` rounds, one and two processes taking turns)."""
    import multiprocessing

    walls: dict[int, list[float]] = {1: [], 2: []}
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as one, context.Pool(2) as two:
        for pool in (one, two):
            pool.map(burn, [1, 1])  # started and warm before the timing
        for _ in range(repeat):
            for processes, pool in ((1, one), (2, two)):
                started = time.perf_counter()
                pool.map(burn, [loops] * steps, chunksize=1)
                walls[processes].append(time.perf_counter() - started)
    return statistics.median(walls[1]) / statistics.median(walls[2])


def timed_run(instance: Any, attribute: str, execution: dict[str, Any],
              solids: dict[str, Any] | None = None) -> tuple[float, Any]:
    """Wall seconds of one run, and its result (which must succeed)."""
    from headwater import execute_pipeline

    run_config = {"execution": execution, "solids": solids or {}}
    started = time.perf_counter()
    result = execute_pipeline(pointer(attribute), run_config=run_config, instance=instance)
    wall = time.perf_counter() - started
    if not result.success:
        raise RuntimeError(f"the benchmark run of {attribute} failed")
    return wall, result


def median_run(instance: Any, attribute: str, execution: dict[str, Any],
               solids: dict[str, Any] | None, repeat: int) -> tuple[float, Any]:
    runs = [timed_run(instance, attribute, execution, solids) for _ in range(repeat)]
    wall = statistics.median(wall for wall, _ in runs)
    return wall, runs[-1][1]


def on(address: str) -> dict[str, Any]:
    return {"dask": {"config": {"cluster": {"existing": {"address": address}}}}}


def measure(cpu_steps: int, step_seconds: float, trivial_steps: int,
            repeat: int) -> list[Figure]:
    from distributed import LocalCluster

    from headwater.instance import instance_for_test

    loops = calibrate(step_seconds)
    cpu = {"spread": {"config": {"steps": cpu_steps, "loops": loops}}}
    trivial = {"spread": {"config": {"steps": trivial_steps}}}
    label = f"{cpu_steps} steps of {step_seconds:g} s CPU"
    figures = []
    with instance_for_test() as instance, LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None) as cluster:
        execution = on(cluster.scheduler_address)
        timed_run(instance, "fan_out", execution, trivial)  # warm-up: workers load the code
        note(f"  {label} on 1 worker ...")
        one, _ = median_run(instance, "fan_out", execution, cpu, repeat)
        cluster.scale(2)
        cluster.wait_for_workers(2)
        timed_run(instance, "fan_out", execution, trivial)
        note(f"  {label} on 2 workers ...")
        two, _ = median_run(instance, "fan_out", execution, cpu, repeat)
        figures += [
            Figure(f"dask fan-out, {label}, 1 worker", one, "s",
                   note=f"median of {repeat}; {os.cpu_count()} CPUs"),
            Figure(f"dask fan-out, {label}, 2 workers", two, "s"),
            Figure("dask speedup, 1 -> 2 workers", one / two, "x",
                   note="2.0 is ideal with two free cores"),
            Figure("  same CPU work in 1 -> 2 plain processes, speedup",
                   plain_speedup(cpu_steps, loops, repeat), "x",
                   note="multiprocessing.Pool, no Headwater, no Dask: what this machine "
                        "allows"),
        ]
        note("  trivial steps ...")
        figures += step_overhead(instance, execution, trivial_steps, repeat)
    return figures


def step_overhead(instance: Any, execution: dict[str, Any], steps: int,
                  repeat: int) -> list[Figure]:
    """The marginal cost of a step in a fan-out and in a chain; the small run's time."""

    def cost(attribute: str, solids: dict[str, Any] | None) -> float:
        wall, result = median_run(instance, attribute, execution, solids, repeat)
        compute = result.output_for_solid("gather") if attribute == "fan_out" else 0.0
        return wall - compute

    small = cost("fan_out", {"spread": {"config": {"steps": SMALL}}})
    large = cost("fan_out", {"spread": {"config": {"steps": steps}}})
    chain_small_cost, chain_large_cost = cost("chain_small", None), cost("chain_large", None)
    chain_steps = len(chain_large.solids) - len(chain_small.solids)
    return [
        Figure(f"dask step overhead, fan-out, {SMALL} -> {steps} steps, 2 workers",
               (large - small) * 1000.0 / (steps - SMALL), "ms/step",
               note=f"median of {repeat}; ((wall - compute) of {steps} - of {SMALL}) / "
                    f"{steps - SMALL}"),
        Figure(f"dask step overhead, chain, {len(chain_small.solids)} -> "
               f"{len(chain_large.solids)} steps", (chain_large_cost - chain_small_cost)
               * 1000.0 / chain_steps, "ms/step",
               note="each step waits for the one before: a round trip through the "
                    "scheduler per step, Dask's batching intervals included"),
        Figure(f"  dask run of {SMALL} trivial steps", small * 1000.0, "ms",
               note="connecting to the scheduler, the workers loading the code, the run's "
                    "records"),
    ]


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--quick", action="store_true",
                           help="8 steps of 0.1 s and 52 trivial steps, one sample each")
    options = arguments.parse_args()
    try:
        import headwater_dask  # noqa: F401
    except ImportError:
        emit([Figure("dask executor", None, "",
                     note="skipped: headwater-dask is not installed")], options.json)
        return
    if options.quick:
        figures = measure(cpu_steps=8, step_seconds=0.1, trivial_steps=52, repeat=1)
    else:
        figures = measure(cpu_steps=16, step_seconds=0.25, trivial_steps=102, repeat=3)
    emit(figures, options.json)


if __name__ == "__main__":
    main()
