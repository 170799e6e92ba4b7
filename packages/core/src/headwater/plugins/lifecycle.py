"""The lifecycle hooks of the plugins enabled for a run, called through pluggy.

Execution decides when each hook is called (``headwater.execution.lifecycle`` turns a run's
events into hook calls); this module only calls them. Each enabled plugin's implementation
is called through its own pluggy hook caller, in pluggy's order (``tryfirst`` /
``trylast``), so that a plugin that raises is known by name and the plugins after it are
still called.

Wrapper hooks (``headwater_run_wrapper``, ``headwater_step_wrapper``) are nested the same
way: each plugin's wrapper through its own hook caller, outermost first, the wrapped code
innermost (pluggy's ``call_extra``), so that a wrapper that raises is known by name and
neither the wrapped code nor the other wrappers depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class HookCaller(Protocol):
    """What pluggy's hook callers offer: a call with keyword arguments."""

    def __call__(self, **kwargs: Any) -> Any: ...

    def call_extra(self, methods: Sequence[Callable[..., object]],
                   kwargs: Mapping[str, Any]) -> Any: ...


@dataclass(frozen=True)
class HookFailure:
    """A lifecycle hook of a plugin raised.

    Attributes:
        plugin: The plugin's name.
        hook: The hook's name.
        error: What it raised.
    """

    plugin: str
    hook: str
    error: Exception


class LifecycleHooks:
    """The lifecycle hooks some enabled plugin implements, ready to call.

    Args:
        callers: ``{hook name: [(plugin name, hook caller of that plugin alone), ...]}`` in
            call order; hooks no enabled plugin implements are left out.
        wrappers: The same for wrapper hooks, outermost first.

    Attributes:
        implemented: The lifecycle hooks some enabled plugin implements.
        wrapped: The wrapper hooks some enabled plugin implements.
    """

    def __init__(self, callers: Mapping[str, Sequence[tuple[str, HookCaller]]],
                 wrappers: Mapping[str, Sequence[tuple[str, HookCaller]]] | None = None
                 ) -> None:
        self._callers = {hook: tuple(found) for hook, found in callers.items() if found}
        self._wrappers = {hook: tuple(found) for hook, found in (wrappers or {}).items()
                          if found}
        self.implemented = frozenset(self._callers)
        self.wrapped = frozenset(self._wrappers)

    def call(self, hook: str, **arguments: Any) -> list[HookFailure]:
        """Call ``hook`` of every enabled plugin implementing it; return what raised.

        Args:
            hook: The hook's name.
            arguments: Every argument of the hook's spec, by name (pluggy hands each
                implementation the ones it accepts).
        """
        failures: list[HookFailure] = []
        for plugin, caller in self._callers.get(hook, ()):
            try:
                caller(**arguments)
            except Exception as error:
                failures.append(HookFailure(plugin, hook, error))
        return failures


    def wrap(self, hook: str, body: Callable[[], Any],
             on_failure: Callable[[HookFailure], None], **arguments: Any) -> Any:
        """Call ``body`` inside the enabled plugins' ``hook`` wrappers; return what it
        returned, or raise what it raised, whatever the wrappers do.

        A wrapper that raises is handed to ``on_failure`` (as it happens) and the rest goes
        on: when it raised before yielding, ``body`` runs inside the wrappers outside it.

        Args:
            hook: The wrapper hook's name.
            body: The wrapped code.
            on_failure: Told of each wrapper that raised.
            arguments: Every argument of the hook's spec, by name.
        """
        return _nest(self._wrappers.get(hook, ()), hook, body, on_failure, arguments)


def _nest(wrappers: Sequence[tuple[str, HookCaller]], hook: str, body: Callable[[], Any],
          on_failure: Callable[[HookFailure], None], arguments: Mapping[str, Any]) -> Any:
    if not wrappers:
        return body()
    (plugin, caller), inner_wrappers = wrappers[0], wrappers[1:]
    # What the code inside this wrapper did: the wrapper's own answer is not the outcome.
    outcome: list[tuple[bool, Any]] = []

    def inside() -> None:
        try:
            outcome.append((True, _nest(inner_wrappers, hook, body, on_failure, arguments)))
        except BaseException as error:
            outcome.append((False, error))
            raise

    try:
        caller.call_extra([inside], arguments)
    except BaseException as error:
        raised_inside = bool(outcome) and not outcome[0][0] and outcome[0][1] is error
        if not raised_inside:
            if not isinstance(error, Exception):
                raise
            on_failure(HookFailure(plugin, hook, error))
    if not outcome:  # the wrapper raised (or returned) before yielding
        return _nest(inner_wrappers, hook, body, on_failure, arguments)
    succeeded, value = outcome[0]
    if succeeded:
        return value
    raise value


NO_LIFECYCLE_HOOKS = LifecycleHooks({})
"""The lifecycle hooks of a run no enabled plugin watches: nothing to call."""
