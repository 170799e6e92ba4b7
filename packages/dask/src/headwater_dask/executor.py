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
from collections.abc import Iterator, Mapping
from typing import Any

from headwater import (
    ExecutionPlan,
    ExecutorDefinition,
    Field,
    HeadwaterEvent,
    HeadwaterInvalidDefinitionError,
    InitExecutorContext,
    IntSource,
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
    SerializableErrorInfo,
    retries_config,
    worker_payload,
)
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


class DaskExecutor(RemoteExecutor):
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
        super().__init__(pipeline, max_concurrent, retries)
        self.cluster_config = cluster_config

    def start(self, run: RunContext, active: ActiveExecution,
              plan: ExecutionPlan) -> _DaskRun:
        resources = _dask_resources_by_solid(plan)
        cluster = RunCluster(self.cluster_config)
        try:
            return _DaskRun(self, run, active, cluster, resources)
        except BaseException:
            cluster.close()
            raise


class _DaskRun(RemoteSteps):
    """The driver's side of one run on a cluster: what is submitted, and its events."""

    def __init__(self, executor: DaskExecutor, run: RunContext, active: ActiveExecution,
                 cluster: RunCluster, resources: Mapping[str, dict[str, float]]) -> None:
        from distributed import Queue

        super().__init__(run, active)
        self.cluster = cluster
        self.client = cluster.client
        self.resources = resources
        self.queue_name = f"headwater-events-{run.run_id}"
        self.queue = Queue(self.queue_name, client=self.client)
        self.payload = {**worker_payload(executor, run), "driver_pid": os.getpid()}
        self.attempts: dict[str, _Attempt] = {}
        self._submitted = 0
        self._warn_of_missing_resources()

    @property
    def running(self) -> int:
        return len(self.attempts)

    def submit(self, step: ExecutionStep, retry_number: int, overrides: FanInOverrides) -> None:
        from headwater_dask import tasks

        self._submitted += 1
        # Dask groups tasks by the key's prefix (the solid): the steps mapped over a
        # dynamic output form one group, which Dask queues on the scheduler and hands
        # to workers as they free up, and learns the solid's duration from.
        key = f"{step.solid_handle}-{self.run.run_id[:8]}-{self._submitted}"
        future = self.client.submit(
            tasks.run_step, self.payload, step.key, retry_number, overrides, self.queue_name,
            key, key=key, pure=False, priority=step.priority,
            resources=self.resources.get(step.solid_handle))
        self.attempts[key] = _Attempt(future, step)

    def wait(self, timeout: float | None) -> Iterator[HeadwaterEvent]:
        self._wait_for_any_task()
        # Tasks seen finished before the queue is drained have their earlier events on it,
        # and their last ones in their results.
        finished = [key for key, attempt in self.attempts.items() if attempt.future.done()]
        yield from self._drain_events()
        ended = [self.attempts[key] for key in finished if key in self.attempts]
        succeeded = [attempt.future for attempt in ended if attempt.future.status == "finished"]
        # One call for every result at hand, not a round trip per task.
        # (A result lost meanwhile with its worker: the step is failed below, as before.)
        results = self.client.gather(succeeded, errors="skip") if succeeded else []
        yield from self._record_items(itertools.chain.from_iterable(
            pickle.loads(result) for result in results))
        for key in finished:
            attempt = self.attempts.pop(key, None)
            if attempt is not None:
                yield from self._task_ended(attempt)

    def _wait_for_any_task(self) -> None:
        from distributed import CancelledError, wait

        # distributed's own TimeoutError subclasses the builtin one. A task cancelled on the
        # cluster (by someone else) is seen as done, and fails its step.
        with contextlib.suppress(TimeoutError, CancelledError):
            wait([a.future for a in self.attempts.values()], timeout=_POLL_SECONDS,
                 return_when="FIRST_COMPLETED")

    def _drain_events(self) -> Iterator[HeadwaterEvent]:
        """Record what the steps have sent and feed their events to the plan.

        A task's events put on the queue are all there before Dask reports it finished
        (each put waits for the scheduler).
        """
        yield from self._record_items(itertools.chain.from_iterable(self.queue.get(batch=True)))

    def _record_items(self, items: Iterator[tuple[str | None, str, bytes]]
                      ) -> Iterator[HeadwaterEvent]:
        """Record ``(attempt, runner, pickled entry)`` items, from the queue or results."""
        for attempt_key, runner, data in items:
            attempt = self.attempts.get(attempt_key) if attempt_key is not None else None
            if attempt_key is not None and attempt is None:
                continue  # an attempt already decided (its worker was lost), still running
            if attempt is not None and attempt.runner != runner:
                if attempt.runner is not None:
                    yield from self._rerun_elsewhere(attempt_key, attempt, runner)
                    continue
                attempt.runner = runner
            event = self.record(pickle.loads(data))
            if event is not None:
                yield event

    def _rerun_elsewhere(self, attempt_key: str, attempt: _Attempt,
                         runner: str) -> Iterator[HeadwaterEvent]:
        """Dask ran the attempt again on another worker: the first one was lost mid-step."""
        del self.attempts[attempt_key]
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
        yield self.fail(step, reason, cls_name, stack)

    def _warn_of_missing_resources(self) -> None:
        wanted = {name for amounts in self.resources.values() for name in amounts}
        if not wanted:
            return
        offered = {name for worker in self.client.scheduler_info()["workers"].values()
                   for name in worker.get("resources") or {}}
        missing = sorted(wanted - offered)
        if missing:
            self.run.log.warning(
                f"No worker of the Dask cluster offers the resource(s) {missing} that steps "
                f'ask for with the tag "{RESOURCES_TAG}"; those steps wait until a worker '
                "offering them joins the cluster.")

    def close(self) -> None:
        """Cancel what is still submitted (a stopped or failed run) and clean up the
        workers and the scheduler after the run."""
        from headwater_dask import tasks

        try:
            try:
                if self.attempts:
                    self.client.cancel([a.future for a in self.attempts.values()])
                    self.attempts.clear()
                # A worker that fails to clean up (or is gone) must not fail a finished run.
                self.client.run(tasks.forget_run, self.run.run_id, on_error="ignore")
                # What the teardown of the workers' resources logged.
                for _ in self._drain_events():
                    pass
            finally:
                self.queue.close()
        finally:
            self.cluster.close()


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
