"""A pipeline's (or composite's) solids as a graph laid out in layers, for the pipeline page
and the launchpad's selection preview.

The layout is computed here, not in the browser: a solid's layer is the length of the
longest path reaching it, and within a layer solids are ordered by the mean position of
their parents (one sweep), which keeps edges short in the pipelines people write. The page
draws the result as SVG with no script needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from headwater import (
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
)
from headwater.integration import describe_config

NODE_WIDTH = 200
NODE_HEIGHT = 52
LAYER_GAP = 90
NODE_GAP = 30
MARGIN = 20


@dataclass
class GraphNode:
    """A solid placed on the graph."""

    name: str
    definition_name: str
    is_composite: bool
    has_dynamic_output: bool
    x: int = 0
    y: int = 0


@dataclass
class GraphEdge:
    """An output feeding an input; ``kind`` is ``plain``, ``mapped`` (each value of a dynamic
    output), or ``collected`` (every value of a dynamic output, gathered)."""

    source: str
    output: str
    target: str
    input: str
    kind: str = "plain"


@dataclass
class Graph:
    """Nodes with positions, edges, and the size of the drawing."""

    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    width: int = 0
    height: int = 0

    def node(self, name: str) -> GraphNode:
        return next(node for node in self.nodes if node.name == name)


def build_graph(graph_def: Any) -> Graph:
    """The solids of ``graph_def`` (a pipeline or composite) laid out top to bottom."""
    graph = Graph()
    for node in graph_def.solids_in_topological_order:
        graph.nodes.append(GraphNode(
            node.name, node.definition.name, bool(node.is_composite),
            any(o.is_dynamic for o in node.definition.output_defs)))
        for input_name, dependency in graph_def.dependencies_of(node.name).items():
            graph.edges.extend(_edges(graph_def, node.name, input_name, dependency))
    _layout(graph)
    return graph


def _edges(graph_def: Any, target: str, input_name: str, dependency: Any) -> list[GraphEdge]:
    if isinstance(dependency, MultiDependencyDefinition):
        return [GraphEdge(d.solid, d.output, target, input_name)
                for d in dependency.dependencies]
    if isinstance(dependency, DynamicCollectDependencyDefinition):
        return [GraphEdge(dependency.solid, dependency.output, target, input_name, "collected")]
    if isinstance(dependency, DependencyDefinition):
        upstream = graph_def.solid_named(dependency.solid).definition
        dynamic = upstream.output_dict[dependency.output].is_dynamic
        return [GraphEdge(dependency.solid, dependency.output, target, input_name,
                          "mapped" if dynamic else "plain")]
    return []


def _layout(graph: Graph) -> None:
    parents: dict[str, list[str]] = {node.name: [] for node in graph.nodes}
    for edge in graph.edges:
        parents[edge.target].append(edge.source)
    layer: dict[str, int] = {}
    for node in graph.nodes:  # topological order: parents are placed first
        layer[node.name] = max((layer[p] + 1 for p in parents[node.name]), default=0)
    layers: dict[int, list[str]] = {}
    for node in graph.nodes:
        layers.setdefault(layer[node.name], []).append(node.name)
    position: dict[str, float] = {}
    widest = max((len(names) for names in layers.values()), default=0)
    for depth in sorted(layers):
        names = layers[depth]
        if depth > 0:
            names.sort(key=lambda name: sum(position[p] for p in parents[name])
                       / max(len(parents[name]), 1))
        offset = (widest - len(names)) / 2
        for index, name in enumerate(names):
            position[name] = index + offset
    for node in graph.nodes:
        node.x = MARGIN + round(position[node.name] * (NODE_WIDTH + NODE_GAP))
        node.y = MARGIN + layer[node.name] * (NODE_HEIGHT + LAYER_GAP)
    graph.width = 2 * MARGIN + max(widest * (NODE_WIDTH + NODE_GAP) - NODE_GAP, NODE_WIDTH)
    graph.height = 2 * MARGIN + (max(layers, default=0) + 1) * (NODE_HEIGHT + LAYER_GAP) \
        - LAYER_GAP


def solid_details(graph_def: Any) -> list[dict[str, Any]]:
    """Each solid of ``graph_def``: description, inputs and outputs with types, config schema,
    required resources."""
    details = []
    for node in graph_def.solids_in_topological_order:
        definition = node.definition
        config_field = getattr(definition, "config_field", None)
        details.append({
            "name": node.name,
            "definition_name": definition.name,
            "is_composite": bool(node.is_composite),
            "description": (definition.description or "").strip(),
            "inputs": [{"name": i.name, "type": i.headwater_type.display_name,
                        "description": i.description or ""} for i in definition.input_defs],
            "outputs": [{"name": o.name, "type": o.headwater_type.display_name,
                         "dynamic": bool(o.is_dynamic), "description": o.description or ""}
                        for o in definition.output_defs],
            "config": describe_config(config_field) if config_field is not None else "",
            "resources": sorted(getattr(definition, "required_resource_keys", ()) or ()),
        })
    return details


def resolve_graph(pipeline: Any, path: str | None) -> tuple[Any, list[str]]:
    """The graph at ``path`` (dotted composite names inside the pipeline; the pipeline when
    empty), with the path's parts.

    Raises:
        KeyError: a part of the path names no composite solid.
    """
    graph_def = pipeline
    parts = [part for part in (path or "").split(".") if part]
    for part in parts:
        if not graph_def.has_solid_named(part) or not graph_def.solid_named(part).is_composite:
            raise KeyError(part)
        graph_def = graph_def.solid_named(part).definition
    return graph_def, parts
