"""Modes: which implementation each resource key, logger and executor has in a run.

A pipeline has one or more modes (e.g. ``local``, ``test``, ``prod``); solids only name
resource keys, and the mode chosen for a run decides what those keys are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.definitions.executor import ExecutorDefinition
from headwater.definitions.io_manager import mem_io_manager
from headwater.definitions.logger import LoggerDefinition, colored_console_logger
from headwater.definitions.resource import ResourceDefinition
from headwater.definitions.utils import DEFAULT_IO_MANAGER_KEY, DEFAULT_MODE, check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError


class ModeDefinition:
    """One environment a pipeline can run in.

    Args:
        name: The mode's name (default ``"default"``).
        resource_defs: ``{key: ResourceDefinition}``; a value may also be the name of a
            resource registered by an installed plugin (e.g. ``"snowflake"``). An
            ``io_manager`` key is added with ``mem_io_manager`` when absent.
        logger_defs: ``{key: LoggerDefinition or plugin logger name}``; default
            ``{"console": colored_console_logger}``.
        executor_defs: The executors (definitions, or names plugins register) a run in this
            mode may select under ``execution:``; default: the in-process executor plus every
            executor installed plugins register.
        description: A human-readable description.

    Example:
        >>> ModeDefinition("test", resource_defs={"warehouse": in_memory_warehouse})
    """

    def __init__(self, name: str | None = None,
                 resource_defs: Mapping[str, ResourceDefinition | str] | None = None,
                 logger_defs: Mapping[str, LoggerDefinition | str] | None = None,
                 executor_defs: Sequence[ExecutorDefinition | str] | None = None,
                 description: str | None = None) -> None:
        self.name = check_valid_name(name or DEFAULT_MODE, "mode name")
        resources = dict(resource_defs or {})
        for key, definition in resources.items():
            if not isinstance(key, str) or not key.isidentifier():
                raise HeadwaterInvalidDefinitionError(
                    f'Resource key {key!r} in mode "{self.name}" is not a valid Python identifier.'
                )
            if not isinstance(definition, (ResourceDefinition, str)):
                raise HeadwaterInvalidDefinitionError(
                    f'Resource "{key}" in mode "{self.name}" must be a ResourceDefinition (or the '
                    f"name of a plugin resource), received {definition!r}."
                )
        resources.setdefault(DEFAULT_IO_MANAGER_KEY, mem_io_manager)
        self.resource_defs: dict[str, ResourceDefinition | str] = resources
        self.logger_defs: dict[str, LoggerDefinition | str] = dict(
            logger_defs or {"console": colored_console_logger})
        self.executors_given = executor_defs is not None
        # Not given: every installed executor (core's and plugins'), known when a run
        # resolves the mode.
        self.executor_defs: list[ExecutorDefinition | str] = list(executor_defs or [])
        if self.executors_given and not self.executor_defs:
            raise HeadwaterInvalidDefinitionError(
                f'Mode "{self.name}" lists no executors; list at least one (or leave '
                "executor_defs out to accept every installed executor)."
            )
        names = [e if isinstance(e, str) else e.name for e in self.executor_defs]
        if len(set(names)) != len(names):
            raise HeadwaterInvalidDefinitionError(
                f'Mode "{self.name}" lists two executors with the same name: {names}.'
            )
        self.description = description
        self._check_resource_dependencies()

    def _check_resource_dependencies(self) -> None:
        """Every resource's dependencies are in the mode, and they form no cycle."""
        defs = {k: d for k, d in self.resource_defs.items() if isinstance(d, ResourceDefinition)}
        for key, definition in defs.items():
            missing = sorted(definition.required_resource_keys - self.resource_defs.keys())
            if missing:
                raise HeadwaterInvalidDefinitionError(
                    f'Resource "{key}" in mode "{self.name}" requires resource(s) {missing}, '
                    "which the mode does not provide."
                )
        order_resource_keys(defs, defs.keys(), f'mode "{self.name}"')

    @property
    def resource_key_set(self) -> frozenset[str]:
        return frozenset(self.resource_defs)

    def __repr__(self) -> str:
        return f"ModeDefinition({self.name!r})"


def order_resource_keys(defs: Mapping[str, Any], keys: Any, where: str) -> list[str]:
    """``keys`` and everything they need, dependencies first; a cycle is an error.

    ``defs`` maps keys to objects with ``required_resource_keys`` (keys absent from it are
    leaves, e.g. plugin resources not yet resolved).
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done
    for root in sorted(keys):
        stack: list[tuple[str, list[str]]] = []
        if state.get(root) == 2:
            continue
        state[root] = 1
        deps = getattr(defs.get(root), "required_resource_keys", ())
        stack.append((root, sorted(deps)))
        while stack:
            key, pending = stack[-1]
            if pending:
                dep = pending.pop()
                if state.get(dep) == 1:
                    raise HeadwaterInvalidDefinitionError(
                        f'Resources of {where} depend on each other in a cycle through "{dep}".'
                    )
                if state.get(dep) != 2:
                    state[dep] = 1
                    stack.append((dep, sorted(getattr(defs.get(dep), "required_resource_keys",
                                                      ()))))
            else:
                stack.pop()
                state[key] = 2
                order.append(key)
    return order
