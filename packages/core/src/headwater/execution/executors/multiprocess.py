"""The multiprocess executor: a pool of worker processes, started once per run.

Each worker loads the pipeline once (from the run's code pointer), rebuilds the same plan,
and then runs the steps the parent hands it as their inputs become ready. Outputs cross
processes through the run's persistent IO manager; every event and log line a worker
emits travels back to the parent, which records it in the instance and decides what runs
next. A worker that dies fails the step it was running, with the reason recorded, and is
replaced for the steps still to come.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from headwater.definitions.executor import Executor, InitExecutorContext, RetryMode
from headwater.execution.active import ActiveExecution
from headwater.execution.context import RunContext
from headwater.execution.events import (
    HeadwaterEvent,
)
from headwater.execution.executors.in_process import report_decisions
from headwater.execution.executors.remote import fail_lost_step, record_remote_entry
from headwater.execution.plan import ExecutionStep, FromMultipleSources


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
        return self.process.pid

    def run(self, step: ExecutionStep, retry_number: int) -> None:
        overrides = {
            step_input.name: tuple(source.handle for source in step_input.source.sources)
            for step_input in step.inputs if isinstance(step_input.source, FromMultipleSources)
        }
        self.step = step
        self.started_at = time.perf_counter()
        self.connection.send(("run", step.key, retry_number, overrides))

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.connection.send(("stop",))


class MultiprocessExecutor(Executor):
    """Runs up to ``max_concurrent`` steps at once in worker processes."""

    def __init__(self, pipeline: Any, max_concurrent: int, retries: RetryMode,
                 start_method: str) -> None:
        self.pipeline = pipeline
        self.max_concurrent = max_concurrent or multiprocessing.cpu_count()
        self._retries = retries
        self.start_method = start_method

    @property
    def retries(self) -> RetryMode:
        return self._retries

    def execute(self, plan_context: RunContext, execution_plan: Any) -> Iterator[HeadwaterEvent]:
        context = multiprocessing.get_context(self.start_method)
        recorder = plan_context.recorder
        payload = {
            "origin": self.pipeline.origin,
            "run": plan_context.run,
            "instance_ref": recorder.get_ref(),
            "parent_output_run_ids": dict(plan_context.parent_output_run_ids),
            "retry_mode": self._retries,
            "default_console_logger": plan_context.default_console_logger,
        }
        active = ActiveExecution(execution_plan, **plan_context.known_state)
        idle: list[_Worker] = []
        busy: dict[Connection, _Worker] = {}
        workers: list[_Worker] = []
        try:
            while not active.is_complete or busy:
                yield from report_decisions(plan_context, active.pop_decisions())
                if plan_context.stop_requested and not busy:
                    return
                while not plan_context.stop_requested and len(busy) < self.max_concurrent:
                    step = active.get_next_ready()
                    if step is None:
                        break
                    worker = idle.pop() if idle else None
                    if worker is None:
                        worker = _Worker(context, payload)
                        workers.append(worker)
                    worker.run(step, plan_context.retries.get_attempt_count(step.key))
                    busy[worker.connection] = worker
                if not busy:
                    if active.is_complete:
                        break
                    delay = active.seconds_until_next_retry()
                    if delay is None:
                        raise RuntimeError("No step is running, ready or waiting for a retry, "
                                           "yet the plan is not complete.")
                    time.sleep(delay)
                    continue
                timeout = active.seconds_until_next_retry()
                sentinels = {w.process.sentinel: w for w in busy.values()}
                for ready in wait([*busy, *sentinels], timeout=timeout):
                    worker = busy.get(ready) if isinstance(ready, Connection) else None
                    if worker is None:
                        worker = sentinels[ready]  # type: ignore[index]
                        if worker.connection not in busy:
                            continue
                    yield from self._drain(plan_context, active, worker, busy, idle)
        finally:
            for worker in workers:
                if worker.connection in busy:
                    # Still running a step while the run is being stopped (canceled,
                    # interrupted, or failed outside its steps): stop it now, not after.
                    worker.process.terminate()
                else:
                    worker.stop()
            for worker in workers:
                worker.process.join(timeout=5)
                if worker.process.is_alive():
                    worker.process.terminate()
                    worker.process.join(timeout=5)
                worker.connection.close()
        yield from report_decisions(plan_context, active.pop_decisions())

    def _drain(self, run: RunContext, active: ActiveExecution, worker: _Worker,
               busy: dict[Connection, _Worker], idle: list[_Worker]) -> Iterator[HeadwaterEvent]:
        """Handle everything a busy worker has sent; notice if it died."""
        while True:
            try:
                if not worker.connection.poll():
                    if worker.process.is_alive():
                        return
                    raise EOFError
                message = worker.connection.recv()
            except (EOFError, OSError):
                del busy[worker.connection]
                yield from self._worker_died(run, active, worker)
                return
            kind = message[0]
            if kind == "entry":
                event = record_remote_entry(run, active, message[1])
                if event is not None:
                    yield event
            elif kind == "done":
                run.recorder.flush()
                worker.step = None
                del busy[worker.connection]
                idle.append(worker)
                return
            elif kind == "crashed":
                # The worker could not set itself up (e.g. the pipeline failed to load):
                # nothing it runs can succeed, so the run stops here with the reason.
                del busy[worker.connection]
                raise RuntimeError(f"A worker process could not start: {message[1]}")

    def _worker_died(self, run: RunContext, active: ActiveExecution,
                     worker: _Worker) -> Iterator[HeadwaterEvent]:
        worker.process.join(timeout=5)
        step = worker.step
        if step is None:
            return
        code = worker.process.exitcode
        reason = (f"The worker process (pid {worker.pid}) running step \"{step.key}\" exited "
                  f"unexpectedly with {_describe_exit(code)}.")
        yield fail_lost_step(run, active, step, reason, "WorkerDiedError")


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
