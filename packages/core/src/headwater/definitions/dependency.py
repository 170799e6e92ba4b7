"""How solids are wired together: dependency definitions and invocations (nodes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.definitions.hook import HookDefinition
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.utils import DEFAULT_OUTPUT, check_valid_name, normalize_tags
from headwater.errors import HeadwaterInvalidDefinitionError


@dataclass(frozen=True)
class DependencyDefinition:
    """An input fed by the output ``output`` of the solid named ``solid``."""

    solid: str
    output: str = DEFAULT_OUTPUT
    description: str | None = None


@dataclass(frozen=True)
class DynamicCollectDependencyDefinition:
    """An input fed by every mapped value of ``solid``'s ``output``, as one list (fan-in of a
    dynamic fan-out; what ``.collect()`` builds in a composition function)."""

    solid: str
    output: str = DEFAULT_OUTPUT
    description: str | None = None


@dataclass(frozen=True)
class MultiDependencyDefinition:
    """An input fed by several upstream outputs (fan-in): its type must be a List or Nothing."""

    dependencies: Sequence[DependencyDefinition]

    def __post_init__(self) -> None:
        deps = tuple(self.dependencies)
        for dep in deps:
            if not isinstance(dep, DependencyDefinition):
                raise HeadwaterInvalidDefinitionError(
                    f"MultiDependencyDefinition takes DependencyDefinitions, received {dep!r}."
                )
        object.__setattr__(self, "dependencies", deps)


AnyDependency = DependencyDefinition | MultiDependencyDefinition | DynamicCollectDependencyDefinition


@dataclass(frozen=True)
class SolidInvocation:
    """A use of a solid definition in a pipeline: used as a key of ``dependencies`` to alias,
    tag, hook or retry one use of a definition.

    Args:
        name: The name of the solid definition.
        alias: The node's name in the pipeline (default: ``name``).
        tags: Tags merged over the definition's.
        hook_defs: Hooks run after this node's step.
        retry_policy: Overrides the definition's and the pipeline's retry policy.
    """

    name: str
    alias: str | None = None
    # Left out of the hash (a dict is unhashable): an invocation is a dependencies key.
    tags: Mapping[str, Any] | None = field(default=None, hash=False)
    hook_defs: frozenset[HookDefinition] = field(default_factory=frozenset)
    retry_policy: RetryPolicy | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "hook_defs", frozenset(self.hook_defs or ()))

    @property
    def node_name(self) -> str:
        return self.alias or self.name


class Node:
    """One invocation of a solid (or composite) definition inside a graph.

    Attributes:
        name: The node's name (the alias, or the definition's name).
        definition: The SolidDefinition or CompositeSolidDefinition invoked.
        tags: The definition's tags with the invocation's merged over them.
        hook_defs: Hooks attached to this invocation.
        retry_policy: The invocation's retry policy, if it set one.
    """

    __slots__ = ("definition", "hook_defs", "name", "retry_policy", "tags")

    def __init__(self, name: str, definition: Any, tags: Mapping[str, Any] | None = None,
                 hook_defs: Iterable[HookDefinition] = (),
                 retry_policy: RetryPolicy | None = None) -> None:
        self.name = check_valid_name(name, "solid name")
        self.definition = definition
        merged = dict(definition.tags)
        merged.update(normalize_tags(tags, f'solid "{name}"', allow_reserved=True))
        self.tags: dict[str, str] = merged
        self.hook_defs = frozenset(hook_defs)
        self.retry_policy = retry_policy

    @property
    def is_composite(self) -> bool:
        return getattr(self.definition, "is_composite", False)

    def __repr__(self) -> str:
        return f"Node({self.name!r}, {self.definition.name!r})"
