"""The parts of an instance, chosen by name or by class in ``headwater.yaml``.

Each part (``run_storage``, ``compute_logs``, ...) is given as a built-in name::

    run_storage: sqlite
    run_storage: {name: postgres, config: {postgres_url: "postgresql://..."}}

or as a class of any installed package::

    run_storage:
      module: my_package.storage
      class: MyRunStorage
      config: {...}

A class used this way is a *configurable class*: it has a ``config_schema()`` class method
returning a config schema (anything ``process_config`` takes) and a
``from_config(config, context)`` class method that builds it from the processed config and
a :class:`ComponentContext`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from headwater.config import process_config
from headwater.config.render import suggest
from headwater.errors import HeadwaterInstanceConfigError, HeadwaterInstanceError

_T = TypeVar("_T")

# The parts of an instance. The classes selectable by name come from plugins
# (``headwater_instance_components``): core's own (sqlite, in_memory, local, ...) from
# core's plugin, others from the packages that provide them.
COMPONENT_KINDS = ("run_storage", "event_log_storage", "schedule_storage", "compute_logs",
                   "local_artifact_storage", "run_coordinator", "run_launcher")
DEFAULT_COMPONENTS = {
    "run_storage": "sqlite",
    "event_log_storage": "sqlite",
    "schedule_storage": "sqlite",
    "compute_logs": "local",
    "local_artifact_storage": "local",
    "run_coordinator": "default",
    "run_launcher": "default",
}


@dataclass(frozen=True)
class ComponentSpec:
    """How ``headwater.yaml`` chose one part of the instance.

    Attributes:
        kind: The part (``run_storage``, ``run_launcher``, ...).
        name: The built-in name, when chosen by name.
        module / class_name: The class, when chosen by class.
        config: The part's config, as written (validated against the class's schema when
            the part is built).
    """

    kind: str
    name: str | None = None
    module: str | None = None
    class_name: str | None = None
    config: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """``"sqlite"`` or ``"my_package.storage.MyRunStorage"``."""
        return self.name if self.name is not None else f"{self.module}.{self.class_name}"


class ComponentContext:
    """What a part gets when it is built: the instance's home, and objects parts share.

    Attributes:
        home: The instance's folder (``$HEADWATER_HOME``).
        where: How messages name the settings (the path of ``headwater.yaml``).
    """

    def __init__(self, home: str, where: str) -> None:
        self.home = home
        self.where = where
        self._shared: dict[Any, Any] = {}

    def shared(self, key: Any, factory: Callable[[], _T]) -> _T:
        """The object parts share under ``key`` (e.g. one database), made on first request.

        Objects with a ``dispose()`` method are disposed with the instance.
        """
        if key not in self._shared:
            self._shared[key] = factory()
        return self._shared[key]

    def dispose(self) -> None:
        """Dispose every shared object."""
        for value in self._shared.values():
            dispose = getattr(value, "dispose", None)
            if dispose is not None:
                dispose()
        self._shared.clear()


def build_component(spec: ComponentSpec, context: ComponentContext) -> Any:
    """Import the part's class, validate its config and build it."""
    cls = component_class(spec, context.where)
    schema_of = getattr(cls, "config_schema", None)
    build = getattr(cls, "from_config", None)
    if schema_of is None or build is None:
        raise HeadwaterInstanceError(
            f"{spec.kind} {spec.describe()} in {context.where} is not a configurable class: "
            "it needs the class methods config_schema() and from_config(config, context).")
    result = process_config(schema_of(), dict(spec.config))
    if not result.success:
        raise HeadwaterInstanceConfigError(
            f"Invalid config for {spec.kind} {spec.describe()} in {context.where}:",
            result.errors, spec.config)
    return build(result.value, context)


def named_components(kind: str) -> Mapping[str, type]:
    """The classes installed plugins register for ``kind``, by name."""
    from headwater.plugins import get_plugin_manager

    return get_plugin_manager().registry.instance_components.get(kind, {})


def component_class(spec: ComponentSpec, where: str) -> type:
    """The class a spec names (imported now)."""
    if spec.name is not None:
        available = named_components(spec.kind)
        found = available.get(spec.name)
        if found is not None:
            return found
        raise HeadwaterInstanceError(
            f'Unknown {spec.kind} "{spec.name}" in {where}.{_hint(spec.name, available)} '
            f"Installed names: {', '.join(sorted(available)) or 'none'}; or give a class as "
            "{module: ..., class: ..., config: {...}}.")
    module_name, class_name = spec.module or "", spec.class_name or ""
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise HeadwaterInstanceError(
            f'{spec.kind} {spec.describe()} in {where} needs the module "{module_name}", '
            f"which could not be imported ({error}). Is the package that provides it "
            "installed?") from error
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise HeadwaterInstanceError(
            f'{spec.kind} in {where} names the class "{class_name}", which the module '
            f'"{module_name}" does not define.')
    return cls


def _hint(name: str, available: Mapping[str, type]) -> str:
    """A close installed name, else the package that provides ``name``, if one does."""
    from headwater.plugins.known import install_hint, provider_of

    guess = suggest(name, list(available))
    if guess:
        return f' Did you mean "{guess}"?'
    return f" {install_hint(name)}" if provider_of(name) is not None else ""
