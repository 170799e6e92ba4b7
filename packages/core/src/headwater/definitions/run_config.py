"""The run config of a pipeline in a mode: its schema, and the validated values.

The schema is assembled from every configurable thing the run touches (solids and their
unconnected inputs, resources, loggers, executors), so one validation pass reports every
mistake in a run config at once, before any step runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.allocation import gc_paused
from headwater.config import Any as AnyConfig
from headwater.config import Array, Field, Selector, Shape, process_config
from headwater.definitions.configurable import ConfigurableDefinition
from headwater.definitions.executor import ExecutorDefinition
from headwater.definitions.graph import GraphDefinition
from headwater.definitions.io_manager import IOManagerDefinition, RootInputManagerDefinition
from headwater.definitions.mode import ModeDefinition, order_resource_keys
from headwater.definitions.resource import ResourceDefinition
from headwater.errors import HeadwaterInvalidConfigError, HeadwaterInvalidDefinitionError

_ANY_OPTIONAL = Field(AnyConfig, is_required=False)
_IGNORED = ("This solid is not in the current solid selection: its config is accepted and "
            "ignored.")


def _config_entry(definition: ConfigurableDefinition | None) -> Field:
    if definition is None or definition.config_field is None:
        return _ANY_OPTIONAL
    return definition.config_field


def _materializations_field(definition: Any) -> Field | None:
    """The legacy ``outputs: [{<output>: <materializer config>}, ...]`` list of a solid
    whose output types have materializers (and whose IO managers take no output config)."""
    fields = {output.name: Field(output.headwater_type.materializer.schema_type,
                                 is_required=False)
              for output in definition.output_defs
              if output.headwater_type.materializer is not None}
    if not fields:
        return None
    return Field(Array(Shape(fields)), is_required=False)


def _optional_if_empty(fields: dict[str, Field], description: str | None = None) -> Field:
    return Field(Shape(fields, description=description),
                 is_required=any(f.is_required for f in fields.values()))


@dataclass
class ResolvedMode:
    """A mode with plugin-provided names resolved to definitions."""

    mode: ModeDefinition
    resource_defs: dict[str, ResourceDefinition]
    executor_defs: list[ExecutorDefinition]
    logger_defs: dict[str, Any]


class RunConfigSchema:
    """The run config schema of one pipeline in one mode.

    Attributes:
        config_type: The ``Shape`` run configs are validated against.
        required_resource_keys: The resource keys the pipeline's steps need (transitively).
    """

    def __init__(self, pipeline: Any, resolved: ResolvedMode) -> None:
        self.pipeline = pipeline
        self.resolved = resolved
        self.required_resource_keys = frozenset(order_resource_keys(
            resolved.resource_defs, {key for key, _ in pipeline.resource_needs()},
            f'mode "{resolved.mode.name}"'))
        # (id of a solid definition, its open inputs) -> its entry; the pipeline holds the
        # definitions, so their ids stay theirs while this schema lives
        self._leaf_entries: dict[tuple[int, frozenset[str]], Field] = {}
        fields: dict[str, Field] = {}
        solids = self._solids_field(pipeline)
        if solids is not None:
            fields["solids"] = solids
        fields["resources"] = self._resources_field()
        fields["execution"] = self._execution_field()
        fields["loggers"] = self._loggers_field()
        self.config_type = Shape(fields)

    def _graph_fields(self, graph: GraphDefinition, top_level: bool) -> dict[str, Field]:
        fields: dict[str, Field] = {}
        for node in graph.solids:
            # Every solid has an entry, even an empty one: config for a solid that takes
            # none is then an unexpected key under its own name.
            open_inputs = self._open_inputs(graph, node)
            if node.definition.is_composite:
                fields[node.name] = _optional_if_empty(
                    self._node_fields(graph, node, open_inputs))
                continue
            # A solid's entry depends on its definition and on which of its inputs nothing
            # feeds: the solids of a fan-out, aliases of one definition, share one entry
            # (fields are immutable, and a path is given when config is checked).
            key = (id(node.definition), open_inputs)
            entry = self._leaf_entries.get(key)
            if entry is None:
                entry = self._leaf_entries[key] = _optional_if_empty(
                    self._node_fields(graph, node, open_inputs))
            fields[node.name] = entry
        if top_level and self.pipeline.parent_pipeline_def is not None:
            for node in self.pipeline.parent_pipeline_def.solids:
                if node.name not in fields:
                    fields[node.name] = Field(AnyConfig, is_required=False, description=_IGNORED)
        return fields

    def _solids_field(self, pipeline: Any) -> Field | None:
        fields = self._graph_fields(pipeline, top_level=True)
        return _optional_if_empty(fields) if fields else None

    def _node_fields(self, graph: GraphDefinition, node: Any,
                     open_inputs: frozenset[str]) -> dict[str, Field]:
        definition = node.definition
        entry: dict[str, Field] = {}
        if definition.is_composite and not definition.has_config_mapping:
            children = self._graph_fields(definition, top_level=False)
            if children:
                entry["solids"] = _optional_if_empty(children)
        elif definition.config_field is not None:
            entry["config"] = definition.config_field
        # A solid that declares no config schema has no "config" entry, so config given to
        # it is an unexpected key (with a "did you mean"), not silently dropped.
        inputs = self._inputs_fields(node, open_inputs)
        if inputs:
            entry["inputs"] = _optional_if_empty(inputs)
        if not definition.is_composite:
            outputs = self._outputs_fields(definition)
            if outputs:
                entry["outputs"] = _optional_if_empty(outputs)
            else:
                materializations = _materializations_field(definition)
                if materializations is not None:
                    entry["outputs"] = materializations
        return entry

    @staticmethod
    def _open_inputs(graph: GraphDefinition, node: Any) -> frozenset[str]:
        """The names of the node's inputs that no output and no composite input feeds."""
        connected = graph.dependencies_of(node.name)
        mappings = getattr(graph, "input_mappings", ())
        mapped = {m.maps_to.input_name for m in mappings
                  if m.maps_to.solid_name == node.name} if mappings else ()
        return frozenset([i.name for i in node.definition.input_defs
                          if i.name not in connected and i.name not in mapped
                          and not i.is_nothing])

    def _inputs_fields(self, node: Any, open_inputs: frozenset[str]) -> dict[str, Field]:
        fields: dict[str, Field] = {}
        for input_def in node.definition.input_defs:
            if input_def.name not in open_inputs:
                continue
            if input_def.root_manager_key:
                manager = self.resolved.resource_defs.get(input_def.root_manager_key)
                schema = getattr(manager, "input_config_schema", None)
                if isinstance(manager, RootInputManagerDefinition) and schema is not None:
                    fields[input_def.name] = Field(schema, is_required=False)
                continue
            loader = input_def.headwater_type.loader
            if loader is None:
                continue
            fields[input_def.name] = Field(loader.schema_type,
                                           is_required=not input_def.has_default_value)
        return fields

    def _outputs_fields(self, definition: Any) -> dict[str, Field]:
        fields: dict[str, Field] = {}
        for output in definition.output_defs:
            manager = self.resolved.resource_defs.get(output.io_manager_key)
            schema = getattr(manager, "output_config_schema", None)
            if isinstance(manager, IOManagerDefinition) and schema is not None:
                fields[output.name] = Field(schema, is_required=False)
        return fields

    def _resources_field(self) -> Field:
        fields: dict[str, Field] = {}
        for key, definition in self.resolved.resource_defs.items():
            config = _config_entry(definition)
            needed = key in self.required_resource_keys
            fields[key] = Field(Shape({"config": config}),
                                is_required=needed and config.is_required)
        return _optional_if_empty(fields)

    def _execution_field(self) -> Field:
        executors = self.resolved.executor_defs
        options = {e.name: Field(Shape({"config": _config_entry(e)}), is_required=False)
                   for e in executors}
        names = [e.name for e in executors]
        default = "in_process" if "in_process" in names else (names[0] if len(names) == 1
                                                              else None)
        if default is None:
            return Field(Selector(options), description="Choose one executor.")
        return Field(Selector(options), default_value={default: {}},
                     description="Choose one executor.")

    def _loggers_field(self) -> Field:
        fields = {key: Field(Shape({"config": _config_entry(definition)}), is_required=False)
                  for key, definition in self.resolved.logger_defs.items()}
        return Field(Shape(fields), is_required=False)

    @gc_paused
    def resolve(self, run_config: Mapping[str, Any] | None) -> ResolvedRunConfig:
        """Validate and post-process ``run_config``; raise with every error found."""
        value = dict(run_config or {})
        result = process_config(self.config_type, value)
        if not result.success:
            raise HeadwaterInvalidConfigError(
                f'Error in config for pipeline "{self.pipeline.name}" '
                f'(mode "{self.resolved.mode.name}")', result.errors, value)
        return ResolvedRunConfig.build(self, result.value, value)


@dataclass
class ResolvedRunConfig:
    """Validated run config, with every definition's config already mapped to what its
    function receives.

    Attributes:
        original: The run config as given.
        solids: ``{handle: {"config": ..., "inputs": {...}, "outputs": {...}}}`` for every
            leaf solid, keyed by dotted handle (``composite.child``).
        resources: ``{key: config}``.
        executor_name / executor_config: The chosen executor and its config.
        loggers: ``{key: config}`` of the loggers the run config names.
    """

    original: dict[str, Any]
    solids: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    executor_name: str = "in_process"
    executor_config: Any = None
    loggers: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def build(schema: RunConfigSchema, processed: dict[str, Any],
              original: dict[str, Any]) -> ResolvedRunConfig:
        resolved = ResolvedRunConfig(original=original)
        _collect_solid_config(schema, schema.pipeline, processed.get("solids") or {}, "",
                              resolved.solids)
        defs = schema.resolved.resource_defs
        mode = schema.resolved.mode.name
        for key, entry in (processed.get("resources") or {}).items():
            resolved.resources[key] = _resolve(defs[key], (entry or {}).get("config"),
                                               f'resource "{key}" of mode "{mode}"')
        # A resource the run does not build needs no config: mapping its absent config
        # could only fail.
        for key in schema.required_resource_keys:
            if key not in resolved.resources:
                resolved.resources[key] = _resolve(defs[key], None,
                                                   f'resource "{key}" of mode "{mode}"')
        ((name, entry),) = processed["execution"].items()
        executor = next(e for e in schema.resolved.executor_defs if e.name == name)
        resolved.executor_name = name
        resolved.executor_config = _resolve(executor, (entry or {}).get("config"),
                                            f'executor "{name}"')
        logger_defs = schema.resolved.logger_defs
        processed_loggers = processed.get("loggers") or {}
        # Only the loggers the run config names: processing fills in every logger whose
        # config has defaults, and those the run did not ask for must not start.
        for key in original.get("loggers") or {}:
            entry = processed_loggers[key]
            resolved.loggers[key] = _resolve(logger_defs[key], (entry or {}).get("config"),
                                             f'logger "{key}"')
        return resolved

    def solid_config(self, handle: str) -> Any:
        return self.solids.get(handle, {}).get("config")

    def input_config(self, handle: str, input_name: str) -> Any:
        return (self.solids.get(handle, {}).get("inputs") or {}).get(input_name)

    def has_input_config(self, handle: str, input_name: str) -> bool:
        return input_name in (self.solids.get(handle, {}).get("inputs") or {})

    def output_config(self, handle: str, output_name: str) -> Any:
        outputs = self.solids.get(handle, {}).get("outputs") or {}
        # The legacy list form configures materializers, not the IO manager.
        return outputs.get(output_name) if isinstance(outputs, Mapping) else None

    def materialization_configs(self, handle: str, output_name: str) -> list[Any]:
        """The materializer config entries of an output (the legacy list form)."""
        outputs = self.solids.get(handle, {}).get("outputs") or []
        if isinstance(outputs, Mapping):
            return []
        return [entry[output_name] for entry in outputs if output_name in entry]


def _resolve(definition: ConfigurableDefinition, value: Any, where: str) -> Any:
    try:
        return definition.resolve_config(value)
    except HeadwaterInvalidConfigError as error:
        # The error comes from the config a configured() definition produced: say whose
        # (its key and mode) rather than only the definition's class.
        raise HeadwaterInvalidConfigError(
            f"Error in the config that configured() gives {where} (paths are inside its "
            "config)", error.errors, error.config_value) from None
    except Exception as error:
        raise HeadwaterInvalidDefinitionError(
            f"The config mapping of {where} raised: {error!r}") from error


def _collect_solid_config(schema: RunConfigSchema, graph: GraphDefinition,
                          processed: Mapping[str, Any], prefix: str,
                          out: dict[str, dict[str, Any]]) -> None:
    """Flatten processed ``solids:`` config into ``out`` by dotted handle.

    A composite with a config mapping has its mapping applied here, and the children's
    config it produces is validated against the children's schema.
    """
    stack: list[tuple[GraphDefinition, Mapping[str, Any], str]] = [(graph, processed, prefix)]
    while stack:
        current, values, path = stack.pop()
        for node in current.solids:
            entry = values.get(node.name) or {}
            handle = f"{path}{node.name}"
            definition = node.definition
            if definition.is_composite:
                if definition.has_config_mapping:
                    children = _map_composite_config(schema, definition, handle,
                                                     entry.get("config"))
                else:
                    children = entry.get("solids") or {}
                out[handle] = {"inputs": entry.get("inputs") or {}}
                stack.append((definition, children, f"{handle}."))
                continue
            out[handle] = {
                "config": _resolve(definition, entry.get("config"), f'solid "{handle}"'),
                "inputs": entry.get("inputs") or {},
                "outputs": entry.get("outputs") or {},
            }


def _map_composite_config(schema: RunConfigSchema, composite: Any, handle: str,
                          value: Any) -> Mapping[str, Any]:
    try:
        mapped = composite.resolve_config(value)
    except Exception as error:
        raise HeadwaterInvalidDefinitionError(
            f'The config_fn of composite solid "{handle}" raised: {error!r}') from error
    children = schema._graph_fields(composite, top_level=False)
    result = process_config(Shape(children), mapped if mapped is not None else {})
    if not result.success:
        raise HeadwaterInvalidConfigError(
            f'Error in the config that the config_fn of composite solid "{handle}" produced '
            "for its children", result.errors, mapped)
    return result.value
