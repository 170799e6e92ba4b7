"""The lifecycle hooks of the plugins enabled for a run, called through pluggy.

Execution decides when each hook is called (``headwater.execution.lifecycle`` turns a run's
events into hook calls); this module only calls them. Each enabled plugin's implementation
is called through its own pluggy hook caller, in pluggy's order (``tryfirst`` /
``trylast``), so that a plugin that raises is known by name and the plugins after it are
still called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class HookCaller(Protocol):
    """What pluggy's hook callers offer: a call with keyword arguments."""

    def __call__(self, **kwargs: Any) -> Any: ...


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
    """

    def __init__(self, callers: Mapping[str, Sequence[tuple[str, HookCaller]]]) -> None:
        self._callers = {hook: tuple(found) for hook, found in callers.items() if found}
        self.implemented = frozenset(self._callers)

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


NO_LIFECYCLE_HOOKS = LifecycleHooks({})
"""The lifecycle hooks of a run no enabled plugin watches: nothing to call."""
