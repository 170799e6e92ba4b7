"""The multiprocess executor: a pool of worker processes, started once per run.

Each worker loads the pipeline once (from the run's code pointer), rebuilds the same plan,
and then runs the steps the parent hands it as their inputs become ready. Outputs cross
processes through the run's persistent IO manager; every event and log line a worker
emits travels back to the parent, which records it in the instance and decides what runs
next. A worker that dies fails the step it was running, with the reason recorded, and is
replaced for the steps still to come.

Workers start from a fork server by default: a process that has imported Headwater's
execution and storage code and the installed plugins once, and forks each worker from there, so that a worker skips the imports a spawned one
repeats. The fork server is started once per process and serves every later run; each
worker takes on the environment variables, working directory and ``sys.path`` of the run's
process, as a spawned worker would. ``spawn`` and ``fork`` stay available.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from headwater.definitions.executor import InitExecutorContext, RetryMode
from headwater.execution.active import ActiveExecution
from headwater.execution.context import RunContext
from headwater.execution.events import HeadwaterEvent
from headwater.execution.executors.remote import (
    FanInOverrides,
    RemoteExecutor,
    RemoteSteps,
    worker_payload,
)
from headwater.execution.plan import ExecutionPlan, ExecutionStep


class WorkerDiedError(Exception):
    """A worker process exited while it was running a step."""


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, context: Any, payload: dict[str, Any]) -> None:
        parent_end, child_end = context.Pipe(duplex=True)
        from headwater.execution.executors import worker

        self.process = context.Process(target=worker.worker_main, args=(child_end, payload),
                                       daemon=True, name="headwater-worker")
        self.process.start()
        child_end.close()
        self.connection: Connection = parent_end
        self.step: ExecutionStep | None = None
        self.started_at = 0.0

    @property
    def pid(self) -> int | None:
        pid: int | None = self.process.pid
        return pid

    def run(self, step: ExecutionStep, retry_number: int, overrides: FanInOverrides) -> None:
        self.step = step
        self.started_at = time.perf_counter()
        # A worker that could not set itself up has exited after saying why: the reason
        # is still in the pipe, read by the next wait.
        with contextlib.suppress(BrokenPipeError, OSError):
            self.connection.send(("run", step.key, retry_number, overrides))

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.connection.send(("stop",))


class MultiprocessExecutor(RemoteExecutor):
    """Runs up to ``max_concurrent`` steps at once in worker processes."""

    def __init__(self, pipeline: Any, max_concurrent: int, retries: RetryMode,
                 start_method: str) -> None:
        super().__init__(pipeline, max_concurrent or multiprocessing.cpu_count(), retries)
        if start_method not in multiprocessing.get_all_start_methods():
            start_method = "spawn"  # no fork server on this platform (Windows)
        self.start_method = start_method

    def start(self, run: RunContext, active: ActiveExecution,
              plan: ExecutionPlan) -> _WorkerPool:
        payload = worker_payload(self, run)
        if self.start_method == "forkserver":
            _preload_fork_server()
        if self.start_method != "spawn":
            # A forked worker starts with the fork server's (or this process's, at fork)
            # environment; give it the run's, as spawn does.
            payload["process_state"] = (dict(os.environ), os.getcwd(), list(sys.path))
        pool = _WorkerPool(run, active, multiprocessing.get_context(self.start_method),
                           payload)
        # Start as many workers as can be busy at once now: they set up (open the
        # instance, load the pipeline) while the first steps run.
        try:
            pool.prestart(min(self.max_concurrent, _step_count(plan)))
        except BaseException:
            pool.close()
            raise
        return pool


def _step_count(plan: ExecutionPlan) -> int:
    """How many steps the plan may run at once, at most (mapped steps count as many)."""
    return sys.maxsize if plan.unresolved else len(plan.steps)


def _preload_fork_server() -> None:
    """Name what the fork server imports before it forks workers (taken into account when
    the server starts: once per process).

    Headwater's code only, not the pipeline's module: the server lives as long as the
    process (a daemon, the UI), and each worker must load the pipeline's current code, as
    a spawned one does; an error raised by importing it must fail the run, not the server.
    """
    multiprocessing.set_forkserver_preload(["headwater.instance.preload"])


class _WorkerPool(RemoteSteps):
    """One run's worker processes: started as steps need them, reused once idle."""

    def __init__(self, run: RunContext, active: ActiveExecution, context: Any,
                 payload: dict[str, Any]) -> None:
        super().__init__(run, active)
        self.context = context
        self.payload = payload
        self.idle: list[_Worker] = []
        self.busy: dict[Connection, _Worker] = {}
        self.workers: list[_Worker] = []

    @property
    def running(self) -> int:
        return len(self.busy)

    def prestart(self, count: int) -> None:
        """Start ``count`` workers ahead of the steps that will use them."""
        while len(self.idle) < count:
            worker = _Worker(self.context, self.payload)
            self.workers.append(worker)
            self.idle.append(worker)

    def submit(self, step: ExecutionStep, retry_number: int, overrides: FanInOverrides) -> None:
        worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = _Worker(self.context, self.payload)
            self.workers.append(worker)
        worker.run(step, retry_number, overrides)
        self.busy[worker.connection] = worker

    def wait(self, timeout: float | None) -> Iterator[HeadwaterEvent]:
        sentinels = {w.process.sentinel: w for w in self.busy.values()}
        for ready in wait([*self.busy, *sentinels], timeout=timeout):
            worker = self.busy.get(ready) if isinstance(ready, Connection) else None
            if worker is None:
                worker = sentinels[ready]
                if worker.connection not in self.busy:
                    continue
            yield from self._drain(worker)

    def _drain(self, worker: _Worker) -> Iterator[HeadwaterEvent]:
        """Handle everything a busy worker has sent; notice if it died."""
        while True:
            try:
                if not worker.connection.poll():
                    if worker.process.is_alive():
                        return
                    raise EOFError
                message = worker.connection.recv()
            except (EOFError, OSError):
                del self.busy[worker.connection]
                yield from self._worker_died(worker)
                return
            kind = message[0]
            if kind == "entry":
                event = self.record(message[1])
                if event is not None:
                    yield event
            elif kind == "done":
                worker.step = None
                del self.busy[worker.connection]
                self.idle.append(worker)
                return
            elif kind == "crashed":
                # The worker could not set itself up (e.g. the pipeline failed to load):
                # nothing it runs can succeed, so the run stops here with the reason.
                del self.busy[worker.connection]
                raise RuntimeError(f"A worker process could not start: {message[1]}")

    def _worker_died(self, worker: _Worker) -> Iterator[HeadwaterEvent]:
        worker.process.join(timeout=5)
        step = worker.step
        if step is None:
            return
        code = worker.process.exitcode
        reason = (f"The worker process (pid {worker.pid}) running step \"{step.key}\" exited "
                  f"unexpectedly with {_describe_exit(code)}.")
        yield self.fail(step, reason, "WorkerDiedError")

    def close(self) -> None:
        for worker in self.workers:
            if worker.connection in self.busy:
                # Still running a step while the run is being stopped (canceled,
                # interrupted, or failed outside its steps): stop it now, not after.
                worker.process.terminate()
            else:
                worker.stop()
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=5)
            worker.connection.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def create_multiprocess_executor(init_context: InitExecutorContext) -> MultiprocessExecutor:
    config = init_context.executor_config
    return MultiprocessExecutor(init_context.pipeline, config["max_concurrent"],
                                RetryMode.from_config(config.get("retries")),
                                config["start_method"])
