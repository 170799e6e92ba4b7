"""The spark executor on a standalone cluster: time to the first step, what the executor adds
to each step, and how a CPU-bound fan-out scales from 1 to 2 workers.

A master and one worker (one core, 1 GB) are started with pyspark's ``bin/spark-class`` on
127.0.0.1, then a second worker for the 2-worker figures.

- first step: seconds from the start of a run to its first step's start, which includes
  starting the run's SparkContext and the executors on the workers (each run starts them).
- overhead: fan-outs of trivial steps at two sizes on two workers:

      overhead per step = (span of the large run - span of the small run) / (steps between)

  where a run's span is its wall time less its time to the first step: this leaves out
  what a run pays once (the SparkContext, the executors, each executor's first Python
  worker), whose seconds vary from run to run by more than the steps between take.
- scaling: a fan-out of steps each burning a fixed amount of pure-Python CPU, on one
  worker, then on two.

Needs headwater-spark and Java 17. Workers load the pipelines from this file.

    python benchmarks/bench_spark.py            # 100 trivial steps (several minutes)
    python benchmarks/bench_spark.py --quick    # 30 trivial steps
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
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
def work(_context, loops: int) -> int:
    return burn(loops)


@solid
def gather(_context, results: list) -> int:
    return len(results)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def fan_out():
    gather(spread().map(work).collect())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A standalone master and workers on 127.0.0.1, started with pyspark's spark-class."""

    def __init__(self, folder: str) -> None:
        import pyspark

        self.spark_class = str(Path(pyspark.__file__).parent / "bin" / "spark-class")
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        port = _free_port()
        self.url = f"spark://127.0.0.1:{port}"
        self._start("master", ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                               "--port", str(port), "--webui-port", str(_free_port())],
                    "I have been elected leader")

    def add_worker(self) -> None:
        index = len(self.processes)
        work = os.path.join(self.folder, f"work-{index}")
        os.makedirs(work)
        self._start(f"worker-{index}", [
            "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port",
            str(_free_port()), "--cores", "1", "--memory", "1g", "--work-dir", work, self.url],
            "Successfully registered with master")

    def _start(self, name: str, args: list[str], ready: str) -> None:
        log_path = os.path.join(self.folder, f"{name}.log")
        with open(log_path, "w") as log:
            process = subprocess.Popen([self.spark_class, *args], stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        deadline = time.monotonic() + 180
        while ready not in Path(log_path).read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Spark {name} did not start; see {log_path}")
            time.sleep(0.2)

    def stop(self) -> None:
        for process in reversed(self.processes):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def timed_run(instance: Any, url: str, steps: int, loops: int = 0) -> tuple[float, float]:
    """(wall seconds, seconds to the first step's start) of one fan-out run."""
    from headwater import execute_pipeline
    from headwater.execution.reconstruct import ReconstructablePipeline

    pointer = ReconstructablePipeline({"python_file": os.path.abspath(__file__),
                                       "attribute": "fan_out"})
    run_config = {
        "execution": {"spark": {"config": {"master": url, "spark_conf": {
            "spark": {"ui": {"enabled": False, "showConsoleProgress": False}}}}}},
        "solids": {"spread": {"config": {"steps": steps, "loops": loops}}},
        "loggers": {"console": {"config": {"log_level": "ERROR"}}},
    }
    started = time.time()
    result = execute_pipeline(pointer, run_config=run_config, instance=instance)
    wall = time.time() - started
    if not result.success:
        raise RuntimeError("a benchmark run failed")
    first = min(entry.timestamp for entry in instance.all_logs(result.run_id)
                if entry.headwater_event is not None
                and entry.headwater_event.event_type_value == "STEP_START")
    return wall, first - started


def calibrate(seconds: float) -> int:
    loops = 100_000
    while True:
        started = time.perf_counter()
        burn(loops)
        took = time.perf_counter() - started
        if took > 0.05:
            return int(loops * seconds / took)
        loops *= 4


def measure(trivial_steps: int, cpu_steps: int, step_seconds: float) -> list[Figure]:
    from headwater.instance import instance_for_test

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    loops = calibrate(step_seconds)
    with tempfile.TemporaryDirectory() as folder, instance_for_test() as instance:
        cluster = Cluster(folder)
        try:
            cluster.add_worker()
            note(f"  {cpu_steps} CPU steps of {step_seconds:g} s on 1 worker ...")
            one, _ = timed_run(instance, cluster.url, cpu_steps, loops)
            cluster.add_worker()
            note(f"  {cpu_steps} CPU steps on 2 workers ...")
            two, _ = timed_run(instance, cluster.url, cpu_steps, loops)
            note(f"  10 and {trivial_steps} trivial steps on 2 workers ...")
            small, first_step = timed_run(instance, cluster.url, 10)
            large, large_first = timed_run(instance, cluster.url, trivial_steps)
        finally:
            cluster.stop()
    per_step = ((large - large_first) - (small - first_step)) / (trivial_steps - 10) * 1000
    return [
        Figure("spark: time to the first step (run start -> first STEP_START)", first_step,
               "s", note="includes the run's SparkContext and executors starting"),
        Figure(f"spark: per-step overhead, fan-out of {trivial_steps} trivial steps, "
               "2 workers", per_step, "ms/step", budget=50.0,
               note=f"runs of 10 and {trivial_steps} steps: {small:.1f} s, {large:.1f} s, of "
                    f"which {first_step:.1f} s, {large_first:.1f} s to the first step"),
        Figure(f"spark: {cpu_steps} steps of {step_seconds:g} s CPU, 1 worker", one, "s"),
        Figure("spark: same, 2 workers", two, "s"),
        Figure("spark: speedup, 1 -> 2 workers", one / two, "x",
               note=f"2.0 is ideal with two free cores; {os.cpu_count()} CPUs here"),
    ]


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--quick", action="store_true", help="30 trivial steps, not 100")
    options = arguments.parse_args()
    emit(measure(30 if options.quick else 100, 8, 1.0), options.json)


if __name__ == "__main__":
    main()
