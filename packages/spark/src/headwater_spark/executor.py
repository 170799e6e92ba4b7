"""The ``spark`` executor: each step of a run is a task on a Spark cluster.

The driver (the process running the run) starts, or joins, the process's SparkContext on
the configured ``master`` (``local[n]``, ``local-cluster[...]``, ``spark://``, ``yarn``,
``k8s://``). A step is submitted as soon as its inputs are ready, as a Spark job of one
task, from a driver thread of its own; Spark schedules the task on an executor's Python
worker, which rebuilds the pipeline from its code pointer and runs the step (see
:mod:`headwater_spark.tasks`). What the step emitted comes back as the task's result and is
recorded in the run's instance, in order, when the task ends. Outputs cross machines
through the run's persistent IO manager.

A step whose task fails without having run to its end (its Python worker or executor was
lost, the job was cancelled) fails with Spark's reason. Spark does not retry the task:
the run's retry policies decide, as for every executor.

Steps may ask for CPUs per task with the solid tag ``headwater-spark/resources``
(``{"cpus": 2}``), scheduled by Spark's stage-level scheduling.
"""

from __future__ import annotations

import contextlib
import functools
import json
import pickle
import queue
import re
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from headwater import (
    ExecutionPlan,
    ExecutorDefinition,
    Field,
    HeadwaterEvent,
    HeadwaterInvalidDefinitionError,
    InitExecutorContext,
    IntSource,
    Permissive,
    StringSource,
    multiple_process_executor_requirements,
)
from headwater.integration import (
    ActiveExecution,
    ExecutionStep,
    FanInOverrides,
    RemoteExecutor,
    RemoteSteps,
    RetryMode,
    RunContext,
    retries_config,
    worker_payload,
)
from headwater_spark.conf import flatten_spark_conf
from headwater_spark.session import DEFAULT_MASTER, StartedSession, start_session

RESOURCES_TAG = "headwater-spark/resources"
_CONFIG_PATH = "execution.spark.config"

# The longest the driver waits for a step to end before it looks again whether the run
# was asked to stop.
_WAIT_SECONDS = 0.5

# Spark retries a failed task up to 4 times on a cluster: a step would run again behind
# the run's back. Headwater's retry policies decide instead.
_DRIVER_DEFAULTS = {"spark.task.maxFailures": "1",
                    # Python workers forked with Headwater already imported.
                    "spark.python.daemon.module": "headwater_spark.daemon"}


class SparkExecutor(RemoteExecutor):
    """Runs each ready step as a one-task Spark job and records what it emitted.

    Args:
        pipeline: The reconstructable pipeline (executors load it from its pointer).
        master: The master URL (None: the context already running, else ``local[*]``).
        spark_conf: Spark properties for the run's SparkContext, flat or nested.
        max_concurrent: Steps running at once; 0 for the cluster's default parallelism.
        retries: Whether retry policies apply.
    """

    def __init__(self, pipeline: Any, master: str | None, spark_conf: Mapping[str, Any],
                 max_concurrent: int, retries: RetryMode) -> None:
        super().__init__(pipeline, max_concurrent, retries)
        self.master = master
        self.properties = {**_DRIVER_DEFAULTS,
                           **flatten_spark_conf(spark_conf, f"{_CONFIG_PATH}.spark_conf")}

    def start(self, run: RunContext, active: ActiveExecution,
              plan: ExecutionPlan) -> _SparkRun:
        profiles = _resources_by_solid(plan)
        started = start_session(self.master, self.properties,
                                f"headwater {run.pipeline.name} {run.run_id[:8]}",
                                f"{_CONFIG_PATH}.master", run.log)
        try:
            if not self.max_concurrent:
                self.max_concurrent = max(1, started.spark_context.defaultParallelism)
            return _SparkRun(self, run, active, started, profiles)
        except BaseException:
            started.stop()
            raise


class _SparkRun(RemoteSteps):
    """The driver's side of one run on Spark: the jobs submitted, and what they sent."""

    def __init__(self, executor: SparkExecutor, run: RunContext, active: ActiveExecution,
                 started: StartedSession, profiles: Mapping[str, dict[str, float]]) -> None:
        super().__init__(run, active)
        self.started = started
        self.context = started.spark_context
        self.payload = worker_payload(executor, run)
        self.profiles = {handle: _resource_profile(amounts)
                         for handle, amounts in profiles.items()}
        self.threads = ThreadPoolExecutor(max_workers=executor.max_concurrent,
                                          thread_name_prefix="headwater-spark-step")
        self.finished: queue.Queue[tuple[str, Any, BaseException | None]] = queue.Queue()
        self.steps: dict[str, ExecutionStep] = {}
        self.job_group = f"headwater-{run.run_id}"
        self._lock = threading.Lock()
        run.log.info(f"Running steps on Spark: master {self.context.master}, application "
                     f"{self.context.applicationId}.")

    @property
    def running(self) -> int:
        return len(self.steps)

    def submit(self, step: ExecutionStep, retry_number: int, overrides: FanInOverrides) -> None:
        self.steps[step.key] = step
        self.threads.submit(self._run_job, step, retry_number, overrides)

    def _run_job(self, step: ExecutionStep, retry_number: int,
                 overrides: FanInOverrides) -> None:
        from headwater_spark import tasks

        try:
            self.context.setJobGroup(self.job_group, f"step {step.key}",
                                     interruptOnCancel=True)
            rdd = self.context.parallelize([step.key], 1)
            profile = self.profiles.get(step.solid_handle)
            if profile is not None:
                rdd = rdd.withResources(profile)
            task = functools.partial(tasks.run_step, self.payload, step.key, retry_number,
                                     overrides)
            ((runner, entries),) = rdd.mapPartitions(task).collect()
            self.finished.put((step.key, (runner, entries), None))
        except BaseException as error:
            self.finished.put((step.key, None, error))

    def wait(self, timeout: float | None) -> Iterator[HeadwaterEvent]:
        limit = _WAIT_SECONDS if timeout is None else min(timeout, _WAIT_SECONDS)
        try:
            first = self.finished.get(timeout=limit)
        except queue.Empty:
            return
        ended = [first]
        with contextlib.suppress(queue.Empty):
            while True:
                ended.append(self.finished.get_nowait())
        for step_key, result, error in ended:
            yield from self._job_ended(self.steps.pop(step_key), result, error)

    def _job_ended(self, step: ExecutionStep, result: Any,
                   error: BaseException | None) -> Iterator[HeadwaterEvent]:
        if result is not None:
            _runner, entries = result
            for data in entries:
                event = self.record(pickle.loads(data))
                if event is not None:
                    yield event
        if step.key in self.active.succeeded or step.key in self.active.failed:
            return
        if error is None:
            reason = f'The Spark task of step "{step.key}" ended without the step finishing.'
            yield self.fail(step, reason, "StepLostError")
            return
        yield self.fail(step, f'The Spark task of step "{step.key}" failed on the cluster: '
                              f"{_spark_reason(error)}", type(error).__name__)

    def close(self) -> None:
        """Cancel the jobs still running (a stopped or failed run) and stop the context if
        the run started it."""
        try:
            if self.steps:
                self.context.cancelJobGroup(self.job_group)
            self.threads.shutdown(wait=True, cancel_futures=True)
        finally:
            self.steps.clear()
            self.started.stop()


# "module.SomeError: message", the last line of a Python traceback.
_PYTHON_ERROR = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit)): (.+)$")


def _spark_reason(error: BaseException) -> str:
    """Why a step's Spark job failed: the Python error its task raised (with the lines
    that follow it: Headwater's errors span several), else Spark's own first line."""
    lines = str(error).splitlines()
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if _PYTHON_ERROR.match(line) and not line.startswith(("org.apache.", "java.")):
            rest = []
            for following in lines[index + 1:]:
                if not following.startswith(" ") or following.lstrip().startswith("at "):
                    break
                rest.append(following.strip())
            return " ".join([line, *rest])[:2000]
    for line in lines:
        if "Job aborted" in line or "Exception" in line:
            return line.strip()[:2000]
    return lines[0].strip()[:2000] if lines else type(error).__name__


def _resources_by_solid(plan: ExecutionPlan) -> dict[str, dict[str, float]]:
    """The task resources each solid asks for, checked before anything starts."""
    steps = [*plan.steps.values(),
             *(template for group in plan.unresolved.values() for template in group)]
    found: dict[str, dict[str, float]] = {}
    for step in steps:
        raw = step.node.tags.get(RESOURCES_TAG)
        if raw is None or step.solid_handle in found:
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict) or not value or not all(
                isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
                and v > 0 for k, v in value.items()):
            raise HeadwaterInvalidDefinitionError(
                f'The tag "{RESOURCES_TAG}" of solid "{step.solid_handle}" must be a dict of '
                'task resource name to amount, e.g. {"cpus": 2} or {"cpus": 1, "gpu": 1}; '
                f"got {raw!r}.")
        found[step.solid_handle] = value
    return found


def _resource_profile(amounts: Mapping[str, float]) -> Any:
    """A Spark task resource profile: ``cpus``, and any custom resource (``gpu``)."""
    from pyspark.resource import ResourceProfileBuilder, TaskResourceRequests

    requests = TaskResourceRequests()
    for name, amount in amounts.items():
        if name == "cpus":
            requests = requests.cpus(int(amount))
        else:
            requests = requests.resource(name, float(amount))
    return ResourceProfileBuilder().require(requests).build


def create_spark_executor(init_context: InitExecutorContext) -> SparkExecutor:
    config = init_context.executor_config
    return SparkExecutor(init_context.pipeline, config.get("master"), config["spark_conf"],
                         config["max_concurrent"], RetryMode.from_config(config.get("retries")))


spark_executor = ExecutorDefinition(
    "spark",
    config_schema={
        "master": Field(StringSource, is_required=False,
                        description="The cluster: spark://host:port, yarn, k8s://..., "
                                    f"local-cluster[n,cores,mb], local[n]. Default: "
                                    f"{DEFAULT_MASTER}, or the SparkContext already running "
                                    "in the process."),
        "spark_conf": Field(Permissive(), default_value={},
                            description="Spark properties of the run's SparkContext, flat or "
                                        "nested (spark.executor.memory, ...)."),
        "max_concurrent": Field(IntSource, default_value=0,
                                description="Steps running at once; 0 means the cluster's "
                                            "default parallelism (its cores)."),
        "retries": retries_config(),
    },
    executor_creation_fn=create_spark_executor,
    description="Runs each step as a task on a Spark cluster (standalone, YARN, Kubernetes, "
                "local). Needs a reconstructable pipeline, a persistent instance and a "
                "persistent IO manager, and Headwater and the pipeline's code on the "
                "executors.",
    requirements=multiple_process_executor_requirements(),
)
