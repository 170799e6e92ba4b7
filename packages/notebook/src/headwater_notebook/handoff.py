"""What a notebook step hands its kernel: how to rebuild the step there.

The same facts a multiprocess worker receives (the pipeline's code pointer, the run record,
a reference to the run's instance, the runs holding the outputs a re-execution reuses),
plus the step's key, attempt and concrete fan-in inputs, and where to send results. Written
as JSON (``headwater.serdes``) to the step's scratch folder; the notebook's setup cell
names only that file.

A pipeline no other process can load from its code (one built inside a function: a test, a
notebook cell, a closure) travels by value instead (:mod:`headwater_notebook.by_value`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from headwater import HeadwaterError, HeadwaterInvariantViolationError, reconstructable
from headwater.integration import FromMultipleSources, FromStepOutput, serialize
from headwater_notebook.by_value import write_pipeline
from headwater_notebook.errors import HeadwaterNotebookError

HANDOFF_FILE = "handoff.json"


def write_handoff(context: Any, scratch_dir: str, notebook_output: str | None) -> str:
    """Write the handoff of the step ``context`` runs to ``scratch_dir``; returns its path.

    Raises:
        HeadwaterNotebookError: the pipeline can neither be loaded by another process nor
            pickled, or an input is stored where the kernel cannot read it.
    """
    # The step's concrete inputs (fan-ins narrowed to the values produced) and the run's
    # resolved resources are what the core's executors hand their workers; the solid's
    # context is the only way to them from a compute function.
    step = context._step
    run_context = context._run
    _check_inputs_reachable(context.solid_def.name, step, run_context)
    origin = _pipeline_origin(context)
    handoff = {
        "origin": origin,
        # Where the pipeline is pickled when it has no origin.
        "pipeline_file": None if origin else write_pipeline(
            _full_pipeline(context), context.solid_def.name, scratch_dir),
        "run": context.pipeline_run,
        "step_key": step.key,
        "retry_number": context.retry_number,
        "overrides": {
            step_input.name: [[source.handle.step_key, source.handle.output_name,
                               source.handle.mapping_key]
                              for source in step_input.source.sources]
            for step_input in step.inputs if isinstance(step_input.source, FromMultipleSources)
        },
        "parent_output_run_ids": dict(run_context.parent_output_run_ids),
        "instance_ref": _instance_ref(context.instance),
        "storage_dir": context.instance.storage_directory(),
        "scratch_dir": scratch_dir,
        "sys_path": _sys_path(),
        "solid_name": context.solid_def.name,
        "notebook_output": notebook_output,
    }
    path = os.path.join(scratch_dir, HANDOFF_FILE)
    with open(path, "w", encoding="utf-8") as file:
        file.write(serialize(handoff))
    return path


def _full_pipeline(context: Any) -> Any:
    # A run of a selection records the selection, which the kernel applies again: the full
    # pipeline is the one to hand over.
    pipeline = context.pipeline_def
    return pipeline.parent_pipeline_def or pipeline


def _pipeline_origin(context: Any) -> dict[str, Any] | None:
    """The code pointer the kernel loads the pipeline from, or None when there is none."""
    origin = context.pipeline_run.pipeline_origin
    if origin:
        return dict(origin)
    # Run from a PipelineDefinition rather than reconstructable(...): find it at module
    # level, as reconstructable() would.
    try:
        return reconstructable(_full_pipeline(context)).origin
    except HeadwaterInvariantViolationError:
        return None


def _instance_ref(instance: Any) -> Any:
    """A reference the kernel can open, or None for a run recorded in this process's
    memory (the kernel then gets the storage directory only)."""
    get_ref = getattr(instance, "get_ref", None)
    if get_ref is None or not getattr(instance, "is_persistent", False):
        return None
    try:
        return get_ref()
    except HeadwaterError:
        return None


def _sys_path() -> list[str]:
    cwd = os.getcwd()
    return list(dict.fromkeys(cwd if entry == "" else entry for entry in sys.path))


def _check_inputs_reachable(solid_name: str, step: Any, run_context: Any) -> None:
    """The kernel loads each input again, in another process: an upstream output kept in
    this process's memory cannot reach it."""
    for step_input in step.inputs:
        source = step_input.source
        sources = (source.sources if isinstance(source, FromMultipleSources)
                   else (source,) if isinstance(source, FromStepOutput) else ())
        for upstream in sources:
            handle = upstream.handle
            output_def = run_context.plan.solid_def_for_step(handle.step_key).output_dict[
                handle.output_name]
            if output_def.headwater_type.is_nothing:
                continue
            key = output_def.io_manager_key
            if getattr(run_context.resource_defs[key], "is_persistent", True) is False:
                raise HeadwaterNotebookError(
                    f'Input "{step_input.name}" of notebook solid "{solid_name}" comes from '
                    f'output "{handle.output_name}" of step "{handle.step_key}", which IO '
                    f'manager "{key}" keeps in memory, where the notebook\'s kernel (another '
                    "process) cannot load it. Use a persistent IO manager, e.g. "
                    f'ModeDefinition(resource_defs={{"{key}": fs_io_manager}}).')
