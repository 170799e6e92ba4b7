"""The execution plan: the steps of a run and where each input's value comes from.

The plan is built once per run in O(solids + dependencies), iteratively. Composites are
flattened: a step is one leaf solid invocation, keyed by its dotted handle
(``composite.child``). Steps downstream of a dynamic output are *unresolved* (``name[?]``)
until the dynamic step has run; they then become one step per mapping key
(``name[key]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.allocation import gc_paused
from headwater.definitions.dependency import (
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
    Node,
)
from headwater.definitions.input_output import InputDefinition, OutputDefinition
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.utils import PRIORITY_TAG
from headwater.errors import (
    HeadwaterExecutionStepNotFoundError,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvariantViolationError,
)
from headwater.records import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class StepOutputHandle:
    """Identifies one output value of one step (and mapping key, for dynamic outputs)."""

    step_key: str
    output_name: str
    mapping_key: str | None = None


# -- where an input's value comes from ------------------------------------------------------

@quick_init
@dataclass(frozen=True, slots=True)
class FromStepOutput:
    """The value of an upstream step's output."""

    handle: StepOutputHandle


@dataclass(frozen=True, slots=True)
class FromMultipleSources:
    """Fan-in: a list of upstream values (those that were produced)."""

    sources: tuple[FromStepOutput, ...]


@dataclass(frozen=True, slots=True)
class FromConfig:
    """Loaded from ``solids.<handle>.inputs.<input_name>`` by the loader of ``input_def``'s
    type: the input the config belongs to, which is a composite's own input when the value
    enters through a composite."""

    solid_handle: str
    input_name: str
    input_def: InputDefinition


@dataclass(frozen=True, slots=True)
class FromDefaultValue:
    """The input definition's default value."""

    input_def: InputDefinition


@dataclass(frozen=True, slots=True)
class FromRootInputManager:
    """Loaded by the root input manager under ``manager_key``."""

    manager_key: str


@dataclass(frozen=True, slots=True)
class FromMapped:
    """(Unresolved) the value for this step's mapping key of a dynamic output or of a mapped
    upstream step's output."""

    solid_handle: str
    output_name: str
    is_dynamic_output: bool

    def resolve(self, mapping_key: str) -> FromStepOutput:
        if self.is_dynamic_output:
            return FromStepOutput(StepOutputHandle(self.solid_handle, self.output_name,
                                                   mapping_key))
        return FromStepOutput(StepOutputHandle(f"{self.solid_handle}[{mapping_key}]",
                                               self.output_name))


@dataclass(frozen=True, slots=True)
class FromCollect:
    """(Unresolved) every mapped value of a dynamic output or of a mapped step's output."""

    solid_handle: str
    output_name: str
    is_dynamic_output: bool
    group: tuple[str, str]

    def resolve(self, mapping_keys: Sequence[str]) -> FromMultipleSources:
        return FromMultipleSources(tuple(
            FromMapped(self.solid_handle, self.output_name, self.is_dynamic_output).resolve(k)
            for k in mapping_keys
        ))


InputSource = (FromStepOutput | FromMultipleSources | FromConfig | FromDefaultValue
               | FromRootInputManager | FromMapped | FromCollect)


def upstream_step_keys(source: InputSource) -> Iterator[str]:
    if isinstance(source, FromStepOutput):
        yield source.handle.step_key
    elif isinstance(source, FromMultipleSources):
        for sub in source.sources:
            yield sub.handle.step_key


@quick_init
@dataclass(frozen=True, slots=True)
class StepInput:
    """An input of a step: its definition and where its value comes from."""

    name: str
    input_def: InputDefinition
    source: InputSource


class ExecutionStep:
    """One leaf solid invocation (for one mapping key, if mapped) to execute.

    Attributes:
        key: The step key (``solid``, ``composite.child``, ``solid[mapping_key]``).
        solid_handle: The dotted handle of the solid invocation.
        node: The leaf node; ``solid_def`` its definition.
        inputs: The step's inputs and their sources.
        tags: The node's tags.
        hook_defs: Hooks run after the step.
        retry_policy: The effective retry policy (invocation > solid > pipeline).
        mapping_key: The mapping key of a mapped step, else None.
        group: The dynamic output ``(solid_handle, output_name)`` it is mapped over, if any.
        upstream_keys: Keys of the steps whose outputs it needs.
        priority: From the ``headwater/priority`` tag (higher runs first).
    """

    __slots__ = ("group", "hook_defs", "inputs", "key", "mapping_key", "node", "priority",
                 "retry_policy", "solid_def", "solid_handle", "tags", "upstream_keys")

    def __init__(self, key: str, solid_handle: str, node: Node, inputs: list[StepInput],
                 hook_defs: frozenset[Any], retry_policy: RetryPolicy | None,
                 mapping_key: str | None = None, group: tuple[str, str] | None = None) -> None:
        self.key = key
        self.solid_handle = solid_handle
        self.node = node
        self.solid_def = node.definition
        self.inputs = inputs
        self.tags = node.tags
        self.hook_defs = hook_defs
        self.retry_policy = retry_policy
        self.mapping_key = mapping_key
        self.group = group
        self.upstream_keys = frozenset(k for i in inputs for k in upstream_step_keys(i.source))
        priority = node.tags.get(PRIORITY_TAG)
        try:
            self.priority = int(priority) if priority is not None else 0
        except ValueError:
            raise HeadwaterInvalidDefinitionError(
                f'The tag "{PRIORITY_TAG}" of solid "{solid_handle}" must be an integer, got '
                f"{priority!r}."
            ) from None

    @property
    def outputs(self) -> list[OutputDefinition]:
        return self.solid_def.output_defs

    def with_inputs(self, inputs: list[StepInput]) -> ExecutionStep:
        return ExecutionStep(self.key, self.solid_handle, self.node, inputs, self.hook_defs,
                             self.retry_policy, self.mapping_key, self.group)

    def __repr__(self) -> str:
        return f"<ExecutionStep {self.key!r}>"


class UnresolvedStep:
    """A step mapped over a dynamic output, waiting for the mapping keys."""

    __slots__ = ("group", "hook_defs", "inputs", "node", "retry_policy", "solid_handle")

    def __init__(self, solid_handle: str, node: Node, inputs: list[StepInput],
                 hook_defs: frozenset[Any], retry_policy: RetryPolicy | None,
                 group: tuple[str, str]) -> None:
        self.solid_handle = solid_handle
        self.node = node
        self.inputs = inputs
        self.hook_defs = hook_defs
        self.retry_policy = retry_policy
        self.group = group

    @property
    def key(self) -> str:
        return f"{self.solid_handle}[?]"

    def resolve(self, mapping_key: str) -> ExecutionStep:
        inputs = [
            StepInput(i.name, i.input_def,
                      i.source.resolve(mapping_key) if isinstance(i.source, FromMapped)
                      else i.source)
            for i in self.inputs
        ]
        return ExecutionStep(f"{self.solid_handle}[{mapping_key}]", self.solid_handle,
                             self.node, inputs, self.hook_defs, self.retry_policy, mapping_key,
                             self.group)


@dataclass
class _Leaf:
    handle: str
    node: Node
    hook_defs: frozenset[Any]
    retry_policy: RetryPolicy | None
    sources: list[tuple[InputDefinition, Any]]


def solid_handle_of(step_key: str) -> str:
    """The solid handle of a step key: the key itself, or a mapped step's without ``[k]``."""
    return step_key.partition("[")[0]


class ExecutionPlan:
    """The steps of a run.

    Attributes:
        pipeline: The (possibly subset) pipeline definition.
        steps: Static steps by key, in topological order.
        unresolved: Mapped steps by the dynamic output they wait for.
        step_keys_to_execute: The steps to run, or None for all: static keys, and mapped keys
            (``name[key]``) of groups whose dynamic step is not run (re-execution).
    """

    def __init__(self, pipeline: Any, steps: dict[str, ExecutionStep],
                 unresolved: dict[tuple[str, str], list[UnresolvedStep]],
                 step_keys_to_execute: frozenset[str] | None = None) -> None:
        self.pipeline = pipeline
        self.steps = steps
        self.unresolved = unresolved
        self.step_keys_to_execute = step_keys_to_execute
        self._solid_defs: dict[str, Any] = {step.solid_handle: step.solid_def
                                            for step in steps.values()}
        for group in unresolved.values():
            for unresolved_step in group:
                self._solid_defs[unresolved_step.solid_handle] = unresolved_step.node.definition

    def solid_def_for_step(self, step_key: str) -> Any:
        """The solid definition of a step (static or mapped) by its key."""
        return self._solid_defs[solid_handle_of(step_key)]

    def resource_keys_for_step(self, step: ExecutionStep) -> set[str]:
        """Every resource key a step needs: its solid's, its hooks', the IO managers of its
        outputs and of the upstream outputs it loads, root input managers, and the
        resources of its type checks and loaders (not yet their dependencies)."""
        definition = step.solid_def
        keys = set(definition.required_resource_keys)
        for hook in step.hook_defs:
            keys |= hook.required_resource_keys
        for output in definition.output_defs:
            keys.add(output.io_manager_key)
            keys |= output.headwater_type.required_resource_keys
            if output.headwater_type.materializer is not None:
                keys |= output.headwater_type.materializer.required_resource_keys
        for step_input in step.inputs:
            input_def = step_input.input_def
            keys |= input_def.headwater_type.required_resource_keys
            loader = input_def.headwater_type.loader
            if loader is not None:
                keys |= frozenset(loader.required_resource_keys or ())
            if input_def.root_manager_key:
                keys.add(input_def.root_manager_key)
            source = step_input.source
            handles = [source.handle] if isinstance(source, FromStepOutput) else (
                [s.handle for s in source.sources] if isinstance(source, FromMultipleSources)
                else [])
            for handle in handles:
                upstream = self.solid_def_for_step(handle.step_key)
                keys.add(upstream.output_dict[handle.output_name].io_manager_key)
        return keys

    def get_step_by_key(self, key: str) -> ExecutionStep:
        try:
            return self.steps[key]
        except KeyError:
            raise HeadwaterInvariantViolationError(f'The plan has no step "{key}".') from None

    def has_step(self, key: str) -> bool:
        return key in self.steps

    def get_all_steps_in_topo_order(self) -> list[ExecutionStep]:
        return list(self.steps.values())

    @property
    def step_keys(self) -> list[str]:
        """Every step key, unresolved ones as ``name[?]``, in topological order."""
        keys = list(self.steps)
        for group in self.unresolved.values():
            keys.extend(step.key for step in group)
        return keys

    def get_all_step_deps(self) -> dict[str, set[str]]:
        """``{step_key: {upstream step keys}}``, unresolved steps as ``name[?]``."""
        deps: dict[str, set[str]] = {}
        for key, step in self.steps.items():
            deps[key] = set(step.upstream_keys)
            for step_input in step.inputs:
                if isinstance(step_input.source, FromCollect):
                    deps[key].add(_unresolved_key(step_input.source.solid_handle,
                                                  step_input.source.is_dynamic_output))
        for group in self.unresolved.values():
            for step in group:
                keys: set[str] = set()
                for step_input in step.inputs:
                    source = step_input.source
                    if isinstance(source, FromMapped):
                        keys.add(_unresolved_key(source.solid_handle, source.is_dynamic_output))
                    else:
                        keys.update(upstream_step_keys(source))
                deps[step.key] = keys
        return deps

    def get_steps_to_execute_by_level(self) -> list[list[str]]:
        """Static step keys grouped by their depth in the graph."""
        level: dict[str, int] = {}
        for key, step in self.steps.items():
            level[key] = 1 + max((level[k] for k in step.upstream_keys if k in level),
                                 default=-1)
        by_level: dict[int, list[str]] = {}
        for key, depth in level.items():
            by_level.setdefault(depth, []).append(key)
        return [by_level[d] for d in sorted(by_level)]


def _unresolved_key(handle: str, is_dynamic_output: bool) -> str:
    return handle if is_dynamic_output else f"{handle}[?]"


@gc_paused
def build_execution_plan(pipeline: Any, resolved_run_config: Any,
                         step_keys_to_execute: Sequence[str] | None = None) -> ExecutionPlan:
    """Build the plan of ``pipeline`` for a validated run config."""
    builder = _PlanBuilder(pipeline, resolved_run_config)
    return builder.build(frozenset(step_keys_to_execute) if step_keys_to_execute else None)


class _PlanBuilder:
    def __init__(self, pipeline: Any, resolved_run_config: Any) -> None:
        self.pipeline = pipeline
        self.config = resolved_run_config
        self.graphs: dict[str, Any] = {"": pipeline}
        self.composites: dict[str, Node] = {}
        self.leaves: dict[str, _Leaf] = {}

    def build(self, step_keys_to_execute: frozenset[str] | None) -> ExecutionPlan:
        self._flatten()
        for leaf in self.leaves.values():
            leaf.sources = [(d, self._source_for(leaf.handle, d.name))
                            for d in leaf.node.definition.input_defs]
        order = self._topological_leaves()
        groups: dict[str, tuple[str, str] | None] = {}
        steps: dict[str, ExecutionStep] = {}
        unresolved: dict[tuple[str, str], list[UnresolvedStep]] = {}
        for handle in order:
            leaf = self.leaves[handle]
            group, inputs = self._step_inputs(leaf, groups)
            groups[handle] = group
            if group is None:
                steps[handle] = ExecutionStep(handle, handle, leaf.node, inputs, leaf.hook_defs,
                                              leaf.retry_policy)
            else:
                unresolved.setdefault(group, []).append(
                    UnresolvedStep(handle, leaf.node, inputs, leaf.hook_defs,
                                   leaf.retry_policy, group))
        if step_keys_to_execute is not None:
            mapped_handles = {t.solid_handle for group in unresolved.values() for t in group}
            unknown = sorted(k for k in step_keys_to_execute if k not in steps
                             and k.partition("[")[0] not in mapped_handles)
            if unknown:
                raise HeadwaterExecutionStepNotFoundError(
                    f"Step selection refers to unknown step(s): {', '.join(unknown)}.", unknown)
        return ExecutionPlan(self.pipeline, steps, unresolved, step_keys_to_execute)

    def _flatten(self) -> None:
        stack: list[tuple[Any, str, frozenset[Any]]] = [
            (self.pipeline, "", frozenset(self.pipeline.hook_defs))]
        pipeline_policy = self.pipeline.solid_retry_policy
        while stack:
            graph, prefix, hooks = stack.pop()
            for node in graph.solids:
                handle = f"{prefix}{node.name}"
                node_hooks = hooks | node.hook_defs
                if node.is_composite:
                    self.composites[handle] = node
                    self.graphs[f"{handle}."] = node.definition
                    stack.append((node.definition, f"{handle}.", node_hooks))
                    continue
                policy = node.retry_policy or node.definition.retry_policy or pipeline_policy
                self.leaves[handle] = _Leaf(handle, node, node_hooks, policy, [])

    def _output_leaf(self, handle: str, output_name: str) -> tuple[str, str]:
        """Follow composite output mappings down to the leaf that produces an output."""
        while handle in self.composites:
            mapping = self.composites[handle].definition.mapping_for_output(output_name)
            handle = f"{handle}.{mapping.maps_from.solid_name}"
            output_name = mapping.maps_from.output_name
        return handle, output_name

    def _source_for(self, handle: str, input_name: str) -> Any:
        """Where ``handle``'s input gets its value, walking up through composite inputs."""
        while True:
            prefix, _, node_name = handle.rpartition(".")
            prefix = f"{prefix}." if prefix else ""
            graph = self.graphs[prefix]
            dep = graph.dependencies_of(node_name).get(input_name)
            if dep is not None:
                return self._dependency_source(prefix, dep)
            if prefix:
                mapping = next((m for m in graph.input_mappings
                                if m.maps_to.solid_name == node_name
                                and m.maps_to.input_name == input_name), None)
                if mapping is not None:
                    handle = prefix[:-1]
                    input_name = mapping.definition.name
                    continue
            node = graph.solid_named(node_name)
            return self._unconnected_source(handle, node.definition.input_dict[input_name])

    def _dependency_source(self, prefix: str, dep: Any) -> Any:
        if isinstance(dep, DependencyDefinition):
            return ("output", *self._output_leaf(f"{prefix}{dep.solid}", dep.output))
        if isinstance(dep, DynamicCollectDependencyDefinition):
            return ("collect", *self._output_leaf(f"{prefix}{dep.solid}", dep.output))
        assert isinstance(dep, MultiDependencyDefinition)
        return ("multi", [self._output_leaf(f"{prefix}{d.solid}", d.output)
                          for d in dep.dependencies])

    def _unconnected_source(self, handle: str, input_def: InputDefinition) -> Any:
        if input_def.root_manager_key:
            return FromRootInputManager(input_def.root_manager_key)
        if self.config.has_input_config(handle, input_def.name):
            return FromConfig(handle, input_def.name, input_def)
        if input_def.has_default_value:
            return FromDefaultValue(input_def)
        if input_def.is_nothing:
            return None
        raise HeadwaterInvariantViolationError(
            f'Input "{input_def.name}" of solid "{handle}" has no value: connect it, give it a '
            f"default_value, or set solids.{handle}.inputs.{input_def.name} in run config."
        )

    def _topological_leaves(self) -> list[str]:
        upstream: dict[str, set[str]] = {}
        downstream: dict[str, list[str]] = {h: [] for h in self.leaves}
        for handle, leaf in self.leaves.items():
            ups: set[str] = set()
            for _, source in leaf.sources:
                if isinstance(source, tuple):
                    if source[0] == "multi":
                        ups.update(h for h, _ in source[1])
                    else:
                        ups.add(source[1])
            upstream[handle] = ups
            for up in ups:
                downstream[up].append(handle)
        remaining = {h: len(ups) for h, ups in upstream.items()}
        ready = [h for h in self.leaves if remaining[h] == 0]
        ready.reverse()
        order: list[str] = []
        while ready:
            handle = ready.pop()
            order.append(handle)
            for child in reversed(downstream[handle]):
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
        if len(order) != len(self.leaves):
            raise HeadwaterInvalidDefinitionError(
                f'Pipeline "{self.pipeline.name}" has a circular dependency among steps '
                f"{sorted(h for h, n in remaining.items() if n)}."
            )
        return order

    def _is_dynamic(self, handle: str, output_name: str) -> bool:
        return self.leaves[handle].node.definition.output_dict[output_name].is_dynamic

    def _step_inputs(self, leaf: _Leaf, groups: Mapping[str, tuple[str, str] | None]
                     ) -> tuple[tuple[str, str] | None, list[StepInput]]:
        """The step's inputs, and the dynamic output it is mapped over (if any)."""
        group: tuple[str, str] | None = None
        inputs: list[StepInput] = []
        where = f'Solid "{leaf.handle}"'

        def join(new_group: tuple[str, str]) -> None:
            nonlocal group
            if group is not None and group != new_group:
                raise HeadwaterInvalidDefinitionError(
                    f"{where} is mapped over two different dynamic outputs ({group[0]}.{group[1]} "
                    f"and {new_group[0]}.{new_group[1]}); a step can be mapped over one only."
                )
            group = new_group

        collects: list[str] = []
        for input_def, source in leaf.sources:
            if source is None:
                continue
            if not isinstance(source, tuple):
                inputs.append(StepInput(input_def.name, input_def, source))
                continue
            kind = source[0]
            if kind == "output":
                _, up, out = source
                if self._is_dynamic(up, out):
                    if groups.get(up) is not None:
                        raise HeadwaterInvalidDefinitionError(
                            f'{where} maps over dynamic output "{out}" of "{up}", which is '
                            "itself mapped: nested dynamic mapping is not supported. Collect "
                            "the inner results first."
                        )
                    join((up, out))
                    inputs.append(StepInput(input_def.name, input_def, FromMapped(up, out, True)))
                elif groups.get(up) is not None:
                    join(groups[up])  # type: ignore[arg-type]
                    inputs.append(StepInput(input_def.name, input_def,
                                            FromMapped(up, out, False)))
                else:
                    inputs.append(StepInput(input_def.name, input_def,
                                            FromStepOutput(StepOutputHandle(up, out))))
            elif kind == "multi":
                subs = []
                for up, out in source[1]:
                    if self._is_dynamic(up, out) or groups.get(up) is not None:
                        raise HeadwaterInvalidDefinitionError(
                            f'{where}: input "{input_def.name}" fans in the mapped output '
                            f'"{out}" of "{up}"; use .collect() to gather mapped values.'
                        )
                    subs.append(FromStepOutput(StepOutputHandle(up, out)))
                inputs.append(StepInput(input_def.name, input_def, FromMultipleSources(tuple(subs))))
            else:
                _, up, out = source
                if self._is_dynamic(up, out):
                    collect_group = (up, out)
                    is_dynamic = True
                elif groups.get(up) is not None:
                    collect_group = groups[up]  # type: ignore[assignment]
                    is_dynamic = False
                else:
                    raise HeadwaterInvalidDefinitionError(
                        f'{where}: input "{input_def.name}" collects output "{out}" of "{up}", '
                        "which is not mapped over a dynamic output; .collect() gathers mapped "
                        "values only."
                    )
                collects.append(input_def.name)
                inputs.append(StepInput(input_def.name, input_def,
                                        FromCollect(up, out, is_dynamic, collect_group)))
        if group is not None and collects:
            raise HeadwaterInvalidDefinitionError(
                f"{where} is mapped and also collects ({collects}); collect outside the .map."
            )
        return group, inputs
