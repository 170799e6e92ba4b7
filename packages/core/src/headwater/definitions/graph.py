"""A validated graph of solid invocations: what pipelines and composites have in common.

Everything here is iterative: a 10,000-solid chain is validated and ordered without
recursion proportional to its depth.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater.definitions.dependency import (
    AnyDependency,
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
    Node,
    SolidInvocation,
)
from headwater.definitions.frozen import FrozenDefinition
from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.types import HeadwaterTypeKind


def nodes_from_definitions(solid_defs: Sequence[Any],
                           dependencies: Mapping[Any, Mapping[str, AnyDependency]] | None,
                           where: str) -> tuple[list[Node], dict[str, dict[str, AnyDependency]]]:
    """Turn the ``PipelineDefinition(solid_defs, dependencies=...)`` form into nodes.

    Keys of ``dependencies`` are solid names or SolidInvocations (to alias, tag, hook or
    retry one use); every definition not invoked there becomes a node of its own name.
    """
    defs_by_name: dict[str, Any] = {}
    for definition in solid_defs:
        existing = defs_by_name.get(definition.name)
        if existing is not None and existing is not definition:
            raise HeadwaterInvalidDefinitionError(
                f'{where} has two different solid definitions named "{definition.name}". '
                "Give one of them another name."
            )
        defs_by_name[definition.name] = definition
    nodes: dict[str, Node] = {}
    deps: dict[str, dict[str, AnyDependency]] = {}
    invoked: set[str] = set()
    for key, inputs in (dependencies or {}).items():
        invocation = key if isinstance(key, SolidInvocation) else SolidInvocation(str(key))
        definition = defs_by_name.get(invocation.name)
        if definition is None:
            raise HeadwaterInvalidDefinitionError(
                f'{where}: dependencies refer to solid "{invocation.name}", which is not in '
                f"solid_defs (known: {sorted(defs_by_name)})."
            )
        invoked.add(invocation.name)
        node_name = invocation.node_name
        if node_name in nodes:
            raise HeadwaterInvalidDefinitionError(
                f'{where}: the solid name "{node_name}" is used twice in dependencies.'
            )
        nodes[node_name] = Node(node_name, definition, invocation.tags, invocation.hook_defs,
                                invocation.retry_policy)
        if not isinstance(inputs, Mapping):
            raise HeadwaterInvalidDefinitionError(
                f'{where}: dependencies of "{node_name}" must be a dict of input name to '
                f"DependencyDefinition, received {inputs!r}."
            )
        deps[node_name] = dict(inputs)
    for name, definition in defs_by_name.items():
        if name not in invoked and name not in nodes:
            nodes[name] = Node(name, definition)
    return list(nodes.values()), deps


class GraphDefinition(FrozenDefinition):
    """Nodes and the dependencies between them, validated on construction.

    Attributes:
        name: The graph's name.
        solids: The nodes in the order they were defined.
    """

    is_composite = False

    def __init__(self, name: str, nodes: Sequence[Node],
                 dependencies: Mapping[str, Mapping[str, AnyDependency]],
                 mapped_inputs: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.name = name
        self._nodes: dict[str, Node] = {}
        for node in nodes:
            if node.name in self._nodes:
                raise HeadwaterInvalidDefinitionError(
                    f'{self._describe()} has two solids named "{node.name}". Alias one of them.'
                )
            self._nodes[node.name] = node
        self._dependencies: dict[str, dict[str, AnyDependency]] = {
            name: dict(inputs) for name, inputs in dependencies.items() if inputs
        }
        self._check_dependencies()
        self._topological_order = self._order_nodes()
        self._check_inputs_satisfied(mapped_inputs)

    def _describe(self) -> str:
        kind = "Composite solid" if self.is_composite else "Pipeline"
        return f'{kind} "{self.name}"'

    # -- structure --------------------------------------------------------------------

    @property
    def solids(self) -> list[Node]:
        return list(self._nodes.values())

    def solid_named(self, name: str) -> Node:
        try:
            return self._nodes[name]
        except KeyError:
            raise HeadwaterInvalidDefinitionError(
                f'{self._describe()} has no solid named "{name}" (it has: '
                f"{', '.join(sorted(self._nodes)) or 'none'})."
            ) from None

    def has_solid_named(self, name: str) -> bool:
        return name in self._nodes

    @property
    def solids_in_topological_order(self) -> list[Node]:
        return [self._nodes[name] for name in self._topological_order]

    @property
    def dependency_structure(self) -> dict[str, dict[str, AnyDependency]]:
        """Every node's dependencies: ``{node name: {input name: dependency}}``."""
        return self._dependencies

    def dependencies_of(self, node_name: str) -> dict[str, AnyDependency]:
        """``{input_name: dependency}`` of a node's connected inputs."""
        return self._dependencies.get(node_name, {})

    def upstream_node_names(self, node_name: str) -> set[str]:
        return {name for dep in self.dependencies_of(node_name).values()
                for name in _upstream_names(dep)}

    def downstream_map(self) -> dict[str, set[str]]:
        """``{node: {nodes that consume its outputs}}`` for every node."""
        downstream: dict[str, set[str]] = {name: set() for name in self._nodes}
        for name in self._nodes:
            for upstream in self.upstream_node_names(name):
                downstream[upstream].add(name)
        return downstream

    def iterate_node_defs(self) -> Iterator[Any]:
        """Every definition used in the graph, nested composites' included, once each."""
        seen: set[int] = set()
        stack = [node.definition for node in self._nodes.values()]
        while stack:
            definition = stack.pop()
            if id(definition) in seen:
                continue
            seen.add(id(definition))
            yield definition
            if getattr(definition, "is_composite", False):
                stack.extend(node.definition for node in definition.solids)

    @property
    def all_node_defs(self) -> list[Any]:
        return list(self.iterate_node_defs())

    # -- validation --------------------------------------------------------------------

    def _check_dependencies(self) -> None:
        for node_name, inputs in self._dependencies.items():
            node = self._nodes.get(node_name)
            if node is None:
                raise HeadwaterInvalidDefinitionError(
                    f'{self._describe()}: dependencies name solid "{node_name}", which is not '
                    "in the graph."
                )
            for input_name, dep in inputs.items():
                input_def = node.definition.input_dict.get(input_name)
                if input_def is None:
                    raise HeadwaterInvalidDefinitionError(
                        f'{self._describe()}: solid "{node_name}" has no input "{input_name}" '
                        f"(its inputs: {sorted(node.definition.input_dict) or 'none'})."
                    )
                if isinstance(dep, MultiDependencyDefinition):
                    kind = input_def.headwater_type.kind
                    if kind not in (HeadwaterTypeKind.LIST, HeadwaterTypeKind.NOTHING,
                                    HeadwaterTypeKind.ANY):
                        raise HeadwaterInvalidDefinitionError(
                            f'{self._describe()}: input "{input_name}" of solid "{node_name}" '
                            "fans in several outputs, so its type must be a List or Nothing, "
                            f'not "{input_def.headwater_type.display_name}".'
                        )
                    for sub in dep.dependencies:
                        self._check_source(node_name, input_name, sub)
                elif isinstance(dep, (DependencyDefinition, DynamicCollectDependencyDefinition)):
                    self._check_source(node_name, input_name, dep)
                else:
                    raise HeadwaterInvalidDefinitionError(
                        f'{self._describe()}: the dependency of input "{input_name}" of solid '
                        f'"{node_name}" must be a DependencyDefinition or '
                        f"MultiDependencyDefinition, received {dep!r}."
                    )

    def _check_source(self, node_name: str, input_name: str,
                      dep: DependencyDefinition | DynamicCollectDependencyDefinition) -> None:
        upstream = self._nodes.get(dep.solid)
        if upstream is None:
            raise HeadwaterInvalidDefinitionError(
                f'{self._describe()}: input "{input_name}" of solid "{node_name}" depends on '
                f'solid "{dep.solid}", which is not in the graph.'
            )
        if dep.output not in upstream.definition.output_dict:
            raise HeadwaterInvalidDefinitionError(
                f'{self._describe()}: input "{input_name}" of solid "{node_name}" depends on '
                f'output "{dep.output}" of solid "{dep.solid}", which has no such output '
                f"(its outputs: {sorted(upstream.definition.output_dict) or 'none'})."
            )

    def _order_nodes(self) -> list[str]:
        """Kahn's algorithm in definition order; a cycle is an error naming its solids."""
        indegree = {name: 0 for name in self._nodes}
        downstream = self.downstream_map()
        for name in self._nodes:
            indegree[name] = len(self.upstream_node_names(name))
        position = {name: index for index, name in enumerate(self._nodes)}
        ready = [name for name in self._nodes if indegree[name] == 0]
        ready.reverse()
        order: list[str] = []
        while ready:
            name = ready.pop()
            order.append(name)
            for child in sorted(downstream[name], key=position.__getitem__, reverse=True):
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        if len(order) != len(self._nodes):
            stuck = sorted(name for name, degree in indegree.items() if degree > 0)
            raise HeadwaterInvalidDefinitionError(
                f"{self._describe()} has a circular dependency among solids {stuck}."
            )
        return order

    def _check_inputs_satisfied(self, mapped_inputs: frozenset[tuple[str, str]]) -> None:
        for node in self._nodes.values():
            connected = self._dependencies.get(node.name, {})
            for input_def in node.definition.input_defs:
                if input_def.name in connected or (node.name, input_def.name) in mapped_inputs:
                    continue
                if not input_can_be_unconnected(input_def):
                    raise HeadwaterInvalidDefinitionError(
                        f'{self._describe()}: input "{input_def.name}" of solid "{node.name}" '
                        "is not connected to an upstream output, has no default value, no "
                        f'root input manager, and its type "{input_def.headwater_type.display_name}" '
                        "has no loader to read it from config. Connect it, give it a "
                        "default_value, or use a type with a loader."
                    )


def input_can_be_unconnected(input_def: Any) -> bool:
    """Whether an input can get its value without an upstream output: it orders only
    (Nothing), has a default, a root input manager, or a type that loads it from config."""
    return bool(input_def.is_nothing or input_def.has_default_value
                or input_def.root_manager_key or input_def.headwater_type.loader is not None)


def _upstream_names(dep: AnyDependency) -> Iterator[str]:
    if isinstance(dep, MultiDependencyDefinition):
        for sub in dep.dependencies:
            yield sub.solid
    else:
        yield dep.solid
