"""Pipelines: a graph of solids plus the modes and presets it can run with."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.definitions.composition import CompositionContext
from headwater.definitions.dependency import (
    AnyDependency,
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
    Node,
)
from headwater.definitions.graph import GraphDefinition, nodes_from_definitions
from headwater.definitions.hook import HookDefinition
from headwater.definitions.mode import ModeDefinition
from headwater.definitions.preset import PresetDefinition
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.utils import check_valid_name, normalize_tags
from headwater.errors import (
    HeadwaterInvalidDefinitionError,
    HeadwaterInvalidInvocationError,
    HeadwaterUnknownModeError,
    HeadwaterUnknownPresetError,
)


class PipelineDefinition(GraphDefinition):
    """A runnable graph of solids.

    Args:
        solid_defs: The solid (and composite) definitions used.
        name: The pipeline's name.
        description: A human-readable description.
        dependencies: ``{solid_name_or_SolidInvocation: {input_name: DependencyDefinition}}``.
        mode_defs: The modes it can run in (default: one mode named ``"default"``).
        preset_defs: Named ready-made run configurations.
        tags: Tags added to every run (run tags win on conflicts).
        hook_defs: Hooks run after every step.
        solid_retry_policy: Retry policy of every solid that has none of its own.
    """

    def __init__(self, solid_defs: Sequence[Any], name: str, description: str | None = None,
                 dependencies: Mapping[Any, Mapping[str, AnyDependency]] | None = None,
                 mode_defs: Sequence[ModeDefinition] | None = None,
                 preset_defs: Sequence[PresetDefinition] | None = None,
                 tags: Mapping[str, Any] | None = None,
                 hook_defs: Iterable[HookDefinition] | None = None,
                 solid_retry_policy: RetryPolicy | None = None,
                 _nodes: Sequence[Node] | None = None,
                 _solids_to_execute: frozenset[str] | None = None,
                 _parent: PipelineDefinition | None = None) -> None:
        name = check_valid_name(name, "pipeline name")
        where = f'Pipeline "{name}"'
        if _nodes is None:
            nodes, deps = nodes_from_definitions(solid_defs, dependencies, where)
        else:
            nodes, deps = list(_nodes), {k: dict(v) for k, v in (dependencies or {}).items()}
        super().__init__(name, nodes, deps)
        self.description = description
        self.mode_definitions: list[ModeDefinition] = list(mode_defs or [ModeDefinition()])
        self._modes = {}
        for mode in self.mode_definitions:
            if not isinstance(mode, ModeDefinition):
                raise HeadwaterInvalidDefinitionError(
                    f"{where}: mode_defs must be ModeDefinitions, received {mode!r}."
                )
            if mode.name in self._modes:
                raise HeadwaterInvalidDefinitionError(
                    f'{where} has two modes named "{mode.name}".')
            self._modes[mode.name] = mode
        self.preset_defs: list[PresetDefinition] = list(preset_defs or [])
        self._presets: dict[str, PresetDefinition] = {}
        for preset in self.preset_defs:
            if preset.name in self._presets:
                raise HeadwaterInvalidDefinitionError(
                    f'{where} has two presets named "{preset.name}".')
            if preset.mode not in self._modes:
                raise HeadwaterInvalidDefinitionError(
                    f'{where}: preset "{preset.name}" uses mode "{preset.mode}", which the '
                    f"pipeline does not have (modes: {self.available_modes})."
                )
            self._presets[preset.name] = preset
        self.tags = normalize_tags(tags, f"pipeline {name!r}")
        self.hook_defs = frozenset(hook_defs or ())
        self.solid_retry_policy = solid_retry_policy
        self.solids_to_execute = _solids_to_execute
        self.parent_pipeline_def = _parent
        self._resource_needs = self._find_resource_needs()
        self._check_resources_in_modes()
        # Frozen from here on: what a run derives from the pipeline (its run config
        # schemas, ...) is kept beside it, by execution, never inside it.
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            raise AttributeError(
                f'Pipeline "{self.name}" is frozen after construction: {name} cannot be set. '
                "Build a new pipeline (with_hooks, get_pipeline_subset_def) instead.")
        super().__setattr__(name, value)

    # -- modes and presets -------------------------------------------------------------

    @property
    def available_modes(self) -> list[str]:
        return [m.name for m in self.mode_definitions]

    @property
    def is_multi_mode(self) -> bool:
        return len(self.mode_definitions) > 1

    def has_mode_definition(self, mode: str) -> bool:
        return mode in self._modes

    def get_mode_definition(self, mode: str | None = None) -> ModeDefinition:
        """The mode named ``mode``; without a name, the only mode (an error if several)."""
        if mode is None:
            if self.is_multi_mode:
                raise HeadwaterUnknownModeError(
                    f'Pipeline "{self.name}" has several modes ({self.available_modes}); name '
                    "the one to run with mode=... (or --mode on the command line)."
                )
            return self.mode_definitions[0]
        try:
            return self._modes[mode]
        except KeyError:
            raise HeadwaterUnknownModeError(
                f'Pipeline "{self.name}" has no mode "{mode}". Available modes: '
                f"{self.available_modes}."
            ) from None

    def has_preset(self, name: str) -> bool:
        return name in self._presets

    def get_preset(self, name: str) -> PresetDefinition:
        try:
            return self._presets[name]
        except KeyError:
            raise HeadwaterUnknownPresetError(
                f'Pipeline "{self.name}" has no preset "{name}". Available presets: '
                f"{sorted(self._presets) or 'none'}."
            ) from None

    # -- checks ------------------------------------------------------------------------

    def resource_needs(self) -> list[tuple[str, str]]:
        """``(resource key, who needs it)`` for every solid, hook, output, root input and
        type loader in the pipeline (composites' children included)."""
        return self._resource_needs

    def _find_resource_needs(self) -> list[tuple[str, str]]:
        needs: list[tuple[str, str]] = []
        for hook in self.hook_defs:
            needs.extend((key, f'hook "{hook.name}"') for key in hook.required_resource_keys)
        stack: list[tuple[str, Any]] = [(n.name, n) for n in self.solids]
        while stack:
            path, node = stack.pop()
            definition = node.definition
            for hook in node.hook_defs:
                needs.extend((key, f'hook "{hook.name}" on solid "{path}"')
                             for key in hook.required_resource_keys)
            if definition.is_composite:
                stack.extend((f"{path}.{child.name}", child) for child in definition.solids)
                continue
            needs.extend((key, f'solid "{path}"') for key in definition.required_resource_keys)
            for output in definition.output_defs:
                needs.append((output.io_manager_key, f'output "{output.name}" of solid "{path}"'))
                needs.extend((key, f'the type of output "{output.name}" of solid "{path}"')
                             for key in output.headwater_type.required_resource_keys)
            for input_def in definition.input_defs:
                needs.extend((key, f'the type of input "{input_def.name}" of solid "{path}"')
                             for key in input_def.headwater_type.required_resource_keys)
                if input_def.root_manager_key:
                    needs.append((input_def.root_manager_key,
                                  f'input "{input_def.name}" of solid "{path}"'))
                loader = input_def.headwater_type.loader
                needs.extend((key, f'the loader of input "{input_def.name}" of solid "{path}"')
                             for key in getattr(loader, "required_resource_keys", None) or ())
        return needs

    def _check_resources_in_modes(self) -> None:
        """Every resource key something in the pipeline needs is provided by every mode."""
        needs = self.resource_needs()
        for mode in self.mode_definitions:
            for key, who in needs:
                if key not in mode.resource_defs:
                    raise HeadwaterInvalidDefinitionError(
                        f'Pipeline "{self.name}": {who} requires resource "{key}", which mode '
                        f'"{mode.name}" does not provide (it has: {sorted(mode.resource_defs)}). '
                        "Add it to the mode's resource_defs."
                    )

    # -- derived pipelines -------------------------------------------------------------

    def with_hooks(self, hook_defs: Iterable[HookDefinition]) -> PipelineDefinition:
        """A copy of this pipeline with ``hook_defs`` run after every step."""
        return self._copy(hook_defs=self.hook_defs | frozenset(hook_defs))

    def _copy(self, **changes: Any) -> PipelineDefinition:
        args: dict[str, Any] = dict(
            solid_defs=[], name=self.name, description=self.description,
            dependencies=self._dependencies, mode_defs=self.mode_definitions,
            preset_defs=self.preset_defs, tags=self.tags, hook_defs=self.hook_defs,
            solid_retry_policy=self.solid_retry_policy, _nodes=self.solids,
            _solids_to_execute=self.solids_to_execute, _parent=self.parent_pipeline_def,
        )
        args.update(changes)
        return PipelineDefinition(**args)

    def get_pipeline_subset_def(self, solids_to_execute: Iterable[str] | None
                                ) -> PipelineDefinition:
        """This pipeline restricted to the named top-level solids.

        Inputs fed by solids outside the subset become unconnected, so they must be loadable
        from config (``solids.<s>.inputs.<i>``), have a default, or a root input manager.
        """
        if solids_to_execute is None:
            return self
        selected = frozenset(solids_to_execute)
        unknown = sorted(selected - {n.name for n in self.solids})
        if unknown:
            raise HeadwaterInvalidDefinitionError(
                f'Pipeline "{self.name}" has no solid(s) {unknown} to select.')
        if selected == {n.name for n in self.solids} and self.solids_to_execute is None:
            return self
        try:
            return self.with_solids([n for n in self.solids if n.name in selected],
                                    self.dependencies_within(selected), selected)
        except HeadwaterInvalidDefinitionError as error:
            raise HeadwaterInvalidDefinitionError(
                f"The solid selection {sorted(selected)} of pipeline {self.name!r} cannot run on "
                f"its own: {error}"
            ) from None

    def dependencies_within(self, selected: frozenset[str]) -> dict[str, dict[str, AnyDependency]]:
        """The dependencies among the ``selected`` top-level solids (inputs fed from outside
        the selection are left out)."""
        deps: dict[str, dict[str, AnyDependency]] = {}
        for node_name in selected:
            for input_name, dep in self.dependencies_of(node_name).items():
                kept = _dependency_within(dep, selected)
                if kept is not None:
                    deps.setdefault(node_name, {})[input_name] = kept
        return deps

    def with_solids(self, nodes: Sequence[Node],
                    dependencies: Mapping[str, Mapping[str, AnyDependency]],
                    solids_to_execute: frozenset[str]) -> PipelineDefinition:
        """A subset of this pipeline made of ``nodes`` (some of which may be new, such as
        stubs giving inputs by value), run config of the other solids accepted and ignored."""
        return self._copy(_nodes=list(nodes), dependencies=dependencies,
                          _solids_to_execute=solids_to_execute,
                          _parent=self.parent_pipeline_def or self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise HeadwaterInvalidInvocationError(
            f'Pipeline "{self.name}" cannot be called; run it with '
            f"execute_pipeline({self.name}, run_config=...)."
        )

    def __repr__(self) -> str:
        return f"<PipelineDefinition {self.name!r}>"


def _dependency_within(dep: AnyDependency, selected: frozenset[str]) -> AnyDependency | None:
    """``dep`` narrowed to upstream solids in ``selected`` (None if none is left)."""
    if isinstance(dep, MultiDependencyDefinition):
        kept = [d for d in dep.dependencies if d.solid in selected]
        return MultiDependencyDefinition(kept) if kept else None
    if isinstance(dep, (DependencyDefinition, DynamicCollectDependencyDefinition)):
        return dep if dep.solid in selected else None
    return None


def pipeline(name: Any = None, description: str | None = None,
             mode_defs: Sequence[ModeDefinition] | None = None,
             preset_defs: Sequence[PresetDefinition] | None = None,
             tags: Mapping[str, Any] | None = None,
             hook_defs: Iterable[HookDefinition] | None = None,
             solid_retry_policy: RetryPolicy | None = None) -> Any:
    """Define a pipeline from a composition function (bare or called).

    Example:
        >>> @pipeline(mode_defs=[ModeDefinition("test"), ModeDefinition("prod", ...)])
        ... def daily_orders():
        ...     report(clean(load()))
    """
    if callable(name):
        return _build_pipeline(name, None, None, None, None, None, None, None)

    def decorator(fn: Callable[[], Any]) -> PipelineDefinition:
        return _build_pipeline(fn, name, description, mode_defs, preset_defs, tags, hook_defs,
                               solid_retry_policy)

    return decorator


def _build_pipeline(fn: Callable[[], Any], name: str | None, description: str | None,
                    mode_defs: Sequence[ModeDefinition] | None,
                    preset_defs: Sequence[PresetDefinition] | None,
                    tags: Mapping[str, Any] | None, hook_defs: Iterable[HookDefinition] | None,
                    solid_retry_policy: RetryPolicy | None) -> PipelineDefinition:
    pipeline_name = name or fn.__name__
    if inspect.signature(fn).parameters:
        raise HeadwaterInvalidDefinitionError(
            f'The composition function of pipeline "{pipeline_name}" takes parameters; a '
            "pipeline has no inputs of its own (use a composite solid for that)."
        )
    with CompositionContext(f"Pipeline {pipeline_name!r}") as composition:
        fn()
    return PipelineDefinition(
        [], pipeline_name, description or inspect.getdoc(fn),
        dependencies=composition.dependencies, mode_defs=mode_defs, preset_defs=preset_defs,
        tags=tags, hook_defs=hook_defs, solid_retry_policy=solid_retry_policy,
        _nodes=list(composition.nodes.values()),
    )
