"""How ``pipeline list`` and ``pipeline print`` show pipelines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from headwater.cli.console import new_table, print_table
from headwater.config import describe
from headwater.definitions.dependency import (
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
)
from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.utils import DEFAULT_OUTPUT

_STEP = "  "


def print_pipelines_table(console: Console, pipelines: Sequence[PipelineDefinition]) -> None:
    """One row per pipeline: name, description, modes, presets and number of solids."""
    table = new_table(console)
    table.add_column("Pipeline", no_wrap=True)
    table.add_column("Description", ratio=1)
    table.add_column("Modes")
    table.add_column("Presets")
    table.add_column("Solids", justify="right")
    for pipeline in pipelines:
        description = (pipeline.description or "").strip().splitlines()
        table.add_row(Text(pipeline.name, style="bold"), description[0] if description else "-",
                      ", ".join(pipeline.available_modes),
                      ", ".join(p.name for p in pipeline.preset_defs) or "-",
                      str(len(pipeline.solids)))
    print_table(console, table)


def print_pipeline(console: Console, pipeline: PipelineDefinition, verbose: bool = False
                   ) -> None:
    """The pipeline's header, then its solids in the order they run (composites' children
    indented under them); ``verbose`` adds config schemas and the modes' resources."""
    for line in _pipeline_lines(pipeline, verbose):
        console.print(line)


def _pipeline_lines(pipeline: PipelineDefinition, verbose: bool) -> Iterator[Text]:
    yield Text.assemble("Pipeline ", (pipeline.name, "bold"))
    if pipeline.description:
        yield from _block(pipeline.description.strip(), _STEP, "dim")
    yield Text(f"{_STEP}modes: {', '.join(pipeline.available_modes)}")
    yield Text(f"{_STEP}presets: {', '.join(p.name for p in pipeline.preset_defs) or 'none'}")
    if pipeline.tags:
        tags = ", ".join(f"{key}={value}" for key, value in pipeline.tags.items())
        yield Text(f"{_STEP}tags: {tags}")
    yield Text("")
    yield Text("Solids, in the order they run:", style="bold")
    yield from _graph_lines(pipeline, _STEP, verbose)
    if verbose:
        yield Text("")
        yield Text("Modes:", style="bold")
        for mode in pipeline.mode_definitions:
            yield from _mode_lines(mode, _STEP)


def _graph_lines(graph: Any, indent: str, verbose: bool) -> Iterator[Text]:
    mapped_inputs = {(m.maps_to.solid_name, m.maps_to.input_name): m.definition.name
                     for m in getattr(graph, "input_mappings", ())}
    for node in graph.solids_in_topological_order:
        definition = node.definition
        title = Text(indent)
        title.append(node.name, style="bold cyan")
        if node.name != definition.name:
            title.append(f" ({definition.name})", style="dim")
        if node.is_composite:
            title.append(" (composite)", style="magenta")
        yield title
        inner = indent + _STEP
        if definition.description and verbose:
            yield from _block(definition.description.strip(), inner, "dim")
        dependencies = graph.dependencies_of(node.name)
        for input_def in definition.input_defs:
            line = Text(f"{inner}in   {input_def.name}: {input_def.headwater_type.display_name}")
            source = _input_source(graph, node.name, input_def, dependencies, mapped_inputs)
            if source:
                line.append(f"  ← {source}", style="dim")
            yield line
        for output_def in definition.output_defs:
            dynamic = " (dynamic)" if output_def.is_dynamic else ""
            yield Text(f"{inner}out  {output_def.name}: "
                       f"{output_def.headwater_type.display_name}{dynamic}")
        if not node.is_composite and definition.required_resource_keys:
            yield Text(f"{inner}resources: {', '.join(sorted(definition.required_resource_keys))}")
        if verbose and definition.config_field is not None:
            yield Text(f"{inner}config:")
            yield from _block(describe(definition.config_field), inner + _STEP)
        if node.is_composite:
            yield from _graph_lines(definition, inner, verbose)


def _input_source(graph: Any, node_name: str, input_def: Any, dependencies: dict[str, Any],
                  mapped_inputs: dict[tuple[str, str], str]) -> str:
    dependency = dependencies.get(input_def.name)
    if isinstance(dependency, DependencyDefinition):
        upstream = graph.solid_named(dependency.solid).definition
        if upstream.output_dict[dependency.output].is_dynamic:
            return f"each value of {_output_name(dependency.solid, dependency.output)}, mapped"
        return _output_name(dependency.solid, dependency.output)
    if isinstance(dependency, MultiDependencyDefinition):
        return ", ".join(_output_name(d.solid, d.output) for d in dependency.dependencies)
    if isinstance(dependency, DynamicCollectDependencyDefinition):
        return f"every value of {_output_name(dependency.solid, dependency.output)}, collected"
    mapped = mapped_inputs.get((node_name, input_def.name))
    if mapped is not None:
        return f"composite input {mapped}"
    if input_def.root_manager_key:
        return f'root input manager "{input_def.root_manager_key}"'
    if input_def.has_default_value:
        return f"default {input_def.default_value!r}"
    if input_def.is_nothing:
        return ""
    return f"run config (solids.{node_name}.inputs.{input_def.name})"


def _output_name(solid: str, output: str) -> str:
    return solid if output == DEFAULT_OUTPUT else f"{solid}.{output}"


def _mode_lines(mode: Any, indent: str) -> Iterator[Text]:
    yield Text.assemble(indent, (mode.name, "bold cyan"))
    inner = indent + _STEP
    if mode.description:
        yield from _block(mode.description.strip(), inner, "dim")
    yield Text(f"{inner}resources:")
    for key, definition in mode.resource_defs.items():
        if isinstance(definition, str):
            yield Text(f"{inner}{_STEP}{key}: the plugin resource \"{definition}\"")
            continue
        line = Text(f"{inner}{_STEP}{key}")
        if definition.description:
            line.append(f"  {definition.description.strip().splitlines()[0]}", style="dim")
        yield line
        if definition.config_field is not None:
            yield from _block(describe(definition.config_field), inner + _STEP * 2)
    yield Text(f"{inner}loggers: {', '.join(mode.logger_defs) or 'none'}")
    yield Text(f"{inner}executors: {', '.join(_executor_names(mode))}")


def _executor_names(mode: Any) -> list[str]:
    """The executors a run in ``mode`` may choose: those it lists, else every installed."""
    if mode.executors_given:
        return [e if isinstance(e, str) else e.name for e in mode.executor_defs]
    from headwater.plugins import get_plugin_manager

    return list(get_plugin_manager().registry.executors)


def _block(text: str, indent: str, style: str = "") -> Iterator[Text]:
    for line in text.splitlines():
        yield Text(indent + line, style=style)
