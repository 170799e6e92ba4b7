"""Hooks: functions run after a step, depending on how it ended (alerts, metrics, cleanup)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.resource import Resources, check_resource_keys
from headwater.definitions.utils import check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError


@dataclass(frozen=True)
class HookExecutionResult:
    """What a hook function reports: its name and whether it was skipped."""

    hook_name: str
    is_skipped: bool = False


class HookDefinition(FrozenDefinition):
    """A hook: ``hook_fn(context, event_list) -> HookExecutionResult``.

    Most hooks are written with ``@success_hook`` or ``@failure_hook``.
    """

    __slots__ = ("decorated_fn", "hook_fn", "name", "required_resource_keys")

    def __init__(self, name: str, hook_fn: Callable[[Any, Sequence[Any]], HookExecutionResult],
                 required_resource_keys: Iterable[str] | None = None,
                 decorated_fn: Callable[..., Any] | None = None) -> None:
        self.name = check_valid_name(name, "hook name")
        self.hook_fn = hook_fn
        self.required_resource_keys = check_resource_keys(required_resource_keys,
                                                          f'hook "{name}"')
        self.decorated_fn = decorated_fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the decorated function directly (for tests), e.g. ``my_hook(build_hook_context())``.

        Given a pipeline instead, as a decorator over ``@pipeline``, return the pipeline
        with this hook run after every step (``pipeline.with_hooks({hook})``).
        """
        # Imported here: the pipeline module imports this one.
        from headwater.definitions.pipeline import PipelineDefinition

        if len(args) == 1 and not kwargs and isinstance(args[0], PipelineDefinition):
            return args[0].with_hooks({self})
        if self.decorated_fn is None:
            raise HeadwaterInvalidDefinitionError(f'Hook "{self.name}" has no function to call.')
        return self.decorated_fn(*args, **kwargs)

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HookDefinition) and other.name == self.name \
            and other.hook_fn is self.hook_fn

    def __repr__(self) -> str:
        return f"HookDefinition({self.name!r})"


class HookContext:
    """What a hook function receives.

    Attributes:
        pipeline_name, run_id, step_key, mode_def, solid, solid_config, log, resources.
        hook_def: The hook's definition.
        required_resource_keys: The keys the hook declared.
        solid_exception: The exception the step raised (failure hooks), else None.
        solid_output_values: ``{output_name: value}`` of the step's outputs (success hooks);
            for dynamic outputs ``{output_name: {mapping_key: value}}``.
    """

    __slots__ = ("hook_def", "log", "mode_def", "pipeline_name", "required_resource_keys",
                 "resources", "run_id", "solid", "solid_config", "solid_exception",
                 "solid_output_values", "step_key")

    def __init__(self, hook_def: HookDefinition | None = None, pipeline_name: str | None = None,
                 run_id: str | None = None, step_key: str | None = None, mode_def: Any = None,
                 solid: Any = None, solid_config: Any = None, log: Any = None,
                 resources: Resources | None = None,
                 solid_exception: BaseException | None = None,
                 solid_output_values: Mapping[str, Any] | None = None) -> None:
        self.hook_def = hook_def
        self.pipeline_name = pipeline_name
        self.run_id = run_id
        self.step_key = step_key
        self.mode_def = mode_def
        self.solid = solid
        self.solid_config = solid_config
        self.log = log
        self.resources = resources if resources is not None else Resources({})
        self.required_resource_keys = hook_def.required_resource_keys if hook_def else frozenset()
        self.solid_exception = solid_exception
        self.solid_output_values = dict(solid_output_values or {})


def build_hook_context(resources: Mapping[str, Any] | None = None, mode_def: Any = None,
                       solid: Any = None, solid_exception: BaseException | None = None,
                       solid_output_values: Mapping[str, Any] | None = None) -> HookContext:
    """A hook context for calling a hook's function directly in a test."""
    return HookContext(resources=Resources(resources or {}), mode_def=mode_def, solid=solid,
                       solid_exception=solid_exception,
                       solid_output_values=solid_output_values)


def _hook_decorator(condition: Callable[[Sequence[Any]], bool], kind: str,
                    name: Any, required_resource_keys: Iterable[str] | None) -> Any:
    def decorate(fn: Callable[[HookContext], Any]) -> HookDefinition:
        hook_name = name if isinstance(name, str) else fn.__name__

        def hook_fn(context: HookContext, event_list: Sequence[Any]) -> HookExecutionResult:
            if not condition(event_list):
                return HookExecutionResult(hook_name, is_skipped=True)
            fn(context)
            return HookExecutionResult(hook_name)

        hook_fn.__name__ = f"{kind}_{hook_name}"
        return HookDefinition(hook_name, hook_fn, required_resource_keys, decorated_fn=fn)

    if callable(name):  # used bare: @success_hook
        return decorate(name)
    return decorate


def success_hook(name: Any = None, required_resource_keys: Iterable[str] | None = None) -> Any:
    """A hook run after a step succeeded.

    Example:
        >>> @success_hook(required_resource_keys={"slack"})
        ... def notify(context):
        ...     context.resources.slack.post(f"{context.step_key} done")
    """
    return _hook_decorator(lambda events: any(e.is_step_success for e in events), "success",
                           name, required_resource_keys)


def failure_hook(name: Any = None, required_resource_keys: Iterable[str] | None = None) -> Any:
    """A hook run after a step failed (``context.solid_exception`` holds the error)."""
    return _hook_decorator(lambda events: any(e.is_step_failure for e in events), "failure",
                           name, required_resource_keys)


def event_list_hook(name: Any = None, required_resource_keys: Iterable[str] | None = None
                    ) -> Any:
    """A low-level hook: ``fn(context, event_list) -> HookExecutionResult``."""

    def decorate(fn: Callable[..., HookExecutionResult]) -> HookDefinition:
        return HookDefinition(name if isinstance(name, str) else fn.__name__, fn,
                              required_resource_keys, decorated_fn=fn)

    if callable(name):
        return decorate(name)
    return decorate
