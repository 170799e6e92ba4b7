"""The ``dask`` executor: each step of a run is a task on a Dask cluster.

A step is submitted as soon as its inputs are ready (not level by level). On the worker,
the task loads the pipeline once per run and process (from its code pointer), builds the
resources the step needs, and runs it; every event and log line it emits is put on a
Dask queue, which the driver drains into the instance as it goes — so the run's log is
live. Outputs cross machines through the run's persistent IO manager.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import time
from collections.abc import Iterator
from typing import Any

from headwater.config import Field, IntSource, Permissive, Selector, StringSource
from headwater.definitions.executor import (
    Executor,
    ExecutorDefinition,
    InitExecutorContext,
    RetryMode,
    multiple_process_executor_requirements,
    retries_config,
)
from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.execution.active import ActiveExecution
from headwater.execution.context import RunContext
from headwater.execution.events import (
    HeadwaterEvent,
    HeadwaterEventType,
    SerializableErrorInfo,
    StepFailureData,
    UserFailureData,
    new_event,
)
from headwater.execution.executors.in_process import report_decisions
from headwater.execution.plan import ExecutionStep, FromMultipleSources

RESOURCES_TAG = "headwater-dask/resources"

# Cluster kinds other than local and existing: the module and class that create them, and
# the package that provides them.
CLUSTER_KINDS = {
    "yarn": ("dask_yarn", "YarnCluster", "dask-yarn"),
    "ssh": ("distributed", "SSHCluster", "distributed"),
    "pbs": ("dask_jobqueue", "PBSCluster", "dask-jobqueue"),
    "moab": ("dask_jobqueue", "MoabCluster", "dask-jobqueue"),
    "sge": ("dask_jobqueue", "SGECluster", "dask-jobqueue"),
    "lsf": ("dask_jobqueue", "LSFCluster", "dask-jobqueue"),
    "slurm": ("dask_jobqueue", "SLURMCluster", "dask-jobqueue"),
    "oar": ("dask_jobqueue", "OARCluster", "dask-jobqueue"),
    "kube": ("dask_kubernetes", "KubeCluster", "dask-kubernetes"),
}


def _cluster_config() -> Field:
    kinds: dict[str, Any] = {
        "local": Field(Permissive(), is_required=False,
                       description="Keyword arguments of distributed.LocalCluster "
                                   "(n_workers, threads_per_worker, processes, ...)."),
        "existing": Field({"address": StringSource}, is_required=False,
                          description="Connect to a running scheduler, e.g. "
                                      "tcp://scheduler:8786."),
    }
    for kind, (module, cls, package) in CLUSTER_KINDS.items():
        kinds[kind] = Field(Permissive(), is_required=False,
                            description=f"Keyword arguments of {module}.{cls} "
                                        f"(needs {package}).")
    return Field(Selector(kinds), default_value={"local": {}},
                 description="Where the steps run: a local cluster started for the run, an "
                             "existing scheduler, or a cluster manager.")


class _Cluster:
    """The client (and, for cluster kinds the run starts, the cluster) of one run."""

    def __init__(self, config: dict[str, Any]) -> None:
        from distributed import Client, LocalCluster

        ((kind, options),) = config.items()
        options = dict(options or {})
        self.cluster: Any = None
        if kind == "existing":
            self.client = Client(options["address"])
            return
        if kind == "local":
            options.setdefault("dashboard_address", None)
            self.cluster = LocalCluster(**options)
        else:
            module_name, class_name, package = CLUSTER_KINDS[kind]
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                raise HeadwaterInvalidDefinitionError(
                    f'The dask executor\'s cluster kind "{kind}" needs the package {package}: '
                    f"pip install {package}.") from None
            self.cluster = getattr(module, class_name)(**options)
        self.client = Client(self.cluster)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _dask_resources(step: ExecutionStep) -> dict[str, float] | None:
    raw = step.tags.get(RESOURCES_TAG)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, (int, float)) for v in value.values()):
        raise HeadwaterInvalidDefinitionError(
            f'The tag "{RESOURCES_TAG}" of solid "{step.solid_handle}" must be a dict of '
            f'resource name to amount, e.g. {{"GPU": 1}}; got {raw!r}.')
    return value


class DaskExecutor(Executor):
    """Submits each ready step as a Dask task and records its events as they arrive."""

    def __init__(self, pipeline: Any, cluster_config: dict[str, Any], max_concurrent: int,
                 retries: RetryMode) -> None:
        self.pipeline = pipeline
        self.cluster_config = cluster_config
        self.max_concurrent = max_concurrent
        self._retries = retries

    @property
    def retries(self) -> RetryMode:
        return self._retries

    def execute(self, plan_context: RunContext, execution_plan: Any) -> Iterator[HeadwaterEvent]:
        from distributed import Queue

        from headwater_dask import tasks

        run = plan_context.run
        cluster = _Cluster(self.cluster_config)
        queue_name = f"headwater-events-{run.run_id}"
        events_queue = Queue(queue_name, client=cluster.client)
        payload = {
            "origin": self.pipeline.origin,
            "run": run,
            "instance_ref": plan_context.recorder.get_ref(),
            "parent_output_run_ids": dict(plan_context.parent_output_run_ids),
            "retry_mode": self._retries,
        }
        active = ActiveExecution(execution_plan, **plan_context.known_state)
        running: dict[Any, ExecutionStep] = {}
        attempt = 0
        try:
            while not active.is_complete:
                yield from report_decisions(plan_context, active.pop_decisions())
                if plan_context.stop_requested and not running:
                    return
                while not plan_context.stop_requested and (
                        not self.max_concurrent or len(running) < self.max_concurrent):
                    step = active.get_next_ready()
                    if step is None:
                        break
                    attempt += 1
                    overrides = {
                        i.name: tuple(s.handle for s in i.source.sources)
                        for i in step.inputs if isinstance(i.source, FromMultipleSources)
                    }
                    future = cluster.client.submit(
                        tasks.run_step, payload, step.key,
                        plan_context.retries.get_attempt_count(step.key), overrides,
                        queue_name, key=f"{step.key}-{run.run_id[:8]}-{attempt}", pure=False,
                        priority=step.priority, resources=_dask_resources(step))
                    running[future] = step
                if not running:
                    delay = active.seconds_until_next_retry()
                    if delay is None:
                        if active.is_complete:
                            break
                        raise RuntimeError("No step is running, ready or waiting for a retry, "
                                           "yet the plan is not complete.")
                    time.sleep(delay)
                    continue
                yield from self._drain_events(plan_context, active, events_queue)
                for future in [f for f in running if f.done()]:
                    step = running.pop(future)
                    yield from self._drain_events(plan_context, active, events_queue)
                    if future.status == "error":
                        yield from self._task_failed(plan_context, active, step, future)
                    plan_context.recorder.flush()
                if running:
                    self._wait_any(list(running), timeout=0.05)
            yield from report_decisions(plan_context, active.pop_decisions())
        finally:
            if running:
                cluster.client.cancel(list(running))
            # The cluster may already be gone (a cancelled run, lost workers).
            with contextlib.suppress(Exception):
                cluster.client.run(tasks.forget_run, run.run_id)
            cluster.close()

    @staticmethod
    def _wait_any(futures: list[Any], timeout: float) -> None:
        from distributed import wait

        try:
            wait(futures, timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return
        except Exception as error:  # distributed raises its own TimeoutError subclass
            if type(error).__name__ != "TimeoutError":
                raise

    @staticmethod
    def _drain_events(run: RunContext, active: ActiveExecution,
                      events_queue: Any) -> Iterator[HeadwaterEvent]:
        while events_queue.qsize() > 0:
            for entry in events_queue.get(batch=True):
                run.recorder.handle_new_event(entry)
                event = entry.headwater_event
                if event is None or event.step_key is None:
                    continue
                if event.event_type_value == "STEP_UP_FOR_RETRY":
                    run.retries.mark_attempt(event.step_key)
                active.handle_event(event)
                yield event

    @staticmethod
    def _task_failed(run: RunContext, active: ActiveExecution, step: ExecutionStep,
                     future: Any) -> Iterator[HeadwaterEvent]:
        if step.key in active.succeeded or step.key in active.failed:
            return
        error = future.exception()
        if type(error).__name__ == "KilledWorker":
            reason = (f'The Dask worker running step "{step.key}" was lost ({error}); the step '
                      "did not finish.")
        else:
            reason = f'The Dask task of step "{step.key}" raised {error!r}.'
        info = SerializableErrorInfo(reason, [], type(error).__name__)
        event = new_event(HeadwaterEventType.STEP_FAILURE, run.pipeline.name,
                          f'Execution of step "{step.key}" failed: {reason}', step.key,
                          step.solid_handle, StepFailureData(info, UserFailureData(reason)))
        run.log.for_step(step.key, step.solid_handle).log_event(event)
        active.handle_event(event)
        yield event


def create_dask_executor(init_context: InitExecutorContext) -> DaskExecutor:
    config = init_context.executor_config
    return DaskExecutor(init_context.pipeline, config["cluster"], config["max_concurrent"],
                        RetryMode.from_config(config.get("retries")))


dask_executor = ExecutorDefinition(
    "dask",
    config_schema={
        "cluster": _cluster_config(),
        "max_concurrent": Field(IntSource, default_value=0,
                                description="Steps submitted at once; 0 means no limit (the "
                                            "cluster's workers decide)."),
        "retries": retries_config(),
    },
    executor_creation_fn=create_dask_executor,
    description="Runs each step as a task on a Dask cluster: a local one started for the run, "
                "an existing scheduler, or a cluster manager (dask-jobqueue, "
                "dask-kubernetes, dask-yarn).",
    requirements=multiple_process_executor_requirements(),
)
