"""The ``dask`` executor: each step of a run is a task on a Dask cluster.

A step is submitted as soon as its inputs are ready (not level by level). On the worker,
the task loads the pipeline once per run and process (from its code pointer), builds the
resources the step needs, and runs it; every event and log line it emits is put on a
Dask queue, which the driver drains into the instance as it goes — so the run's log is
live. Outputs cross machines through the run's persistent IO manager.

A step whose worker is lost fails, with the worker named in the reason: either Dask
reports the task's worker dead (clusters the run starts allow no re-run), or, on a
cluster that re-runs tasks of lost workers, the driver sees the step start again on
another worker and fails it there and then.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import time
from collections.abc import Iterator, Mapping
from typing import Any

from headwater.config import Field, IntSource
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
    SerializableErrorInfo,
)
from headwater.execution.executors.in_process import report_decisions
from headwater.execution.executors.remote import fail_lost_step, record_remote_entry
from headwater.execution.plan import ExecutionPlan, ExecutionStep, FromMultipleSources
from headwater_dask.cluster import RunCluster, check_cluster_available, cluster_config_field

RESOURCES_TAG = "headwater-dask/resources"

# How long the driver waits for a task to finish before it looks for new events again:
# the delay with which the run's log follows its steps.
_POLL_SECONDS = 0.05


class _Attempt:
    """One submitted attempt of a step: its Dask future, and the worker that runs it (from
    the first event it sends)."""

    __slots__ = ("future", "runner", "step")

    def __init__(self, future: Any, step: ExecutionStep) -> None:
        self.future = future
        self.step = step
        self.runner: str | None = None


class DaskExecutor(Executor):
    """Submits each ready step as a Dask task and records its events as they arrive.

    Args:
        pipeline: The reconstructable pipeline (workers load it from its pointer).
        cluster_config: ``{kind: options}``, one of the kinds of ``cluster_config_field``.
        max_concurrent: Steps submitted at once; 0 for no limit.
        retries: Whether retry policies apply.
    """

    def __init__(self, pipeline: Any, cluster_config: dict[str, Any], max_concurrent: int,
                 retries: RetryMode) -> None:
        check_cluster_available(cluster_config)
        self.pipeline = pipeline
        self.cluster_config = cluster_config
        self.max_concurrent = max_concurrent
        self._retries = retries

    @property
    def retries(self) -> RetryMode:
        return self._retries

    def execute(self, plan_context: RunContext, execution_plan: Any) -> Iterator[HeadwaterEvent]:
        resources = _dask_resources_by_solid(execution_plan)
        cluster = RunCluster(self.cluster_config)
        try:
            run = _DaskRun(self, plan_context, execution_plan, cluster.client, resources)
            try:
                yield from run.execute()
            finally:
                run.close()
        finally:
            cluster.close()


class _DaskRun:
    """The driver's side of one run on a cluster: what is submitted, and its events."""

    def __init__(self, executor: DaskExecutor, plan_context: RunContext, plan: ExecutionPlan,
                 client: Any, resources: Mapping[str, dict[str, float]]) -> None:
        from distributed import Queue

        self.context = plan_context
        self.client = client
        self.max_concurrent = executor.max_concurrent
        self.resources = resources
        run = plan_context.run
        self.queue_name = f"headwater-events-{run.run_id}"
        self.queue = Queue(self.queue_name, client=client)
        self.payload = {
            "origin": executor.pipeline.origin,
            "run": run,
            "instance_ref": plan_context.recorder.get_ref(),
            "parent_output_run_ids": dict(plan_context.parent_output_run_ids),
            "retry_mode": executor.retries,
            "default_console_logger": plan_context.default_console_logger,
            "driver_pid": os.getpid(),
        }
        self.active = ActiveExecution(plan, **plan_context.known_state)
        self.running: dict[str, _Attempt] = {}
        self._submitted = 0

    def execute(self) -> Iterator[HeadwaterEvent]:
        context, active = self.context, self.active
        self._warn_of_missing_resources()
        while not active.is_complete:
            yield from report_decisions(context, active.pop_decisions())
            if context.stop_requested and not self.running:
                return
            self._submit_ready_steps()
            if not self.running:
                delay = active.seconds_until_next_retry()
                if delay is None:
                    if active.is_complete:
                        break
                    raise RuntimeError("No step is running, ready or waiting for a retry, "
                                       "yet the plan is not complete.")
                time.sleep(delay)
                continue
            self._wait_for_any_task()
            # Tasks seen finished before the queue is drained have all their events on it.
            finished = [key for key, attempt in self.running.items() if attempt.future.done()]
            yield from self._drain_events()
            for key in finished:
                attempt = self.running.pop(key, None)
                if attempt is not None:
                    yield from self._task_ended(attempt)
        yield from report_decisions(context, active.pop_decisions())

    def _submit_ready_steps(self) -> None:
        from headwater_dask import tasks

        while not self.context.stop_requested and (
                not self.max_concurrent or len(self.running) < self.max_concurrent):
            step = self.active.get_next_ready()
            if step is None:
                return
            self._submitted += 1
            # Dask groups tasks by the key's prefix (the solid): the steps mapped over a
            # dynamic output form one group, which Dask queues on the scheduler and hands
            # to workers as they free up, and learns the solid's duration from.
            key = f"{step.solid_handle}-{self.context.run_id[:8]}-{self._submitted}"
            overrides = {
                i.name: tuple(s.handle for s in i.source.sources)
                for i in step.inputs if isinstance(i.source, FromMultipleSources)
            }
            future = self.client.submit(
                tasks.run_step, self.payload, step.key,
                self.context.retries.get_attempt_count(step.key), overrides, self.queue_name,
                key, key=key, pure=False, priority=step.priority,
                resources=self.resources.get(step.solid_handle))
            self.running[key] = _Attempt(future, step)

    def _wait_for_any_task(self) -> None:
        from distributed import CancelledError, wait

        # distributed's own TimeoutError subclasses the builtin one. A task cancelled on the
        # cluster (by someone else) is seen as done, and fails its step.
        with contextlib.suppress(TimeoutError, CancelledError):
            wait([a.future for a in self.running.values()], timeout=_POLL_SECONDS,
                 return_when="FIRST_COMPLETED")

    def _drain_events(self) -> Iterator[HeadwaterEvent]:
        """Record what the steps have sent and feed their events to the plan.

        A task's events are all on the queue before Dask reports it finished (each put
        waits for the scheduler).
        """
        context, active = self.context, self.active
        for attempt_key, runner, data in itertools.chain.from_iterable(
                self.queue.get(batch=True)):
            attempt = self.running.get(attempt_key) if attempt_key is not None else None
            if attempt_key is not None and attempt is None:
                continue  # an attempt already decided (its worker was lost), still running
            if attempt is not None and attempt.runner != runner:
                if attempt.runner is not None:
                    yield from self._rerun_elsewhere(attempt_key, attempt, runner)
                    continue
                attempt.runner = runner
            event = record_remote_entry(context, active, pickle.loads(data))
            if event is not None:
                yield event

    def _rerun_elsewhere(self, attempt_key: str, attempt: _Attempt,
                         runner: str) -> Iterator[HeadwaterEvent]:
        """Dask ran the attempt again on another worker: the first one was lost mid-step."""
        del self.running[attempt_key]
        attempt.future.cancel()
        yield from self._fail_step(
            attempt.step,
            f'The Dask worker {attempt.runner} running step "{attempt.step.key}" was lost '
            f"before the step finished (Dask started the step again on {runner}; that run "
            "was stopped).", "WorkerLostError")

    def _task_ended(self, attempt: _Attempt) -> Iterator[HeadwaterEvent]:
        """A task finished; when it did not run its step to the end, fail the step."""
        step, future = attempt.step, attempt.future
        if future.status == "finished" or step.key in self.active.succeeded \
                or step.key in self.active.failed:
            return
        worker = f"worker {attempt.runner}" if attempt.runner else "worker"
        if future.status == "cancelled":
            yield from self._fail_step(
                step, f'The Dask task of step "{step.key}" was cancelled on the cluster before '
                      "the step finished.", "CancelledError")
            return
        error = future.exception()
        if type(error).__name__ == "KilledWorker":
            yield from self._fail_step(
                step, f'The Dask {worker} running step "{step.key}" was lost before the step '
                      f"finished: {error}", "WorkerLostError")
            return
        info = SerializableErrorInfo.from_exception(error.with_traceback(future.traceback()))
        yield from self._fail_step(
            step, f'The Dask task of step "{step.key}" raised on its {worker}: {info.message}',
            type(error).__name__, info.stack)

    def _fail_step(self, step: ExecutionStep, reason: str, cls_name: str,
                   stack: list[str] | None = None) -> Iterator[HeadwaterEvent]:
        yield fail_lost_step(self.context, self.active, step, reason, cls_name, stack)

    def _warn_of_missing_resources(self) -> None:
        wanted = {name for amounts in self.resources.values() for name in amounts}
        if not wanted:
            return
        offered = {name for worker in self.client.scheduler_info()["workers"].values()
                   for name in worker.get("resources") or {}}
        missing = sorted(wanted - offered)
        if missing:
            self.context.log.warning(
                f"No worker of the Dask cluster offers the resource(s) {missing} that steps "
                f'ask for with the tag "{RESOURCES_TAG}"; those steps wait until a worker '
                "offering them joins the cluster.")

    def close(self) -> None:
        """Cancel what is still submitted (a stopped or failed run) and clean up the
        workers and the scheduler after the run."""
        from headwater_dask import tasks

        try:
            if self.running:
                self.client.cancel([a.future for a in self.running.values()])
                self.running.clear()
            # A worker that fails to clean up (or is gone) must not fail a finished run.
            self.client.run(tasks.forget_run, self.context.run_id, on_error="ignore")
            # What the teardown of the workers' resources logged.
            for _ in self._drain_events():
                pass
        finally:
            self.queue.close()


def _dask_resources_by_solid(plan: ExecutionPlan) -> dict[str, dict[str, float]]:
    """The Dask resources each solid asks for, checked before any step is submitted."""
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
        if not isinstance(value, dict) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
                for v in value.values()):
            raise HeadwaterInvalidDefinitionError(
                f'The tag "{RESOURCES_TAG}" of solid "{step.solid_handle}" must be a dict of '
                f'resource name to amount, e.g. {{"GPU": 1}}; got {raw!r}.')
        found[step.solid_handle] = value
    return found


def create_dask_executor(init_context: InitExecutorContext) -> DaskExecutor:
    config = init_context.executor_config
    return DaskExecutor(init_context.pipeline, config["cluster"], config["max_concurrent"],
                        RetryMode.from_config(config.get("retries")))


dask_executor = ExecutorDefinition(
    "dask",
    config_schema={
        "cluster": cluster_config_field(),
        "max_concurrent": Field(IntSource, default_value=0,
                                description="Steps submitted at once; 0 means no limit (the "
                                            "cluster's workers decide)."),
        "retries": retries_config(),
    },
    executor_creation_fn=create_dask_executor,
    description="Runs each step as a task on a Dask cluster: a local one started for the run, "
                "an existing scheduler, or a cluster manager (dask-jobqueue, "
                "dask-kubernetes, dask-yarn, SSH). Needs a reconstructable pipeline, a "
                "persistent instance and a persistent IO manager.",
    requirements=multiple_process_executor_requirements(),
)
