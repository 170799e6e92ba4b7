"""What ``execute_pipeline`` and ``execute_solid`` return: the run's events, by solid, with
the output values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.errors import HeadwaterInvariantViolationError
from headwater.execution.events import HeadwaterEvent
from headwater.execution.plan import StepOutputHandle


def _base_handle(step_key: str) -> str:
    return step_key.partition("[")[0]


class _EventIndex:
    """Step events grouped by solid handle (mapped steps under their solid's handle)."""

    def __init__(self, events: Sequence[HeadwaterEvent]) -> None:
        self.by_handle: dict[str, list[HeadwaterEvent]] = {}
        for event in events:
            if event.step_key is not None:
                self.by_handle.setdefault(_base_handle(event.step_key), []).append(event)

    def under(self, prefix: str) -> list[HeadwaterEvent]:
        return [e for handle, events in self.by_handle.items()
                if handle == prefix or handle.startswith(f"{prefix}.") for e in events]


class SolidExecutionResult:
    """The outcome of one solid in a run.

    Attributes:
        solid_handle: The solid's dotted handle.
        solid: The solid (its invocation in the graph: ``name``, ``definition``).
        step_events: Its events (every mapped step's, for a mapped solid).
    """

    def __init__(self, solid_handle: str, solid_def: Any, events: Sequence[HeadwaterEvent],
                 outputs: Mapping[StepOutputHandle, Any], solid: Any = None) -> None:
        self.solid_handle = solid_handle
        self.solid_def = solid_def
        self.solid = solid
        self.step_events = list(events)
        self._outputs = outputs

    @property
    def success(self) -> bool:
        """True if every step of the solid succeeded (no failure, not skipped)."""
        return any(e.is_step_success for e in self.step_events) and not any(
            e.is_step_failure or e.is_step_skipped for e in self.step_events)

    @property
    def skipped(self) -> bool:
        return bool(self.step_events) and all(
            e.is_step_skipped for e in self.step_events if e.is_step_event)

    @property
    def compute_step_events(self) -> list[HeadwaterEvent]:
        return [e for e in self.step_events if e.is_step_event]

    @property
    def compute_step_failure_event(self) -> HeadwaterEvent | None:
        return next((e for e in self.step_events if e.is_step_failure), None)

    @property
    def failure_data(self) -> Any:
        event = self.compute_step_failure_event
        return event.step_failure_data if event is not None else None

    def get_step_success_event(self) -> HeadwaterEvent | None:
        return next((e for e in self.step_events if e.is_step_success), None)

    @property
    def retry_attempts(self) -> int:
        return sum(1 for e in self.step_events if e.is_step_up_for_retry)

    @property
    def materializations_during_compute(self) -> list[Any]:
        return [e.step_materialization_data.materialization for e in self.step_events
                if e.is_step_materialization]

    @property
    def materialization_events_during_compute(self) -> list[HeadwaterEvent]:
        return [e for e in self.step_events if e.is_step_materialization]

    @property
    def expectation_results_during_compute(self) -> list[Any]:
        return [e.step_expectation_result_data.expectation_result for e in self.step_events
                if e.is_expectation_result]

    @property
    def expectation_events_during_compute(self) -> list[HeadwaterEvent]:
        return [e for e in self.step_events if e.is_expectation_result]

    @property
    def compute_input_event_dict(self) -> dict[str, HeadwaterEvent]:
        return {e.event_specific_data.input_name: e for e in self.step_events
                if e.event_type_value == "STEP_INPUT"}

    @property
    def compute_output_events_dict(self) -> dict[str, list[HeadwaterEvent]]:
        grouped: dict[str, list[HeadwaterEvent]] = {}
        for event in self.step_events:
            if event.is_successful_output:
                grouped.setdefault(event.step_output_data.output_name, []).append(event)
        return grouped

    @property
    def output_events_during_compute(self) -> list[HeadwaterEvent]:
        """Every successful output event of the solid's steps, in order."""
        return [e for e in self.step_events if e.is_successful_output]

    def get_output_event_for_compute(self, output_name: str = "result") -> HeadwaterEvent | None:
        events = self.compute_output_events_dict.get(output_name)
        return events[0] if events else None

    def get_output_events_for_compute(self, output_name: str = "result") -> list[HeadwaterEvent]:
        return self.compute_output_events_dict.get(output_name, [])

    @property
    def output_values(self) -> dict[str, Any]:
        """``{output_name: value}`` of the outputs produced; ``{mapping_key: value}`` for a
        dynamic output (and for the outputs of a mapped solid).

        Only the last attempt of a step that succeeded counts: a failed step, or an attempt
        that was retried, may have yielded outputs that nothing downstream ever received.
        """
        succeeded = {e.step_key for e in self.step_events if e.is_step_success}
        last_attempt_start = {e.step_key: index for index, e in enumerate(self.step_events)
                              if e.event_type_value in ("STEP_START", "STEP_RESTARTED")}
        values: dict[str, Any] = {}
        for index, event in enumerate(self.step_events):
            if (not event.is_successful_output or event.step_key not in succeeded
                    or index < last_attempt_start.get(event.step_key, 0)):
                continue
            data = event.step_output_data
            handle = StepOutputHandle(event.step_key, data.output_name, data.mapping_key)
            if handle not in self._outputs:
                continue
            value = self._outputs[handle]
            mapping_key = data.mapping_key or _mapping_key_of(event.step_key)
            if mapping_key is None:
                values[data.output_name] = value
            else:
                values.setdefault(data.output_name, {})[mapping_key] = value
        return values

    def output_value(self, output_name: str = "result") -> Any:
        """The value of an output (None if the solid failed or did not produce it)."""
        if output_name not in self.solid_def.output_dict:
            raise HeadwaterInvariantViolationError(
                f'Solid "{self.solid_handle}" has no output "{output_name}" (outputs: '
                f"{list(self.solid_def.output_dict)}).")
        return self.output_values.get(output_name)


def _mapping_key_of(step_key: str) -> str | None:
    if step_key.endswith("]") and "[" in step_key:
        return step_key[step_key.index("[") + 1:-1]
    return None


class _GraphResult:
    """Results of the solids of a graph (pipeline or composite), by name and handle."""

    def __init__(self, graph: Any, prefix: str, index: _EventIndex,
                 outputs: Mapping[StepOutputHandle, Any]) -> None:
        self._graph = graph
        self._prefix = prefix
        self._index = index
        self._outputs = outputs

    def _result_for(self, node: Any, handle: str) -> Any:
        if node.is_composite:
            return CompositeSolidExecutionResult(node.definition, handle, self._index,
                                                 self._outputs)
        return SolidExecutionResult(handle, node.definition,
                                    self._index.by_handle.get(handle, []), self._outputs,
                                    solid=node)

    def result_for_solid(self, name: str) -> Any:
        """The result of the top-level solid (or alias) ``name`` of this graph."""
        if not self._graph.has_solid_named(name):
            raise HeadwaterInvariantViolationError(
                f"Tried to get result for solid '{name}' in '{self._graph.name}'. No such top "
                f"level solid (solids: {[n.name for n in self._graph.solids]}).")
        return self._result_for(self._graph.solid_named(name), f"{self._prefix}{name}")

    def result_for_handle(self, handle: str) -> Any:
        """The result of the solid at a dotted handle, e.g. ``"composite.child"``."""
        graph = self._graph
        parts = handle.split(".")
        node = None
        for index, part in enumerate(parts):
            if not graph.has_solid_named(part):
                raise HeadwaterInvariantViolationError(
                    f"No solid at handle '{handle}' in '{self._graph.name}'.")
            node = graph.solid_named(part)
            if index < len(parts) - 1:
                graph = node.definition
        assert node is not None
        return self._result_for(node, f"{self._prefix}{handle}")

    @property
    def solid_result_list(self) -> list[Any]:
        return [self._result_for(n, f"{self._prefix}{n.name}") for n in self._graph.solids]

    def output_for_solid(self, handle: str, output_name: str = "result") -> Any:
        """The value of output ``output_name`` of the solid at ``handle``."""
        return self.result_for_handle(handle).output_value(output_name)

    def events_for_node(self, handle: str) -> list[HeadwaterEvent]:
        """Every step event of the solid at ``handle`` (all children of a composite)."""
        return self._index.under(f"{self._prefix}{handle}")


class CompositeSolidExecutionResult(_GraphResult):
    """The outcome of a composite solid: its children's results and its mapped outputs."""

    def __init__(self, composite: Any, handle: str, index: _EventIndex,
                 outputs: Mapping[StepOutputHandle, Any]) -> None:
        super().__init__(composite, f"{handle}.", index, outputs)
        self.solid_handle = handle
        self.solid_def = composite

    @property
    def step_events(self) -> list[HeadwaterEvent]:
        return self._index.under(self.solid_handle)

    @property
    def success(self) -> bool:
        events = self.step_events
        return not any(e.is_step_failure for e in events) and any(e.is_step_success
                                                                  for e in events)

    @property
    def skipped(self) -> bool:
        events = self.step_events
        return bool(events) and all(e.is_step_skipped for e in events if e.is_step_event)

    @property
    def output_values(self) -> dict[str, Any]:
        values = {}
        for mapping in self._graph.output_mappings:
            child = self.result_for_solid(mapping.maps_from.solid_name)
            child_values = child.output_values
            if mapping.maps_from.output_name in child_values:
                values[mapping.definition.name] = child_values[mapping.maps_from.output_name]
        return values

    def output_value(self, output_name: str = "result") -> Any:
        return self.output_values.get(output_name)

    def output_values_for_solid(self, name: str) -> dict[str, Any]:
        return self.result_for_solid(name).output_values

    def output_value_for_solid(self, name: str, output_name: str = "result") -> Any:
        return self.result_for_solid(name).output_value(output_name)


class PipelineExecutionResult(_GraphResult):
    """The outcome of a pipeline run.

    Attributes:
        pipeline_def: The pipeline that ran (the subset, with a solid selection).
        run_id: The run's id.
        event_list: Every event of the run, pipeline-level ones included.
    """

    def __init__(self, pipeline_def: Any, run_id: str, event_list: Sequence[HeadwaterEvent],
                 outputs: Mapping[StepOutputHandle, Any]) -> None:
        self.pipeline_def = pipeline_def
        self.run_id = run_id
        self.event_list = list(event_list)
        super().__init__(pipeline_def, "", _EventIndex(self.event_list), outputs)

    @property
    def success(self) -> bool:
        """True if no step failed and the run was neither failed nor canceled."""
        return not any(e.is_failure for e in self.event_list)

    @property
    def step_event_list(self) -> list[HeadwaterEvent]:
        return [e for e in self.event_list if e.step_key is not None]

    @property
    def events_by_step_key(self) -> dict[str, list[HeadwaterEvent]]:
        grouped: dict[str, list[HeadwaterEvent]] = {}
        for event in self.event_list:
            if event.step_key is not None:
                grouped.setdefault(event.step_key, []).append(event)
        return grouped

    @property
    def output_values(self) -> dict[str, dict[str, Any]]:
        """``{solid_handle: {output_name: value}}`` of every leaf solid that produced output."""
        values: dict[str, dict[str, Any]] = {}
        for handle in self._index.by_handle:
            result = self.result_for_handle(handle)
            produced = result.output_values
            if produced:
                values[handle] = produced
        return values
