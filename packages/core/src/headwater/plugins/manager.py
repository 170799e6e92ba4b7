"""Finding, loading and checking plugins, and the registry of what they contribute.

Plugins are loaded once per process, lazily: ``import headwater`` loads none; the first run
(or CLI command) that needs a plugin-provided name loads them all. Core's own executors, IO
managers, loggers and instance parts are a plugin too (``headwater.plugin``, the entry point
``headwater`` of the ``headwater`` distribution), loaded first. A plugin that fails to
import, or that implements a hook that does not exist, is reported by name and skipped —
it never takes the process down.

Every hook is called through pluggy. Registry hooks and a plugin's own config hooks are
called for one plugin at a time (a subset hook caller), so that what each returns is known
by its plugin and a plugin that raises is reported alone.
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
from headwater.plugins.lifecycle import NO_LIFECYCLE_HOOKS, HookCaller, LifecycleHooks
from headwater.plugins.markers import PROJECT

ENTRY_POINT_GROUP = "headwater"
DISABLE_AUTOLOAD_ENV = "HEADWATER_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_PLUGINS_ENV = "HEADWATER_DISABLE_PLUGINS"
# The distribution whose plugin is core's own: loaded first, never disabled.
CORE_DISTRIBUTION = "headwater"

REGISTRY_HOOKS = hookspecs.hooks_of(hookspecs.REGISTRY)
LIFECYCLE_HOOKS = hookspecs.hooks_of(hookspecs.LIFECYCLE)
WRAPPER_HOOKS = hookspecs.hooks_of(hookspecs.WRAPPER)
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
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self._registry: Registry | None = None
        self._lifecycle: dict[frozenset[str], LifecycleHooks] = {}
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
            unwrapped = self._plain_wrappers(plugin)
            if unwrapped:
                self.pm.unregister(plugin)
                return self._broken(info, "; ".join(
                    f'implements "{hook}" without @hookimpl(wrapper=True): a wrapper is a '
                    "generator that yields once, where the wrapped code runs"
                    for hook in unwrapped))
            info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ())
            self.plugins[name] = info
            self._changed()
            return info

    def _unknown_hooks(self, plugin: Any) -> list[str]:
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ()
                      if caller.spec is None)

    def _plain_wrappers(self, plugin: Any) -> list[str]:
        """Wrapper hooks ``plugin`` implements as plain functions (which would run beside
        the wrapped code instead of around it)."""
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ()
                      if caller.name in WRAPPER_HOOKS
                      for impl in caller.get_hookimpls()
                      if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper))

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
            self._changed()

    def _changed(self) -> None:
        self._registry = None
        self._lifecycle.clear()

    # -- calling hooks -----------------------------------------------------------------

    def hook_of(self, info: PluginInfo, hook_name: str) -> HookCaller:
        """``hook_name`` of the one plugin ``info`` (pluggy's subset hook caller)."""
        others = [plugin for plugin in self.pm.get_plugins() if plugin is not info.plugin]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=others)

    def config_schema(self, name: str) -> Any:
        """The config schema plugin ``name`` declares for ``plugins.<name>.config``
        (``headwater_plugin_config_schema``), or None."""
        info = self.plugins[name]
        if "headwater_plugin_config_schema" not in info.hooks:
            return None
        return self.hook_of(info, "headwater_plugin_config_schema")()

    def configure(self, name: str, config: Any) -> None:
        """Hand plugin ``name`` its validated config (``headwater_configure``)."""
        info = self.plugins[name]
        if "headwater_configure" in info.hooks:
            self.hook_of(info, "headwater_configure")(config=config)

    def lifecycle_hooks(self, enabled: Iterable[str] = ()) -> LifecycleHooks:
        """The lifecycle hooks to call for a run: those of plugins registered in code, and
        of discovered ones enabled in the instance's headwater.yaml (``enabled``)."""
        key = frozenset(enabled)
        with self._lock:
            found = self._lifecycle.get(key)
            if found is None:
                found = self._lifecycle[key] = self._build_lifecycle_hooks(key)
            return found

    def _build_lifecycle_hooks(self, enabled: frozenset[str]) -> LifecycleHooks:
        watching = {id(info.plugin): info for info in self.loaded()
                    if any(h in LIFECYCLE_HOOKS or h in WRAPPER_HOOKS for h in info.hooks)
                    and (not info.from_entry_point or info.name in enabled)}
        if not watching:
            return NO_LIFECYCLE_HOOKS
        return LifecycleHooks(self._callers(LIFECYCLE_HOOKS, watching),
                              self._callers(WRAPPER_HOOKS, watching))

    def _callers(self, hook_names: Iterable[str], watching: dict[int, PluginInfo]
                 ) -> dict[str, list[tuple[str, HookCaller]]]:
        """Each hook's implementations by the ``watching`` plugins, in the order pluggy
        calls them (wrappers: outermost first), each through its plugin's own caller."""
        callers: dict[str, list[tuple[str, HookCaller]]] = {}
        for hook_name in hook_names:
            # pluggy calls implementations last-registered first, tryfirst/trylast aside.
            for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
                info = watching.get(id(impl.plugin))
                if info is not None:
                    callers.setdefault(hook_name, []).append(
                        (info.name, self.hook_of(info, hook_name)))
        return callers

    def load_entry_points(self, disabled: Iterable[str] = (), core_only: bool = False) -> None:
        """Load every plugin of the ``headwater`` entry-point group, isolating failures;
        core's own first (its names win a conflict), and with ``core_only`` only core's."""
        disabled_set = set(disabled)
        found = []
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(entry_point, "dist", None)
            distribution = dist.metadata["Name"] if dist is not None else None
            found.append((distribution != CORE_DISTRIBUTION, entry_point.name, entry_point,
                          distribution, dist.version if dist is not None else None))
        for not_core, _, entry_point, distribution, version in sorted(found, key=lambda f: f[:2]):
            if entry_point.name in self.plugins or (core_only and not_core):
                continue
            if not_core and entry_point.name in disabled_set:
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
                          builtin=not not_core, from_entry_point=not_core)

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
                        for contributed in self.hook_of(info, hook_name)():
                            _merge(fragment, hook_name, contributed, info.name)
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
            manager = HeadwaterPluginManager()
            autoload = os.environ.get(DISABLE_AUTOLOAD_ENV, "").strip().lower() not in \
                ("1", "true", "yes", "on")
            disabled = [n.strip() for n in os.environ.get(DISABLE_PLUGINS_ENV, "").split(",")
                        if n.strip()]
            manager.load_entry_points(disabled, core_only=not autoload)
            _check_core_plugin(manager)
            _manager = manager
        return _manager


def _check_core_plugin(manager: HeadwaterPluginManager) -> None:
    """Core's executors and storages come from its own plugin: without it nothing runs."""
    core = [info for info in manager.plugins.values() if info.builtin]
    if not core:
        raise HeadwaterPluginError(
            f'Headwater\'s own plugin (entry point "headwater" of the {CORE_DISTRIBUTION} '
            f'distribution, group "{ENTRY_POINT_GROUP}") is not installed: the installed '
            "metadata of headwater is older than its code. Reinstall headwater (from a "
            "checkout: pip install -e packages/core).")
    for info in core:
        if info.status != "loaded":
            raise HeadwaterPluginError(f"Headwater's own plugin is broken: {info.error}")


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

