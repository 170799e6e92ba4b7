"""Composite solids: a graph of solids used as one solid, with mapped inputs, outputs and
(optionally) config."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.definitions.composition import (
    CompositeInputHandle,
    CompositionContext,
    InvocableNode,
    InvokedSolidDynamicOutputWrapper,
    InvokedSolidOutputHandle,
    current_composition,
)
from headwater.definitions.configurable import ConfigMapping, config_field_for
from headwater.definitions.dependency import AnyDependency, Node
from headwater.definitions.graph import GraphDefinition, nodes_from_definitions
from headwater.definitions.input_output import (
    DynamicOutputDefinition,
    InputDefinition,
    InputMapping,
    OutputDefinition,
    OutputMapping,
    OutputPointer,
    check_unique_names,
)
from headwater.definitions.solid import _type_hints, infer_inputs
from headwater.definitions.utils import DEFAULT_OUTPUT, check_valid_name, normalize_tags
from headwater.errors import HeadwaterInvalidDefinitionError, HeadwaterInvalidInvocationError


class CompositeSolidDefinition(GraphDefinition, InvocableNode):
    """A graph of solids that is itself used as a solid.

    Args:
        name: The composite's name.
        solid_defs: The child solid definitions.
        input_mappings: How its inputs feed children's inputs.
        output_mappings: Which children's outputs are its outputs.
        config_mapping: When given, the composite takes ``solids.<name>.config`` of
            ``config_mapping.config_schema`` and ``config_mapping.config_fn`` turns it into the
            children's config; otherwise children are configured under
            ``solids.<name>.solids.<child>``.
        dependencies: The children's dependencies, as for a pipeline.
        description: A human-readable description.
        tags: Tags of the composite.
    """

    is_composite = True

    def __init__(self, name: str, solid_defs: Sequence[Any],
                 input_mappings: Sequence[InputMapping] | None = None,
                 output_mappings: Sequence[OutputMapping] | None = None,
                 config_mapping: ConfigMapping | None = None,
                 dependencies: Mapping[Any, Mapping[str, AnyDependency]] | None = None,
                 description: str | None = None, tags: Mapping[str, Any] | None = None,
                 _nodes: Sequence[Node] | None = None) -> None:
        name = check_valid_name(name, "composite solid name")
        where = f'Composite solid "{name}"'
        if _nodes is None:
            nodes, deps = nodes_from_definitions(solid_defs, dependencies, where)
        else:
            nodes, deps = list(_nodes), {k: dict(v) for k, v in (dependencies or {}).items()}
        self.input_mappings: list[InputMapping] = list(input_mappings or [])
        self.output_mappings: list[OutputMapping] = list(output_mappings or [])
        mapped = frozenset((m.maps_to.solid_name, m.maps_to.input_name)
                           for m in self.input_mappings)
        super().__init__(name, nodes, deps, mapped_inputs=mapped)
        self.input_defs = _unique_defs([m.definition for m in self.input_mappings])
        self.output_defs = [m.definition for m in self.output_mappings]
        check_unique_names(self.output_defs, "output", where)
        self.input_dict = {d.name: d for d in self.input_defs}
        self.output_dict = {d.name: d for d in self.output_defs}
        self._check_mappings()
        self.config_mapping = config_mapping
        self.config_schema = config_mapping.config_schema if config_mapping else None
        self.config_field = (config_field_for(self.config_schema, where)
                             if config_mapping else None)
        self.description = description
        self.tags = normalize_tags(tags, where, allow_reserved=True)
        self.version = None
        self.retry_policy = None
        keys: set[str] = set()
        for definition in self.iterate_node_defs():
            keys |= getattr(definition, "required_resource_keys", frozenset())
        self.required_resource_keys = frozenset(keys)


    def to_job(self, name: str | None = None, description: str | None = None,
               resource_defs: Mapping[str, Any] | None = None,
               config: Mapping[str, Any] | None = None, tags: Mapping[str, Any] | None = None,
               executor_def: Any = None, logger_defs: Mapping[str, Any] | None = None,
               hooks: Any = None) -> Any:
        """This graph as a job: a ``PipelineDefinition`` with one mode made of the arguments.

        Args:
            name: The job's name (default: the graph's).
            description: Its description (default: the graph's).
            resource_defs: The mode's resources, by key.
            config: The run config used when a run gives none (``execute_pipeline(job)``).
            tags: Tags of every run.
            executor_def: The only executor the job offers (default: every installed one).
            logger_defs: The mode's loggers, by name.
            hooks: Hooks run after every step.

        Example:
            >>> etl_job = etl.to_job(resource_defs={"io_manager": fs_io_manager},
            ...                      config={"solids": {"extract": {"config": {"day": 1}}}})
        """
        # Imported here: the bridge builds on this module.
        from headwater.definitions.bridge import make_job

        return make_job(self, name, description, resource_defs, config, tags, executor_def,
                        logger_defs, hooks)
    def _check_mappings(self) -> None:
        for mapping in self.input_mappings:
            node = self.solid_named(mapping.maps_to.solid_name)
            if mapping.maps_to.input_name not in node.definition.input_dict:
                raise HeadwaterInvalidDefinitionError(
                    f'{self._describe()}: input "{mapping.definition.name}" maps to input '
                    f'"{mapping.maps_to.input_name}" of solid "{node.name}", which has no such '
                    "input."
                )
        for mapping in self.output_mappings:
            node = self.solid_named(mapping.maps_from.solid_name)
            if mapping.maps_from.output_name not in node.definition.output_dict:
                raise HeadwaterInvalidDefinitionError(
                    f'{self._describe()}: output "{mapping.definition.name}" maps from output '
                    f'"{mapping.maps_from.output_name}" of solid "{node.name}", which has no '
                    "such output."
                )

    @property
    def has_config_mapping(self) -> bool:
        return self.config_mapping is not None

    @property
    def positional_inputs(self) -> list[str]:
        return [d.name for d in self.input_defs]

    @property
    def has_dynamic_outputs(self) -> bool:
        return any(d.is_dynamic for d in self.output_defs)

    def mappings_for_input(self, input_name: str) -> list[InputMapping]:
        return [m for m in self.input_mappings if m.definition.name == input_name]

    def mapping_for_output(self, output_name: str) -> OutputMapping:
        for mapping in self.output_mappings:
            if mapping.definition.name == output_name:
                return mapping
        raise KeyError(output_name)

    def resolve_config(self, processed_value: Any) -> Any:
        """The children's config the config mapping produces from the composite's own."""
        assert self.config_mapping is not None
        return self.config_mapping.config_fn(processed_value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if current_composition() is None:
            raise HeadwaterInvalidInvocationError(
                f'Composite solid "{self.name}" cannot be invoked directly; run it with '
                f"execute_solid({self.name}, ...) or inside a pipeline."
            )
        return self._invoke_in_composition(args, kwargs)

    def __repr__(self) -> str:
        return f"<CompositeSolidDefinition {self.name!r}>"


def _unique_defs(defs: Iterable[InputDefinition]) -> list[InputDefinition]:
    seen: dict[str, InputDefinition] = {}
    for definition in defs:
        seen.setdefault(definition.name, definition)
    return list(seen.values())


def composite_solid(name: Any = None, input_defs: Sequence[InputDefinition] | None = None,
                    output_defs: Sequence[OutputDefinition] | None = None,
                    description: str | None = None, config_schema: Any = None,
                    config_fn: Callable[[Any], Any] | None = None) -> Any:
    """Define a composite solid from a composition function (bare or called).

    The function's parameters are the composite's inputs; what it returns (a handle, or a
    dict of handles by output name) are its outputs. With ``config_fn``, the composite takes
    config of ``config_schema`` and ``config_fn(config)`` returns the children's config
    (``{child_name: {"config": ...}}``).

    Example:
        >>> @composite_solid(config_schema={"n": int},
        ...                  config_fn=lambda cfg: {"scale": {"config": {"factor": cfg["n"]}}})
        ... def prepare(raw):
        ...     return scale(clean(raw))
    """
    if callable(name):
        return _build_composite(name, None, None, None, None, None, None)
    if config_schema is not None and config_fn is None:
        raise HeadwaterInvalidDefinitionError(
            "composite_solid got a config_schema without a config_fn: the config_fn is what "
            "turns the composite's config into its children's."
        )

    def decorator(fn: Callable[..., Any]) -> CompositeSolidDefinition:
        return _build_composite(fn, name, input_defs, output_defs, description, config_schema,
                                config_fn)

    return decorator


def _build_composite(fn: Callable[..., Any], name: str | None,
                     input_defs: Sequence[InputDefinition] | None,
                     output_defs: Sequence[OutputDefinition] | None,
                     description: str | None, config_schema: Any,
                     config_fn: Callable[[Any], Any] | None) -> CompositeSolidDefinition:
    composite_name = name or fn.__name__
    where = f'composite solid "{composite_name}"'
    hints = _type_hints(fn, where)
    inputs, _, input_names, _ = infer_inputs(fn, where, input_defs, False, hints)
    handles = {d.name: CompositeInputHandle(d) for d in inputs}
    with CompositionContext(f"Composite solid {composite_name!r}") as composition:
        returned = fn(**{n: handles[n] for n in input_names})
    used = {m.definition.name for m in composition.input_mappings}
    unused = [d.name for d in inputs if d.name not in used]
    if unused:
        raise HeadwaterInvalidDefinitionError(
            f"{where}: input(s) {unused} are not passed to any solid inside it."
        )
    output_mappings = _output_mappings(where, returned, output_defs, composition)
    return CompositeSolidDefinition(
        composite_name, [], input_mappings=composition.input_mappings,
        output_mappings=output_mappings,
        config_mapping=ConfigMapping(config_fn, config_schema) if config_fn else None,
        dependencies=composition.dependencies, description=description or inspect.getdoc(fn),
        _nodes=list(composition.nodes.values()),
    )


def _output_mappings(where: str, returned: Any, output_defs: Sequence[OutputDefinition] | None,
                     composition: CompositionContext) -> list[OutputMapping]:
    handle_types = (InvokedSolidOutputHandle, InvokedSolidDynamicOutputWrapper)
    if returned is None:
        by_name: dict[str, Any] = {}
    elif isinstance(returned, handle_types):
        by_name = {(output_defs[0].name if output_defs else DEFAULT_OUTPUT): returned}
    elif isinstance(returned, Mapping):
        by_name = dict(returned)
    elif isinstance(returned, tuple) and hasattr(returned, "_fields"):
        by_name = dict(zip(returned._fields, returned, strict=True))
    else:
        raise HeadwaterInvalidDefinitionError(
            f"{where} returned {returned!r}; a composition function returns an output handle, "
            "a dict of output name to handle, or nothing."
        )
    explicit = {d.name: d for d in output_defs or []}
    if explicit and set(explicit) != set(by_name):
        raise HeadwaterInvalidDefinitionError(
            f"{where} declares outputs {sorted(explicit)} but its function returned "
            f"{sorted(by_name)}."
        )
    mappings = []
    for output_name, handle in by_name.items():
        if not isinstance(handle, handle_types):
            raise HeadwaterInvalidDefinitionError(
                f'{where}: output "{output_name}" must be the output of a solid inside it, '
                f"received {handle!r}."
            )
        definition = explicit.get(output_name)
        if definition is None:
            child = composition.nodes[handle.solid_name].definition
            inner = child.output_dict[handle.output_name]
            cls = DynamicOutputDefinition if inner.is_dynamic else OutputDefinition
            definition = cls(inner.headwater_type, output_name, inner.description,
                             inner.is_required, inner.io_manager_key, inner.metadata)
        mappings.append(OutputMapping(definition,
                                      OutputPointer(handle.solid_name, handle.output_name)))
    return mappings
