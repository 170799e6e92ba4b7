"""Resolving a mode for a run: names given as strings (resources, IO managers, executors,
loggers) are looked up among what installed plugins register.

Plugins are loaded here, on first use, not when ``headwater`` is imported.
"""

from __future__ import annotations

from typing import Any

from headwater.definitions.executor import ExecutorDefinition
from headwater.definitions.mode import ModeDefinition
from headwater.definitions.resource import ResourceDefinition
from headwater.definitions.run_config import ResolvedMode
from headwater.errors import HeadwaterInvalidDefinitionError


def _registry() -> Any:
    # Imported here so that importing headwater never loads a plugin.
    from headwater.plugins.manager import get_plugin_manager

    return get_plugin_manager().registry


def _unknown(kind: str, key: str, name: str, mode: ModeDefinition, available: Any) -> Exception:
    from headwater.plugins.known import install_hint

    return HeadwaterInvalidDefinitionError(
        f'Mode "{mode.name}" binds {kind} "{key}" to "{name}", but no installed plugin '
        f'provides a {kind} named "{name}". {install_hint(name)} '
        f"(Installed: {', '.join(sorted(available)) or 'none'}.)"
    )


def resolve_mode(mode: ModeDefinition) -> ResolvedMode:
    """The mode with every plugin-provided name replaced by its definition."""
    needs_registry = (not mode.executors_given
                      or any(isinstance(d, str) for d in mode.resource_defs.values())
                      or any(isinstance(d, str) for d in mode.logger_defs.values())
                      or any(isinstance(d, str) for d in mode.executor_defs))
    registry = _registry() if needs_registry else None
    resource_defs: dict[str, ResourceDefinition] = {}
    for key, definition in mode.resource_defs.items():
        if isinstance(definition, str):
            found = registry.resources.get(definition) or registry.io_managers.get(definition)
            if found is None:
                raise _unknown("resource", key, definition, mode,
                               [*registry.resources, *registry.io_managers])
            definition = found
        resource_defs[key] = definition
    logger_defs: dict[str, Any] = {}
    for key, definition in mode.logger_defs.items():
        if isinstance(definition, str):
            found = registry.loggers.get(definition)
            if found is None:
                raise _unknown("logger", key, definition, mode, registry.loggers)
            definition = found
        logger_defs[key] = definition
    if mode.executors_given:
        executor_defs: list[ExecutorDefinition] = []
        for definition in mode.executor_defs:
            if isinstance(definition, str):
                found = registry.executors.get(definition)
                if found is None:
                    raise _unknown("executor", definition, definition, mode, registry.executors)
                definition = found
            executor_defs.append(definition)
    else:
        executor_defs = list(registry.executors.values())
    return ResolvedMode(mode, resource_defs, executor_defs, logger_defs)
