"""The body of a multiprocess worker: load the pipeline once, then run steps on request.

The worker rebuilds the run's plan from the pipeline's code pointer and the run record
(same config, mode and selection give the same steps), builds each resource the first time
a step needs it, and sends every event and log line back to the parent over its pipe.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from headwater.execution.active import RetryState
from headwater.execution.context import RunContext
from headwater.execution.events import EventLogEntry
from headwater.execution.log_manager import LogManager
from headwater.execution.plan import (
    ExecutionPlan,
    ExecutionStep,
    FromMultipleSources,
    FromStepOutput,
    StepInput,
    StepOutputHandle,
)
from headwater.execution.resources import ResourceScope
from headwater.execution.step import execute_step


class ForwardingRecorder:
    """A worker's recorder: hands each entry to ``send`` (towards the process that records
    the run) and answers storage questions from the run's instance."""

    is_persistent = True
    # Lifecycle hooks run where the run is recorded, not in workers.
    enabled_plugins: tuple[str, ...] = ()

    def __init__(self, send: Any, instance: Any) -> None:
        self._send = send
        self._instance = instance

    def create_run(self, run: Any) -> Any:
        return run

    def handle_new_event(self, entry: EventLogEntry) -> None:
        self._send(entry)

    def flush(self) -> None:
        """The parent flushes when it records; nothing is buffered here."""

    def get_run_by_id(self, run_id: str) -> Any:
        return self._instance.get_run_by_id(run_id) if self._instance is not None else None

    def storage_directory(self) -> str:
        directory: str = self._instance.storage_directory()
        return directory

    def get_ref(self) -> Any:
        """The instance's reference, for processes the worker's steps start in turn (a
        notebook's kernel)."""
        return self._instance.get_ref()

    @property
    def compute_log_manager(self) -> Any:
        return getattr(self._instance, "compute_log_manager", None)


class Worker:
    """One worker's state for one run: the plan, the resources built so far, the context.

    Args:
        send: Called with each EventLogEntry the worker's steps emit.
        payload: ``origin`` (the pipeline pointer) or ``pipeline`` (the
            PipelineDefinition itself, unpickled by the caller), ``run`` (the PipelineRun),
            ``instance_ref``, ``parent_output_run_ids`` and ``retry_mode``; optionally
            ``default_console_logger`` (False when the run's caller shows the log lines
            itself: the worker then starts no console logger of its own).
    """

    def __init__(self, send: Any, payload: dict[str, Any]) -> None:
        from headwater.execution import api
        from headwater.execution.reconstruct import ReconstructablePipeline

        run = payload["run"]
        # A pipeline no process can load from code (built inside a function) comes by value.
        pointer = (payload["pipeline"] if "pipeline" in payload
                   else ReconstructablePipeline(payload["origin"]))
        ref = payload["instance_ref"]
        self.instance = ref.open() if ref is not None else None
        prepared = api.prepare_run(pointer, run.run_config, run.mode,
                                   solid_selection=run.solids_to_execute, run_id=run.run_id,
                                   step_keys_to_execute=run.step_keys_to_execute)
        prepared.run = run
        self.plan: ExecutionPlan = prepared.plan
        self.recorder = ForwardingRecorder(send, self.instance)
        resolved_mode = prepared.schema.resolved
        log = LogManager(run.run_id, prepared.args.pipeline.name,
                         api.build_loggers(prepared,
                                           payload.get("default_console_logger", True)),
                         self.recorder)
        self.scope = ResourceScope(resolved_mode.resource_defs, prepared.resolved.resources, (),
                                   instance=self.recorder, pipeline_run=run, log=log,
                                   where=f'mode "{resolved_mode.mode.name}"')
        self.scope.__enter__()
        self.retries = RetryState(payload["retry_mode"])
        self.context = RunContext(prepared.args.pipeline, self.plan, run, prepared.resolved,
                                  resolved_mode.mode, resolved_mode.resource_defs,
                                  self.scope.values, self.recorder, log, self.retries, None,
                                  instance=self.recorder,
                                  parent_output_run_ids=payload["parent_output_run_ids"])
        self._lock = threading.Lock()

    def step_for(self, step_key: str, overrides: dict[str, tuple[StepOutputHandle, ...]]
                 ) -> ExecutionStep:
        step = self.plan.steps.get(step_key)
        if step is None:
            handle, _, rest = step_key.partition("[")
            mapping_key = rest[:-1]
            template = next(t for group in self.plan.unresolved.values() for t in group
                            if t.solid_handle == handle)
            step = template.resolve(mapping_key)
        if not overrides:
            return step
        return step.with_inputs([
            StepInput(i.name, i.input_def, FromMultipleSources(tuple(
                FromStepOutput(h) for h in overrides[i.name])))
            if i.name in overrides else i
            for i in step.inputs
        ])

    def run_step(self, step: ExecutionStep, retry_number: int,
                 capture_output: bool = True) -> None:
        """Run one attempt of ``step``.

        Args:
            step: The step (from :meth:`step_for`).
            retry_number: 0 on the first attempt, 1 on the first retry, ...
            capture_output: Keep what the step prints with the instance's compute log
                manager. Capture takes over the whole process's stdout and stderr: a caller
                running several steps at once in this process passes False.
        """
        self.retries.set_attempt_count(step.key, retry_number)
        # Executors that run several steps at once in one process (threads of a Dask
        # worker) share this worker: build each resource once.
        with self._lock:
            self.scope.ensure(self.plan.resource_keys_for_step(step))
        capture = getattr(self.instance, "compute_log_manager", None) if capture_output else None
        if capture is None:
            for _ in execute_step(self.context, step):
                pass
            return
        with capture.capture(self.context.run_id, step.key):
            for _ in execute_step(self.context, step):
                pass

    def close(self) -> None:
        self.scope.__exit__(None, None, None)
        dispose = getattr(self.instance, "dispose", None)
        if dispose is not None:
            dispose()


def _take_on_process_state(state: tuple[dict[str, str], str, list[str]] | None) -> None:
    """Take on the run process's environment variables, working directory and sys.path (a
    worker forked from a fork server started earlier, under other ones)."""
    if state is None:
        return
    environment, directory, path = state
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(directory)
    sys.path[:] = path
    preload = sys.modules.get("headwater.instance.preload")
    if preload is not None:
        preload.forget_if_stale()


def worker_main(connection: Connection, payload: dict[str, Any]) -> None:
    """Entry point of a worker process."""
    try:
        _take_on_process_state(payload.get("process_state"))
        worker = Worker(lambda entry: connection.send(("entry", entry)), payload)
    except BaseException:
        connection.send(("crashed", traceback.format_exc()))
        return
    try:
        while True:
            message = connection.recv()
            if message[0] == "stop":
                break
            _, step_key, retry_number, overrides = message
            worker.run_step(worker.step_for(step_key, overrides), retry_number)
            connection.send(("done", step_key))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        worker.close()
