"""The ``spark`` executor: a run's steps run in long-running tasks on a Spark cluster.

The driver (the process running the run) starts, or joins, the process's SparkContext on
the configured ``master`` (``local[n]``, ``local-cluster[...]``, ``spark://``, ``yarn``,
``k8s://``). For the run it starts a few long-running Spark tasks, its slots (at most
``max_concurrent``, by default the cluster's default parallelism), which connect back to
the driver and pull the ready steps one after another (see :mod:`headwater_spark.slots`
and :mod:`headwater_spark.tasks`): a step costs a message each way, not a Spark job. What a
step emits reaches the driver as it is emitted and is recorded in the run's instance at
once. Outputs cross machines through the run's persistent IO manager.

A step whose slot is lost (its Python worker or executor died) fails with Spark's reason
when the slot job fails; steps still waiting fail with it when no slot is left. Spark does
not retry the task: the run's retry policies decide, as for every executor.

Steps may ask for CPUs (or custom resources) per task with the solid tag
``headwater-spark/resources`` (``{"cpus": 2}``): such a step runs as a Spark job of its own
with a resource profile (Spark's stage-level scheduling), while idle slots give their
cores back.
"""

from __future__ import annotations

import contextlib
import functools
import json
import pickle
import queue
import re
import socket
import time
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
from headwater_spark.slots import SlotPool

RESOURCES_TAG = "headwater-spark/resources"
_CONFIG_PATH = "execution.spark.config"

# The longest the driver waits for a message from the slots before it looks again whether
# the run was asked to stop.
_WAIT_SECONDS = 0.5
# How long a step whose slot's connection ended waits for its slot job to say why, before
# it fails anyway.
_LOST_SECONDS = 30.0
# How long the slots have to stop (tearing their resources down) when the run ends.
_STOP_SECONDS = 60.0

# Spark retries a failed task up to 4 times on a cluster: a step would run again behind
# the run's back. Headwater's retry policies decide instead.
_DRIVER_DEFAULTS = {"spark.task.maxFailures": "1",
                    # Python workers forked with Headwater already imported.
                    "spark.python.daemon.module": "headwater_spark.daemon"}


class SparkExecutor(RemoteExecutor):
    """Runs a run's steps in long-running Spark tasks that pull them from the driver, and
    records what they emit as they emit it.

    Args:
        pipeline: The reconstructable pipeline (executors load it from its pointer).
        master: The master URL (None: the context already running, else ``local[*]``).
        spark_conf: Spark properties for the run's SparkContext, flat or nested.
        max_concurrent: Slots (steps running at once); 0 for the cluster's default
            parallelism.
        retries: Whether retry policies apply.
    """

    def __init__(self, pipeline: Any, master: str | None, spark_conf: Mapping[str, Any],
                 max_concurrent: int, retries: RetryMode) -> None:
        # Every ready step is handed to the run's slots at once (they take them as they
        # free up): the slots, not the driver's loop, bound what runs at once.
        super().__init__(pipeline, 0, retries)
        self.slots = max_concurrent
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
            slots = self.slots or max(1, started.spark_context.defaultParallelism)
            return _SparkRun(self, run, active, started, profiles, slots)
        except BaseException:
            started.stop()
            raise


class _SparkRun(RemoteSteps):
    """The driver's side of one run on Spark: the steps handed out, and what comes back."""

    def __init__(self, executor: SparkExecutor, run: RunContext, active: ActiveExecution,
                 started: StartedSession, profiles: Mapping[str, dict[str, float]],
                 slots: int) -> None:
        super().__init__(run, active)
        self.started = started
        self.context = started.spark_context
        self.payload = worker_payload(executor, run)
        self.profiles = {handle: _resource_profile(amounts)
                         for handle, amounts in profiles.items()}
        self.messages: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self.steps: dict[str, ExecutionStep] = {}
        # Steps that run as jobs of their own (they ask for task resources).
        self.own_jobs: set[str] = set()
        # Steps whose slot's connection ended: (slot job, where it ran, when it was seen).
        self.lost: dict[str, tuple[int, str, float]] = {}
        self.job_group = f"headwater-{run.run_id}"
        conf = self.context.getConf()
        host = conf.get("spark.driver.host") or socket.gethostname()
        self.pool = SlotPool(self.context, self.payload, self.job_group, slots,
                             conf.get("spark.driver.bindAddress") or host, host, self.messages)
        self.threads = ThreadPoolExecutor(max_workers=max(1, slots),
                                          thread_name_prefix="headwater-spark-step")
        run.log.info(f"Running steps on Spark: master {self.context.master}, application "
                     f"{self.context.applicationId}, up to {self.pool.wanted} slot(s) "
                     f"pulling steps from {host}:{self.pool.address[1]}.")

    @property
    def running(self) -> int:
        return len(self.steps)

    def submit(self, step: ExecutionStep, retry_number: int, overrides: FanInOverrides) -> None:
        self.steps[step.key] = step
        if step.solid_handle in self.profiles:
            # Its task needs cores the idle slots hold: they give them back meanwhile.
            self.own_jobs.add(step.key)
            self.pool.release(True)
            self.threads.submit(self._run_job, step, retry_number, overrides)
        else:
            self.pool.put(step.key, retry_number, overrides)

    def _run_job(self, step: ExecutionStep, retry_number: int,
                 overrides: FanInOverrides) -> None:
        from headwater_spark import tasks

        try:
            self.context.setJobGroup(self.job_group, f"step {step.key}",
                                     interruptOnCancel=True)
            rdd = self.context.parallelize([step.key], 1).withResources(
                self.profiles[step.solid_handle])
            task = functools.partial(tasks.run_step, self.payload, step.key, retry_number,
                                     overrides)
            ((runner, entries),) = rdd.mapPartitions(task).collect()
            self.messages.put(("own_job", step.key, (runner, entries), None))
        except BaseException as error:
            self.messages.put(("own_job", step.key, None, error))

    def wait(self, timeout: float | None) -> Iterator[HeadwaterEvent]:
        if self.run.stop_requested:
            # Steps no slot has taken do not start once the run is asked to stop.
            for key in self.pool.take_pending():
                self.steps.pop(key, None)
        limit = _WAIT_SECONDS if timeout is None else min(timeout, _WAIT_SECONDS)
        batch = []
        with contextlib.suppress(queue.Empty):
            batch.append(self.messages.get(timeout=limit))
            while True:
                batch.append(self.messages.get_nowait())
        for message in batch:
            yield from self._handle(message)
        yield from self._fail_long_lost()

    def _handle(self, message: tuple[Any, ...]) -> Iterator[HeadwaterEvent]:
        kind = message[0]
        if kind == "entry":
            event = self.record(message[1])
            if event is not None:
                yield event
        elif kind == "done":
            step = self.steps.pop(message[1], None)
            if step is not None and not self._finished(step):
                yield self.fail(step, f'The Spark task of step "{step.key}" on {message[2]} '
                                      "ended without the step finishing.", "StepLostError")
        elif kind == "crashed":
            _, step_key, text, runner = message
            step = self.steps.pop(step_key, None)
            if step is not None:
                last = text.strip().splitlines()[-1] if text.strip() else "no traceback"
                yield self.fail(step, f"The Spark task on {runner} could not load the pipeline "
                                      f'to run step "{step_key}": {last}',
                                "WorkerCrashedError", text.splitlines())
        elif kind == "lost":
            _, job, step_key, runner = message
            if step_key in self.steps:
                self.lost[step_key] = (job, runner, time.monotonic())
        elif kind == "job_ended":
            yield from self._slot_job_ended(message[1], message[2])
        elif kind == "own_job":
            _, step_key, result, error = message
            self.own_jobs.discard(step_key)
            if not self.own_jobs:
                self.pool.release(False)
            step = self.steps.pop(step_key, None)
            if step is not None:
                yield from self._own_job_ended(step, result, error)

    def _finished(self, step: ExecutionStep) -> bool:
        return step.key in self.active.succeeded or step.key in self.active.failed

    def _slot_job_ended(self, job: int, error: BaseException | None
                        ) -> Iterator[HeadwaterEvent]:
        """A slot job ended: the steps its slots held when they were lost fail with its
        reason; if it failed and no slot is left, so do the steps waiting for one."""
        reason = None if error is None else _spark_reason(error)
        for step_key, (lost_job, runner, _) in list(self.lost.items()):
            if lost_job != job:
                continue
            del self.lost[step_key]
            step = self.steps.pop(step_key, None)
            if step is None or self._finished(step):
                continue
            if reason is None:
                yield self._fail_lost(step, runner)
            else:
                yield self.fail(step, f'The Spark task of step "{step_key}" failed on the '
                                      f"cluster: {reason}", type(error).__name__)
        if reason is None or self.pool.alive:
            return
        for step_key in self.pool.take_pending():
            step = self.steps.pop(step_key, None)
            if step is not None:
                yield self.fail(step, f'Step "{step_key}" was waiting for a Spark task when '
                                      f"the run's slot job failed: {reason}",
                                type(error).__name__)

    def _fail_long_lost(self) -> Iterator[HeadwaterEvent]:
        """Fail steps whose slot's connection ended long ago, while its job goes on (the
        job's end would have said why): no step waits for ever."""
        now = time.monotonic()
        for step_key, (_, runner, seen) in list(self.lost.items()):
            if now - seen < _LOST_SECONDS:
                continue
            del self.lost[step_key]
            step = self.steps.pop(step_key, None)
            if step is not None and not self._finished(step):
                yield self._fail_lost(step, runner)

    def _fail_lost(self, step: ExecutionStep, runner: str) -> HeadwaterEvent:
        return self.fail(step, f'The Spark task running step "{step.key}" on {runner} lost '
                               "its connection to the driver before the step finished.",
                         "StepLostError")

    def _own_job_ended(self, step: ExecutionStep, result: Any,
                       error: BaseException | None) -> Iterator[HeadwaterEvent]:
        if result is not None:
            _runner, entries = result
            for data in entries:
                event = self.record(pickle.loads(data))
                if event is not None:
                    yield event
        if self._finished(step):
            return
        if error is None:
            reason = f'The Spark task of step "{step.key}" ended without the step finishing.'
            yield self.fail(step, reason, "StepLostError")
            return
        yield self.fail(step, f'The Spark task of step "{step.key}" failed on the cluster: '
                              f"{_spark_reason(error)}", type(error).__name__)

    def close(self) -> None:
        """Stop the slots (cancelling the run's jobs if steps still run: a stopped or failed
        run), record what tearing their resources down logged, and stop the context if the
        run started it."""
        try:
            busy = bool(self.steps)
            self.pool.close(cancel=busy, timeout=_STOP_SECONDS)
            if self.own_jobs:
                self.context.cancelJobGroup(self.job_group)
            self.threads.shutdown(wait=True, cancel_futures=True)
            with contextlib.suppress(queue.Empty):
                while True:
                    message = self.messages.get_nowait()
                    if message[0] == "entry":
                        self.run.recorder.handle_new_event(message[1])
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
                                description="Slots: long-running Spark tasks that pull "
                                            "steps, so steps running at once; 0 means the "
                                            "cluster's default parallelism (its cores)."),
        "retries": retries_config(),
    },
    executor_creation_fn=create_spark_executor,
    description="Runs the steps in long-running tasks on a Spark cluster (standalone, YARN, "
                "Kubernetes, local). Needs a reconstructable pipeline, a persistent instance and a "
                "persistent IO manager, and Headwater and the pipeline's code on the "
                "executors.",
    requirements=multiple_process_executor_requirements(),
)
