"""Re-executing a run: run again some of its steps, loading every other input from the
outputs the earlier runs stored.

The new run records its parent and the root of its line. Steps not re-run are not
executed at all: their outputs are read, through the IO managers, from the run that
produced them (the parent, or further up the line when the parent itself re-used them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater.errors import HeadwaterInvalidSubsetError, HeadwaterRunNotFoundError
from headwater.execution.events import EventLogEntry, HeadwaterEvent
from headwater.execution.plan import StepOutputHandle
from headwater.execution.process import check_run_process_gone
from headwater.execution.run import PipelineRun
from headwater.execution.selection import select, split_selection

PARENT_RUN_ID_TAG = "headwater/parent_run_id"
ROOT_RUN_ID_TAG = "headwater/root_run_id"
STEP_SELECTION_TAG = "headwater/step_selection"
RESUME_RETRY_TAG = "headwater/is_resume_retry"


class ParentRunState:
    """What earlier runs of a line produced: succeeded steps, outputs, mapping keys, and
    which run holds each step's outputs."""

    def __init__(self, instance: Any, parent: PipelineRun) -> None:
        self.parent = parent
        self.succeeded: set[str] = set()
        self.outputs: dict[StepOutputHandle, str] = {}  # handle -> run id holding it
        self.dynamic_keys: dict[tuple[str, str], list[str]] = {}
        run: PipelineRun | None = parent
        first = True
        # Walk up the line: the nearest run that produced an output holds it.
        while run is not None:
            for entry in _logs(instance, run.run_id):
                self._read(entry, run.run_id, first)
            first = False
            run = instance.get_run_by_id(run.parent_run_id) if run.parent_run_id else None

    def _read(self, entry: EventLogEntry, run_id: str, in_parent: bool) -> None:
        event = entry.headwater_event
        if event is None or event.step_key is None:
            return
        kind = event.event_type_value
        if in_parent and kind == "STEP_SUCCESS":
            self.succeeded.add(event.step_key)
        if kind == "STEP_OUTPUT":
            data = event.event_specific_data
            handle = StepOutputHandle(event.step_key, data.output_name, data.mapping_key)
            self.outputs.setdefault(handle, run_id)
            if data.mapping_key is not None:
                keys = self.dynamic_keys.setdefault((event.step_key, data.output_name), [])
                if data.mapping_key not in keys:
                    keys.append(data.mapping_key)

    def output_run_ids(self, executed: set[str]) -> dict[str, str]:
        """``{step_key: run id}`` for the steps this run does not execute."""
        return {h.step_key: run_id for h, run_id in self.outputs.items()
                if h.step_key not in executed}


def _logs(instance: Any, run_id: str) -> list[EventLogEntry]:
    return list(instance.all_logs(run_id))


def _steps_to_execute(plan: Any, state: ParentRunState, step_selection: str | Sequence[str] | None,
                      from_failure: bool) -> list[str]:
    """The step keys a re-execution runs: those the selection picks, or (from failure) every
    step that did not succeed in the parent."""
    if from_failure:
        keys = [k for k in plan.step_keys if not k.endswith("[?]") and k not in state.succeeded]
        keys += [k for k in _mapped_keys(plan, state) if k not in state.succeeded]
        if not keys:
            raise HeadwaterInvalidSubsetError(
                f'Run "{state.parent.run_id}" has no failed or unexecuted steps to re-execute '
                "from failure.")
        return keys
    if step_selection is None:
        return []
    deps = plan.get_all_step_deps()
    clauses = split_selection(step_selection)
    literal = [c for c in clauses if "[" in c and not c.endswith("[?]") and c.strip("*+") == c]
    walked = [c for c in clauses if c not in literal]
    selected: set[str] = set()
    if walked:
        downstream: dict[str, set[str]] = {k: set() for k in deps}
        for key, ups in deps.items():
            for up in ups:
                downstream.setdefault(up, set()).add(key)
        selected = select(walked, deps, downstream, "step")
    mapped = _mapped_keys(plan, state)
    for clause in literal:
        if clause not in mapped:
            raise HeadwaterInvalidSubsetError(
                f'Step selection names "{clause}", which run "{state.parent.run_id}" did not '
                f"have (its mapped steps: {sorted(mapped)[:20]}).")
        selected.add(clause)
    expanded: list[str] = []
    for key in sorted(selected):
        if key.endswith("[?]"):
            expanded.extend(k for k in mapped if k.partition("[")[0] == key[:-3])
        else:
            expanded.append(key)
    return expanded


def _mapped_keys(plan: Any, state: ParentRunState) -> list[str]:
    keys = []
    for group, templates in plan.unresolved.items():
        for template in templates:
            keys.extend(f"{template.solid_handle}[{k}]" for k in state.dynamic_keys.get(group, []))
    return keys


def prepare_reexecution(pipeline: Any, parent_run_id: str, instance: Any,
                        run_config: Mapping[str, Any] | None = None,
                        step_selection: str | Sequence[str] | None = None,
                        mode: str | None = None, tags: Mapping[str, Any] | None = None,
                        from_failure: bool = False) -> tuple[Any, dict[str, Any]]:
    """Prepare a re-execution run; returns the prepared run and the executor's known state
    (``parent_output_run_ids`` and ``known_state``)."""
    from headwater.execution import api

    if instance is None:
        raise HeadwaterRunNotFoundError(
            "Re-execution needs the instance that recorded the parent run; pass instance=.",
            parent_run_id)
    parent = instance.get_run_by_id(parent_run_id)
    if parent is None:
        raise HeadwaterRunNotFoundError(
            f'No run "{parent_run_id}" in this instance; `headwater run list` shows the runs '
            "it has.", parent_run_id)
    check_run_process_gone(parent)
    state = ParentRunState(instance, parent)
    run_config = run_config if run_config is not None else parent.run_config
    full = api.prepare_run(pipeline, run_config, mode or parent.mode,
                           solid_selection=parent.solids_to_execute)
    step_keys = _steps_to_execute(full.plan, state, step_selection, from_failure)
    all_tags = {k: v for k, v in parent.tags.items() if not k.startswith("headwater/")
                or k in ("headwater/solid_selection", "headwater/preset_name")}
    all_tags.update(dict(tags or {}))
    prepared = api.prepare_run(
        pipeline, run_config, mode or parent.mode, solid_selection=parent.solids_to_execute,
        step_keys_to_execute=step_keys or None, parent_run_id=parent.run_id,
        root_run_id=parent.root_run_id or parent.run_id, tags=None,
        system_tags={**all_tags, PARENT_RUN_ID_TAG: parent.run_id,
                     ROOT_RUN_ID_TAG: parent.root_run_id or parent.run_id,
                     **({STEP_SELECTION_TAG: ",".join(split_selection(step_selection))}
                        if step_selection else {}),
                     **({RESUME_RETRY_TAG: "true"} if from_failure else {})})
    executed = set(step_keys) if step_keys else set(full.plan.step_keys)
    return prepared, _known_before_start(state, executed)


def reexecution_state(instance: Any, run: PipelineRun, plan: Any) -> dict[str, Any]:
    """What a recorded re-execution run knows before it starts (the second value
    :func:`prepare_reexecution` returns), for the process that executes it later.

    Args:
        instance: The instance holding the run and its parent.
        run: The re-execution run, as recorded (its ``parent_run_id`` set).
        plan: Its execution plan.
    """
    parent_run_id = run.parent_run_id or ""
    parent = instance.get_run_by_id(parent_run_id)
    if parent is None:
        raise HeadwaterRunNotFoundError(
            f'Run "{run.run_id}" re-executes run "{parent_run_id}", which is no longer in '
            "the instance (deleted?): its outputs cannot be loaded. Run the pipeline afresh.",
            parent_run_id)
    executed = set(run.step_keys_to_execute or plan.step_keys)
    return _known_before_start(ParentRunState(instance, parent), executed)


def _known_before_start(state: ParentRunState, executed: set[str]) -> dict[str, Any]:
    known_outputs = {h for h in state.outputs if h.step_key not in executed}
    known_dynamic = {g: keys for g, keys in state.dynamic_keys.items() if g[0] not in executed}
    return {
        "parent_output_run_ids": state.output_run_ids(executed),
        "known_state": {"known_outputs": known_outputs, "known_dynamic_keys": known_dynamic},
    }


def reexecute_pipeline(pipeline: Any, parent_run_id: str,
                       run_config: Mapping[str, Any] | None = None,
                       step_selection: str | Sequence[str] | None = None,
                       mode: str | None = None, tags: Mapping[str, Any] | None = None,
                       instance: Any = None, raise_on_error: bool = True,
                       from_failure: bool = False) -> Any:
    """Re-execute steps of an earlier run, loading the other inputs from its outputs.

    Args:
        pipeline: The pipeline (or ``reconstructable(...)``) of the parent run.
        parent_run_id: The run to re-execute; it must be in ``instance``.
        run_config: Config for the new run (default: the parent's; edited config is fine).
        step_selection: Selection clauses over step keys (``["transform*"]``); mapped steps
            by key (``"square[k3]"``) or all of a solid's (``"square[?]"``).
        mode: The mode (default: the parent's).
        tags: Extra tags for the new run.
        instance: The instance holding the parent run.
        raise_on_error: As for execute_pipeline.
        from_failure: Re-execute every step that did not succeed in the parent instead of a
            selection.

    Returns:
        A PipelineExecutionResult; its run has ``parent_run_id`` and ``root_run_id`` set.
    """
    from headwater.execution import api

    prepared, state = prepare_reexecution(pipeline, parent_run_id, instance, run_config,
                                          step_selection, mode, tags, from_failure)
    return api.execute_prepared(pipeline, prepared, instance, raise_on_error, **state)


def reexecute_pipeline_iterator(pipeline: Any, parent_run_id: str,
                                run_config: Mapping[str, Any] | None = None,
                                step_selection: str | Sequence[str] | None = None,
                                mode: str | None = None, tags: Mapping[str, Any] | None = None,
                                instance: Any = None, from_failure: bool = False
                                ) -> Iterator[HeadwaterEvent]:
    """Re-execute steps of an earlier run, yielding the new run's events as they happen.

    The arguments are those of :func:`reexecute_pipeline` (without ``raise_on_error``: a
    failure is an event like any other).
    """
    from headwater.execution import api

    prepared, state = prepare_reexecution(pipeline, parent_run_id, instance, run_config,
                                          step_selection, mode, tags, from_failure)
    return api.iterate_prepared(pipeline, prepared, instance, **state)
