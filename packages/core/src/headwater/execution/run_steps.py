"""Executing some steps of a recorded run in this process, recording into the instance.

For schedulers that run each step (or each group of steps) of a run as a task of their own,
in processes Headwater does not start (Airflow): many processes, one after another or at
once, each execute their share of the same run and record it in the same instance.

The run record and the run-level events (PIPELINE_START, PIPELINE_SUCCESS, ...) belong to
the caller; this records step events only. Inputs from steps executed elsewhere are loaded
through the run's (persistent) IO managers from the outputs the run's event log says were
stored, and a step that already succeeded in the run is not executed again, so that running
a task again after a failure runs only what did not succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater.definitions.executor import RetryMode
from headwater.errors import HeadwaterInvariantViolationError, HeadwaterRunNotFoundError
from headwater.execution.active import RetryState
from headwater.execution.context import RunContext
from headwater.execution.events import HeadwaterEvent
from headwater.execution.executors.in_process import InProcessExecutor
from headwater.execution.log_manager import LogManager
from headwater.execution.resources import ResourceScope


def execute_run_steps(pipeline: Any, run_id: str, step_keys: Sequence[str], instance: Any,
                      default_console_logger: bool = True) -> list[HeadwaterEvent]:
    """Execute ``step_keys`` of the recorded run ``run_id`` in this process.

    Steps run in plan order with the in-process executor's semantics (retry policies, skips,
    a failed step abandons its dependents among ``step_keys``). A key ``"solid[?]"`` stands
    for every step mapped over a dynamic output that the run has produced so far.

    Args:
        pipeline: The run's pipeline (a PipelineDefinition or ``reconstructable(...)``).
        run_id: A run recorded in ``instance`` (``instance.create_run(...)``); its config,
            mode and solid selection are used.
        step_keys: The steps to execute. Those that already succeeded in the run are left out.
        instance: A persistent instance: the run's other steps record there too.
        default_console_logger: As for ``execute_pipeline_iterator``.

    Returns:
        The events of the steps executed (empty when every step had already succeeded).
        A step failure is an event (``event.is_step_failure``), not an exception; an error
        outside the steps (a resource that cannot be built) is raised.

    Raises:
        HeadwaterRunNotFoundError: the instance has no run ``run_id``.
        HeadwaterInvariantViolationError: the instance keeps runs in memory.

    Example:
        >>> run = prepare_run(reconstructable(daily), run_config, run_id="daily-2024-01-01").run
        >>> instance.create_run(run)
        >>> events = execute_run_steps(reconstructable(daily), run.run_id, ["load"], instance)
    """
    from headwater.execution import api
    from headwater.execution.reexecution import ParentRunState, _known_before_start

    if not getattr(instance, "is_persistent", False):
        raise HeadwaterInvariantViolationError(
            "execute_run_steps needs a persistent instance: the run's other steps, executed "
            "in other processes, record there. Pass Instance.get() (HEADWATER_HOME).")
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise HeadwaterRunNotFoundError(
            f'No run "{run_id}" in this instance: record it first (instance.create_run).',
            run_id)
    state = ParentRunState(instance, run)
    full = api.prepare_run(pipeline, run.run_config, run.mode,
                           solid_selection=run.solids_to_execute, run_id=run.run_id)
    keys = [key for key in _expand_mapped(full.plan, state, step_keys)
            if key not in state.succeeded]
    if not keys:
        return []
    prepared = api.prepare_run(pipeline, run.run_config, run.mode,
                               solid_selection=run.solids_to_execute, run_id=run.run_id,
                               step_keys_to_execute=keys)
    prepared.run = run
    known = _known_before_start(state, set(keys))
    recorder = api._with_lifecycle_hooks(instance, run)
    resolved_mode = prepared.schema.resolved
    log = LogManager(run.run_id, prepared.args.pipeline.name,
                     api.build_loggers(prepared, default_console_logger), recorder)
    retries = RetryMode.from_config(prepared.resolved.executor_config.get("retries"))
    plan = prepared.plan
    # Only what these steps need: another task's resources are not this one's to build.
    needed: set[str] = set()
    templates = {t.solid_handle: t for group in plan.unresolved.values() for t in group}
    for key in keys:
        handle = key.partition("[")[0]
        step = plan.steps.get(key) or templates[handle].resolve(key[len(handle) + 1:-1])
        needed |= plan.resource_keys_for_step(step)
    with ResourceScope(resolved_mode.resource_defs, prepared.resolved.resources,
                       frozenset(needed), instance=recorder, pipeline_run=run, log=log,
                       where=f'mode "{resolved_mode.mode.name}"') as resources:
        context = RunContext(prepared.args.pipeline, plan, run, prepared.resolved,
                             resolved_mode.mode, resolved_mode.resource_defs, resources,
                             recorder, log, RetryState(retries), None, instance=recorder,
                             parent_output_run_ids=known["parent_output_run_ids"],
                             known_state=known["known_state"],
                             default_console_logger=default_console_logger)
        events = list(InProcessExecutor(retries).execute(context, plan))
    recorder.flush()
    return events


def _expand_mapped(plan: Any, state: Any, step_keys: Sequence[str]) -> list[str]:
    """``step_keys`` with each ``"solid[?]"`` replaced by the mapped steps the run has."""
    expanded: list[str] = []
    for key in step_keys:
        if not key.endswith("[?]"):
            expanded.append(key)
            continue
        handle = key[:-3]
        for group, templates in plan.unresolved.items():
            if any(t.solid_handle == handle for t in templates):
                expanded.extend(f"{handle}[{k}]" for k in state.dynamic_keys.get(group, []))
    return expanded
