"""Finding, loading and checking plugins, and the registry of what they contribute.

Plugins are loaded once per process, lazily: ``import headwater`` loads none; the first run
(or CLI command) that needs a plugin-provided name loads them all. A plugin that fails to
import, or that implements a hook that does not exist, is reported by name and skipped —
it never takes the process down.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import os
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pluggy

from headwater.errors import HeadwaterPluginError
from headwater.plugins import hookspecs

hookimpl = pluggy.HookimplMarker("headwater")

ENTRY_POINT_GROUP = "headwater"
DISABLE_AUTOLOAD_ENV = "HEADWATER_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_PLUGINS_ENV = "HEADWATER_DISABLE_PLUGINS"

REGISTRY_HOOKS = ("headwater_resources", "headwater_io_managers", "headwater_executors",
                  "headwater_loggers", "headwater_types", "headwater_solid_factories",
                  "headwater_cli_commands", "headwater_instance_components")
LIFECYCLE_HOOKS = ("headwater_run_started", "headwater_run_succeeded", "headwater_run_failed",
                   "headwater_run_canceled", "headwater_step_started",
                   "headwater_step_succeeded", "headwater_step_failed",
                   "headwater_step_retried", "headwater_asset_materialized",
                   "headwater_event_logged")
_SPEC_NAMES = tuple(name for name in dir(hookspecs) if name.startswith("headwater_"))


@dataclass
class PluginInfo:
    """What is known about one plugin.

    Attributes:
        name: The entry point's (or registration's) name.
        distribution / version: The distribution that provides it, if any.
        status: ``"loaded"``, ``"broken"`` or ``"disabled"``.
        error: Why it is broken.
        builtin: Whether it is part of core.
        from_entry_point: Whether it was discovered (rather than registered in code).
        hooks: The hooks it implements.
    """

    name: str
    distribution: str | None = None
    version: str | None = None
    status: str = "loaded"
    error: str | None = None
    builtin: bool = False
    from_entry_point: bool = False
    hooks: list[str] = field(default_factory=list)
    plugin: Any = None


@dataclass
class Registry:
    """Everything the loaded plugins contribute, by kind and name, with who provided it."""

    resources: dict[str, Any] = field(default_factory=dict)
    io_managers: dict[str, Any] = field(default_factory=dict)
    executors: dict[str, Any] = field(default_factory=dict)
    loggers: dict[str, Any] = field(default_factory=dict)
    types: list[Any] = field(default_factory=list)
    solid_factories: dict[str, Any] = field(default_factory=dict)
    cli_commands: list[Any] = field(default_factory=list)
    instance_components: dict[str, dict[str, Any]] = field(default_factory=dict)
    providers: dict[tuple[str, str], str] = field(default_factory=dict)

    def contributions_of(self, plugin_name: str) -> dict[str, list[str]]:
        """``{kind: [names]}`` that ``plugin_name`` registered."""
        found: dict[str, list[str]] = {}
        for (kind, name), provider in self.providers.items():
            if provider == plugin_name:
                found.setdefault(kind, []).append(name)
        return {kind: sorted(names) for kind, names in sorted(found.items())}


class HeadwaterPluginManager:
    """Headwater's pluggy plugin manager, with per-plugin error isolation."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("headwater")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self._registry: Registry | None = None
        self._lock = threading.RLock()

    # -- registration ----------------------------------------------------------------------

    def register(self, plugin: Any, name: str, distribution: str | None = None,
                 version: str | None = None, builtin: bool = False,
                 from_entry_point: bool = False) -> PluginInfo:
        """Register a plugin object or module. A hook implementation that names no hook
        makes the plugin broken (reported, not registered)."""
        with self._lock:
            info = PluginInfo(name, distribution, version, builtin=builtin,
                              from_entry_point=from_entry_point, plugin=plugin)
            if name in self.plugins and self.plugins[name].status == "loaded":
                raise HeadwaterPluginError(
                    f'A plugin named "{name}" is already registered '
                    f"({self.plugins[name].distribution or 'in code'}).")
            try:
                self.pm.register(plugin, name=name)
            except Exception as error:  # pluggy refuses a malformed implementation
                return self._broken(info, f"{type(error).__name__}: {error}")
            unknown = self._unknown_hooks(plugin)
            if unknown:
                self.pm.unregister(plugin)
                return self._broken(info, "; ".join(
                    f'implements "{hook}", which is not a Headwater hook'
                    + _did_you_mean(hook, _SPEC_NAMES) for hook in unknown))
            info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ())
            self.plugins[name] = info
            self._registry = None
            return info

    def _unknown_hooks(self, plugin: Any) -> list[str]:
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ()
                      if caller.spec is None)

    def _broken(self, info: PluginInfo, error: str) -> PluginInfo:
        info.status = "broken"
        info.error = error
        self.plugins[info.name] = info
        return info

    def unregister(self, name: str) -> None:
        with self._lock:
            info = self.plugins.pop(name, None)
            if info is not None and info.status == "loaded":
                self.pm.unregister(info.plugin)
            self._registry = None

    def load_entry_points(self, disabled: Iterable[str] = ()) -> None:
        """Load every plugin of the ``headwater`` entry-point group, isolating failures."""
        disabled_set = set(disabled)
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(entry_point, "dist", None)
            distribution = dist.metadata["Name"] if dist is not None else None
            version = dist.version if dist is not None else None
            if entry_point.name in self.plugins:
                continue
            if entry_point.name in disabled_set:
                self.plugins[entry_point.name] = PluginInfo(
                    entry_point.name, distribution, version, status="disabled",
                    from_entry_point=True)
                continue
            try:
                plugin = entry_point.load()
            except Exception as error:
                last = traceback.format_exception_only(type(error), error)[-1].strip()
                self.plugins[entry_point.name] = PluginInfo(
                    entry_point.name, distribution, version, status="broken",
                    error=f"failed to import {entry_point.value}: {last}",
                    from_entry_point=True)
                continue
            self.register(plugin, entry_point.name, distribution, version,
                          from_entry_point=True)

    # -- what plugins contribute -------------------------------------------------------

    @property
    def registry(self) -> Registry:
        with self._lock:
            if self._registry is None:
                self._registry = self._build_registry()
            return self._registry

    def _build_registry(self) -> Registry:
        registry = Registry()
        for info in self.loaded():
            fragment = Registry()
            try:
                for hook_name in REGISTRY_HOOKS:
                    if hook_name in info.hooks:
                        _merge(fragment, hook_name, getattr(info.plugin, hook_name)(),
                               info.name)
            except Exception as error:
                info.status = "broken"
                info.error = f"registering its definitions raised {error!r}"
                continue
            taken = sorted(f'{kind} "{name}" (already registered by "{registry.providers[key]}")'
                           for key in fragment.providers if key in registry.providers
                           for kind, name in [key])
            if taken:
                # The plugin loaded later loses: the first registration stays usable.
                info.status = "broken"
                info.error = (f"registers {', '.join(taken)}; disable one of the two plugins "
                              f"({DISABLE_PLUGINS_ENV}={info.name}).")
                continue
            try:
                _apply_types(fragment)
            except Exception as error:
                info.status = "broken"
                info.error = f"its types cannot be registered: {error}"
                continue
            _absorb(registry, fragment)
        return registry

    def loaded(self) -> list[PluginInfo]:
        return [info for info in self.plugins.values() if info.status == "loaded"]

    def lifecycle_plugins(self, enabled: Iterable[str] = ()) -> list[Any]:
        """Plugin objects whose lifecycle hooks should run: those registered in code, and
        discovered ones enabled in the instance's headwater.yaml."""
        enabled_set = set(enabled)
        return [info.plugin for info in self.loaded()
                if any(h in LIFECYCLE_HOOKS for h in info.hooks)
                and (not info.from_entry_point or info.name in enabled_set)]


def _merge(registry: Registry, hook_name: str, contributed: Any, plugin_name: str) -> None:
    if contributed is None:
        return
    kind = hook_name.removeprefix("headwater_")
    if kind in ("types", "cli_commands"):
        getattr(registry, kind).extend(contributed)
        for item in contributed:
            registry.providers[(kind, _display_name(item))] = plugin_name
        return
    if kind == "executors":
        contributed = {executor.name: executor for executor in contributed}
    if kind == "instance_components":
        for component_kind, named in contributed.items():
            target = registry.instance_components.setdefault(component_kind, {})
            for name, cls in named.items():
                _claim(registry, f"{component_kind}", name, plugin_name)
                target[name] = cls
        return
    target = getattr(registry, kind)
    for name, definition in contributed.items():
        _claim(registry, kind, name, plugin_name)
        target[name] = definition


def _absorb(registry: Registry, fragment: Registry) -> None:
    """Add one plugin's (conflict-free) contributions to the registry."""
    for kind in ("resources", "io_managers", "executors", "loggers", "solid_factories"):
        getattr(registry, kind).update(getattr(fragment, kind))
    registry.types.extend(fragment.types)
    registry.cli_commands.extend(fragment.cli_commands)
    for kind, named in fragment.instance_components.items():
        registry.instance_components.setdefault(kind, {}).update(named)
    registry.providers.update(fragment.providers)


def _apply_types(registry: Registry) -> None:
    """``(python_class, HeadwaterType)`` pairs make the class usable in type hints."""
    from headwater.types import make_python_type_usable_as_headwater_type

    for item in registry.types:
        if isinstance(item, tuple) and len(item) == 2:
            make_python_type_usable_as_headwater_type(*item)


def _claim(registry: Registry, kind: str, name: str, plugin_name: str) -> None:
    previous = registry.providers.get((kind, name))
    if previous is not None and previous != plugin_name:
        raise HeadwaterPluginError(
            f'Plugins "{previous}" and "{plugin_name}" both register a {kind} named "{name}". '
            f"Disable one of them ({DISABLE_PLUGINS_ENV}={plugin_name}).")
    registry.providers[(kind, name)] = plugin_name


def _display_name(item: Any) -> str:
    """How a contributed type or command is named in listings."""
    if isinstance(item, tuple) and len(item) == 2:
        python_type, headwater_type = item
        return f"{getattr(python_type, '__name__', python_type)} -> " \
               f"{getattr(headwater_type, 'display_name', headwater_type)}"
    return str(getattr(item, "name", None) or getattr(item, "display_name", None) or item)


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


_manager: HeadwaterPluginManager | None = None
_manager_lock = threading.Lock()


def get_plugin_manager() -> HeadwaterPluginManager:
    """The process's plugin manager: built-in plugin plus discovered ones, loaded once.

    ``HEADWATER_DISABLE_PLUGIN_AUTOLOAD=1`` skips discovery; ``HEADWATER_DISABLE_PLUGINS``
    (comma-separated names) skips the named plugins.
    """
    global _manager
    with _manager_lock:
        if _manager is None:
            from headwater.plugins import builtin

            manager = HeadwaterPluginManager()
            manager.register(builtin, "headwater", "headwater", _core_version(), builtin=True)
            if os.environ.get(DISABLE_AUTOLOAD_ENV, "").strip().lower() not in \
                    ("1", "true", "yes", "on"):
                disabled = [n.strip() for n in os.environ.get(DISABLE_PLUGINS_ENV, "").split(",")
                            if n.strip()]
                manager.load_entry_points(disabled)
            _manager = manager
        return _manager


def reset_plugin_manager() -> None:
    """Forget the loaded plugins (the next call loads them again); for tests."""
    global _manager, _generation
    with _manager_lock:
        _manager = None
        _generation += 1


_generation = 0


def plugin_generation() -> int:
    """Changes whenever the plugin manager is reset: caches of resolved modes key on it."""
    return _generation


def _core_version() -> str:
    from headwater.version import __version__

    return __version__
