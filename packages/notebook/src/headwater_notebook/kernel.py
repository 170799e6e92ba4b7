"""The kernel's side of a notebook step: what the cells Headwater injects call.

The setup cell (first in the notebook) calls :func:`start_step` with the handoff the step
wrote. The kernel then does what a multiprocess worker does: it loads the pipeline from
the run's code pointer (or, for a pipeline built inside a function, unpickles the one the
step sent by value), rebuilds the run's plan from the run record, opens the run's
instance from its reference, and builds the resources the step needs from the run's mode
and config. The cell after the ``parameters`` cell loads each input with
:func:`load_input`, through the same IO managers, loaders or defaults the step itself
used. The last cell, :func:`finish_step`, tears the resources down.

Log lines written in the kernel, events and outputs travel back to the step through the
step's scratch folder (:mod:`headwater_notebook.stream`): the step records them, so they
land in the run's event log with the step's key, through the run's loggers, whatever kind
of instance (or none) the run has.
"""

from __future__ import annotations

import atexit
import sys
from typing import Any

from headwater import (
    AssetMaterialization,
    EventLogEntry,
    ExpectationResult,
    StepOutputHandle,
)
from headwater.integration import RetryMode, deserialize
from headwater_notebook.by_value import read_pipeline
from headwater_notebook.errors import HeadwaterNotebookError
from headwater_notebook.stream import StreamWriter

_current: KernelStep | None = None


class RunStorage:
    """The run's instance as the kernel sees it when the run has no persistent instance
    (a run recorded in the memory of the step's process): its storage directory and the
    run record, which is all the kernel can share with it."""

    def __init__(self, storage_dir: str, run: Any) -> None:
        self._storage_dir = storage_dir
        self._run = run

    def open(self) -> RunStorage:
        # The worker opens the instance reference it is given; this is both.
        return self

    def storage_directory(self) -> str:
        return self._storage_dir

    def get_run_by_id(self, run_id: str) -> Any:
        return self._run if run_id == self._run.run_id else None


class KernelStep:
    """The step being run in this kernel: its context, inputs and way back to the step.

    Args:
        handoff: What the step wrote for the kernel (see
            :func:`headwater_notebook.handoff.write_handoff`).
    """

    def __init__(self, handoff: dict[str, Any]) -> None:
        # Imported here: the worker imports multiprocessing, which a notebook's own import
        # of headwater_notebook (by hand, or in a pipeline's module) has no need of.
        from headwater.integration import StepExecution, Worker

        for entry in handoff["sys_path"]:
            # The step's process may import the pipeline's code from folders a fresh
            # interpreter does not search (a project root, a test folder); appended, so the
            # kernel's own environment comes first.
            if entry not in sys.path:
                sys.path.append(entry)
        self.solid_name: str = handoff["solid_name"]
        self.notebook_output: str | None = handoff["notebook_output"]
        self.stream = StreamWriter(handoff["scratch_dir"])
        run = handoff["run"]
        instance_ref = handoff["instance_ref"] or RunStorage(handoff["storage_dir"], run)
        payload: dict[str, Any] = {
            "origin": handoff["origin"], "run": run, "instance_ref": instance_ref,
            "parent_output_run_ids": handoff["parent_output_run_ids"],
            # The step decides about retries; the kernel runs one attempt.
            "retry_mode": RetryMode.DISABLED,
        }
        if handoff.get("pipeline_file"):
            # Unpickled after sys.path is extended: it names the modules it uses.
            payload["pipeline"] = read_pipeline(handoff["pipeline_file"], self.solid_name)
        self.worker = Worker(self._forward, payload)
        overrides = {name: tuple(StepOutputHandle(*handle) for handle in handles)
                     for name, handles in handoff["overrides"].items()}
        self.step = self.worker.step_for(handoff["step_key"], overrides)
        self.worker.retries.set_attempt_count(self.step.key, handoff["retry_number"])
        self.worker.scope.ensure(self.worker.plan.resource_keys_for_step(self.step))
        self.execution = StepExecution(self.worker.context, self.step)
        self.context = self.execution.context
        self._yielded: set[str] = set()

    def _forward(self, entry: EventLogEntry) -> None:
        # Log lines go back to the step. Events are left out: the only ones the kernel
        # emits itself are those of loading inputs again, which the step already recorded.
        if entry.headwater_event is None:
            self.stream.log(entry.level, entry.user_message)

    def load_input(self, name: str) -> Any:
        """The value of input ``name``, loaded the way the step loaded it."""
        step_input = next((i for i in self.step.inputs if i.name == name), None)
        if step_input is None:
            raise HeadwaterNotebookError(
                f'Notebook solid "{self.solid_name}" has no input "{name}"; its inputs are '
                f"{[i.name for i in self.step.inputs]}.")
        loading = self.execution._load_input(step_input)
        try:
            while True:
                next(loading)
        except StopIteration as done:
            return done.value
        except Exception as error:
            # The step wraps what user code (an IO manager, a loader) raised; show the
            # user's own exception in the notebook.
            cause = getattr(error, "cause", None)
            if isinstance(cause, BaseException):
                raise cause from None
            raise

    def yield_result(self, value: Any, output_name: str) -> None:
        """Send ``value`` back to the step as output ``output_name``."""
        outputs = [name for name in self.step.solid_def.output_dict
                   if name != self.notebook_output]
        if output_name not in outputs:
            hint = (f' ("{output_name}" holds the executed notebook; Headwater yields it)'
                    if output_name == self.notebook_output else "")
            raise HeadwaterNotebookError(
                f'Notebook solid "{self.solid_name}" has no output "{output_name}" to yield'
                f"{hint}; its outputs are {outputs}. Pass "
                "output_defs=[OutputDefinition(..., name=...)] to define_notebook_solid.")
        if output_name in self._yielded:
            raise HeadwaterNotebookError(
                f'Notebook solid "{self.solid_name}" yielded output "{output_name}" twice; '
                "yield each output once.")
        try:
            self.stream.output(output_name, value)
        except Exception as error:
            raise HeadwaterNotebookError(
                f'The value yielded for output "{output_name}" of notebook solid '
                f'"{self.solid_name}" cannot be pickled, which is how it travels back to the '
                f"step: {error}") from error
        self._yielded.add(output_name)

    def yield_event(self, event: Any) -> None:
        """Send an AssetMaterialization or ExpectationResult back to the step."""
        if not isinstance(event, (AssetMaterialization, ExpectationResult)):
            raise HeadwaterNotebookError(
                f'Notebook solid "{self.solid_name}" yielded {event!r} '
                f"({type(event).__name__}); yield_event takes an AssetMaterialization or an "
                "ExpectationResult (use yield_result for outputs).")
        self.stream.event(event)

    def close(self) -> None:
        try:
            self.worker.close()
        finally:
            self.stream.close()


def start_step(handoff_path: str) -> None:
    """Rebuild the step's context in this kernel (the setup cell calls this)."""
    global _current
    with open(handoff_path, encoding="utf-8") as file:
        handoff = deserialize(file.read())
    _current = KernelStep(handoff)
    # A failing cell stops the notebook before the teardown cell: tear down at exit then.
    atexit.register(finish_step)


def current() -> KernelStep | None:
    """The step this kernel runs, or None when the notebook is run by hand."""
    return _current


def load_input(name: str) -> Any:
    """The value of the step's input ``name`` (the injected parameters cell calls this)."""
    return _require().load_input(name)


def finish_step() -> None:
    """Tear down the step's resources (the last cell calls this)."""
    global _current
    step, _current = _current, None
    atexit.unregister(finish_step)
    if step is not None:
        step.close()


def _require() -> KernelStep:
    if _current is None:
        raise HeadwaterNotebookError(
            "No Headwater step is running in this kernel: the injected cells call "
            "headwater_notebook.kernel when Headwater executes the notebook as a solid.")
    return _current
