"""Resolving a mode for a run: resource and executor names given as strings are looked up
among the definitions installed plugins register."""

from __future__ import annotations

from headwater.definitions.mode import ModeDefinition
from headwater.definitions.resource import ResourceDefinition
from headwater.definitions.run_config import ResolvedMode
from headwater.errors import HeadwaterInvalidDefinitionError


def resolve_mode(mode: ModeDefinition) -> ResolvedMode:
    """The mode with every resource a definition, and its executors."""
    resource_defs: dict[str, ResourceDefinition] = {}
    for key, definition in mode.resource_defs.items():
        if isinstance(definition, str):
            raise HeadwaterInvalidDefinitionError(
                f'Mode "{mode.name}" binds resource "{key}" to "{definition}", but no installed '
                f'plugin provides a resource named "{definition}". Install the package that '
                "provides it (e.g. pip install 'headwater[<integration>]')."
            )
        resource_defs[key] = definition
    return ResolvedMode(mode, resource_defs, list(mode.executor_defs))
