"""Composition functions: the bodies of ``@pipeline`` and ``@composite_solid``.

Inside a composition function, calling a solid records an invocation (a node) instead of
computing anything; the arguments passed name the upstream outputs its inputs depend on.
The call returns handles to the node's outputs, to pass on to other solids.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from headwater.definitions.dependency import (
    AnyDependency,
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
    Node,
)
from headwater.definitions.hook import HookDefinition
from headwater.definitions.input_output import InputDefinition, InputMapping, InputPointer
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.utils import check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError, HeadwaterInvariantViolationError

_local = threading.local()


def current_composition() -> CompositionContext | None:
    """The composition function being run in this thread, if any."""
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None


class InvokedSolidOutputHandle:
    """A solid's output inside a composition function: pass it to another solid's input."""

    __slots__ = ("output_name", "solid_name")

    def __init__(self, solid_name: str, output_name: str) -> None:
        self.solid_name = solid_name
        self.output_name = output_name

    def collect(self) -> InvokedCollect:
        """Gather every mapped value of this output (of a solid inside ``.map``) into a list."""
        return InvokedCollect(self.solid_name, self.output_name)

    def map(self, fn: Callable[..., Any]) -> Any:
        raise HeadwaterInvalidDefinitionError(
            f'Output "{self.output_name}" of solid "{self.solid_name}" is not dynamic, so it '
            "cannot be mapped. Only a DynamicOutputDefinition can be mapped."
        )

    def __iter__(self) -> Any:
        raise HeadwaterInvariantViolationError(
            f'Output "{self.output_name}" of solid "{self.solid_name}" is a single handle and '
            "cannot be unpacked. Did you mean to unpack a solid with several outputs?"
        )

    def __repr__(self) -> str:
        return f"<output {self.output_name!r} of solid {self.solid_name!r}>"


class InvokedSolidDynamicOutputWrapper:
    """A dynamic output inside a composition function: ``.map(fn)`` or ``.collect()`` it."""

    __slots__ = ("output_name", "solid_name")

    def __init__(self, solid_name: str, output_name: str) -> None:
        self.solid_name = solid_name
        self.output_name = output_name

    def map(self, fn: Callable[[InvokedSolidOutputHandle], Any]) -> Any:
        """Invoke downstream solids once per mapping key: ``fn`` receives the value's handle
        and calls solids with it. Returns what ``fn`` returns (handles you can ``.collect()``)."""
        return fn(InvokedSolidOutputHandle(self.solid_name, self.output_name))

    def collect(self) -> InvokedCollect:
        """All values of the dynamic output, as one list input."""
        return InvokedCollect(self.solid_name, self.output_name)

    def __iter__(self) -> Any:
        raise HeadwaterInvariantViolationError(
            f'Dynamic output "{self.output_name}" of solid "{self.solid_name}" cannot be '
            "iterated or indexed in a composition function: use .map(fn) or .collect()."
        )

    def __getitem__(self, item: Any) -> Any:
        return self.__iter__()


class InvokedCollect:
    """``.collect()`` of a mapped or dynamic output: an input fed every mapped value."""

    __slots__ = ("output_name", "solid_name")

    def __init__(self, solid_name: str, output_name: str) -> None:
        self.solid_name = solid_name
        self.output_name = output_name


class CompositeInputHandle:
    """A composite's own input inside its composition function."""

    __slots__ = ("input_def",)

    def __init__(self, input_def: InputDefinition) -> None:
        self.input_def = input_def


class CompositionContext:
    """Collects the nodes and dependencies a composition function creates."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.nodes: dict[str, Node] = {}
        self.dependencies: dict[str, dict[str, AnyDependency]] = {}
        self.input_mappings: list[InputMapping] = []
        self._uses: dict[str, int] = {}

    def __enter__(self) -> CompositionContext:
        stack = getattr(_local, "stack", None)
        if stack is None:
            stack = _local.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _local.stack.pop()

    def _node_name(self, definition: Any, alias: str | None) -> str:
        if alias is not None:
            if alias in self.nodes:
                raise HeadwaterInvalidDefinitionError(
                    f'{self.owner}: the alias "{alias}" is used by two solids.'
                )
            return alias
        uses = self._uses.get(definition.name, 0) + 1
        self._uses[definition.name] = uses
        name = definition.name if uses == 1 else f"{definition.name}_{uses}"
        while name in self.nodes:
            uses += 1
            self._uses[definition.name] = uses
            name = f"{definition.name}_{uses}"
        return name

    def invoke(self, definition: Any, alias: str | None, tags: Mapping[str, Any] | None,
               hook_defs: Iterable[HookDefinition], retry_policy: RetryPolicy | None,
               args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
        """Record one invocation of ``definition`` and return handles to its outputs."""
        name = self._node_name(definition, alias)
        node = Node(name, definition, tags, hook_defs, retry_policy)
        bindings = self._bind_arguments(definition, name, args, kwargs)
        self.nodes[name] = node
        deps: dict[str, AnyDependency] = {}
        for input_name, value in bindings.items():
            dep = self._dependency_for(name, input_name, value)
            if dep is not None:
                deps[input_name] = dep
        if deps:
            self.dependencies[name] = deps
        return _output_handles(name, definition)

    def _bind_arguments(self, definition: Any, node_name: str, args: tuple[Any, ...],
                        kwargs: Mapping[str, Any]) -> dict[str, Any]:
        positional = definition.positional_inputs
        if len(args) > len(positional):
            raise HeadwaterInvalidDefinitionError(
                f'{self.owner}: solid "{node_name}" was called with {len(args)} positional '
                f"arguments but has {len(positional)} inputs ({positional})."
            )
        bindings = dict(zip(positional, args, strict=False))
        for input_name, value in kwargs.items():
            if input_name not in definition.input_dict:
                raise HeadwaterInvalidDefinitionError(
                    f'{self.owner}: solid "{node_name}" was called with argument '
                    f'"{input_name}", which is not one of its inputs '
                    f"({sorted(definition.input_dict) or 'none'})."
                )
            if input_name in bindings:
                raise HeadwaterInvalidDefinitionError(
                    f'{self.owner}: input "{input_name}" of solid "{node_name}" was given '
                    "twice (positionally and by name)."
                )
            bindings[input_name] = value
        return bindings

    def _dependency_for(self, node_name: str, input_name: str, value: Any
                        ) -> AnyDependency | None:
        if isinstance(value, InvokedSolidOutputHandle):
            return DependencyDefinition(value.solid_name, value.output_name)
        if isinstance(value, InvokedCollect):
            return DynamicCollectDependencyDefinition(value.solid_name, value.output_name)
        if isinstance(value, CompositeInputHandle):
            self.input_mappings.append(
                InputMapping(value.input_def, InputPointer(node_name, input_name)))
            return None
        if isinstance(value, (list, tuple)) and not isinstance(value, InvokedSolidOutputHandle):
            deps = []
            for item in value:
                if not isinstance(item, InvokedSolidOutputHandle):
                    raise HeadwaterInvalidDefinitionError(
                        f'{self.owner}: input "{input_name}" of solid "{node_name}" fans in a '
                        f"list that contains {item!r}; every item must be the output of "
                        "another solid."
                    )
                deps.append(DependencyDefinition(item.solid_name, item.output_name))
            return MultiDependencyDefinition(deps)
        if isinstance(value, InvokedSolidDynamicOutputWrapper):
            raise HeadwaterInvalidDefinitionError(
                f'{self.owner}: input "{input_name}" of solid "{node_name}" was given the dynamic '
                f'output "{value.output_name}" of "{value.solid_name}" directly. Use '
                ".map(fn) to run the solid per value, or .collect() to pass all values as a list."
            )
        raise HeadwaterInvalidDefinitionError(
            f'{self.owner}: input "{input_name}" of solid "{node_name}" was given '
            f"{value!r} ({type(value).__name__}). In a composition function, inputs must be "
            "outputs of other solids; give constant values through config or default_value."
        )


def _output_handles(node_name: str, definition: Any) -> Any:
    outputs = definition.output_defs
    if not outputs:
        return None
    handles = [
        (InvokedSolidDynamicOutputWrapper if out.is_dynamic else InvokedSolidOutputHandle)(
            node_name, out.name)
        for out in outputs
    ]
    if len(handles) == 1:
        return handles[0]
    return _handle_tuple(tuple(out.name for out in outputs))(*handles)


_HANDLE_TUPLES: dict[tuple[str, ...], Any] = {}


def _handle_tuple(names: tuple[str, ...]) -> Any:
    cls = _HANDLE_TUPLES.get(names)
    if cls is None:
        cls = _HANDLE_TUPLES[names] = namedtuple("_Outputs", names)  # type: ignore[misc]
    return cls


class PendingNodeInvocation:
    """A solid with an alias, tags, hooks or a retry policy for its next invocation.

    Returned by ``solid.alias("x")``, ``.tag({...})``, ``.with_hooks({...})`` and
    ``.with_retry_policy(policy)``; chainable, and called like the solid itself.
    """

    __slots__ = ("alias_name", "definition", "hook_defs", "retry_policy", "tags")

    def __init__(self, definition: Any, alias_name: str | None = None,
                 tags: Mapping[str, Any] | None = None,
                 hook_defs: frozenset[HookDefinition] = frozenset(),
                 retry_policy: RetryPolicy | None = None) -> None:
        self.definition = definition
        self.alias_name = alias_name
        self.tags = dict(tags or {})
        self.hook_defs = hook_defs
        self.retry_policy = retry_policy

    def alias(self, name: str) -> PendingNodeInvocation:
        return PendingNodeInvocation(self.definition, check_valid_name(name, "alias"),
                                     self.tags, self.hook_defs, self.retry_policy)

    def tag(self, tags: Mapping[str, Any]) -> PendingNodeInvocation:
        return PendingNodeInvocation(self.definition, self.alias_name, {**self.tags, **tags},
                                     self.hook_defs, self.retry_policy)

    def with_hooks(self, hook_defs: Iterable[HookDefinition]) -> PendingNodeInvocation:
        return PendingNodeInvocation(self.definition, self.alias_name, self.tags,
                                     self.hook_defs | frozenset(hook_defs), self.retry_policy)

    def with_retry_policy(self, retry_policy: RetryPolicy) -> PendingNodeInvocation:
        return PendingNodeInvocation(self.definition, self.alias_name, self.tags,
                                     self.hook_defs, retry_policy)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        composition = current_composition()
        if composition is None:
            return self.definition(*args, **kwargs)
        return composition.invoke(self.definition, self.alias_name, self.tags, self.hook_defs,
                                  self.retry_policy, args, kwargs)


class InvocableNode:
    """Mixin for definitions that can be invoked in a composition function."""

    def alias(self, name: str) -> PendingNodeInvocation:
        """Invoke this definition under another name: ``add_one.alias("add_two")(x)``."""
        return PendingNodeInvocation(self, check_valid_name(name, "alias"))

    def tag(self, tags: Mapping[str, Any]) -> PendingNodeInvocation:
        """Invoke this definition with extra tags."""
        return PendingNodeInvocation(self, tags=tags)

    def with_hooks(self, hook_defs: Iterable[HookDefinition]) -> PendingNodeInvocation:
        """Invoke this definition with hooks run after its step."""
        return PendingNodeInvocation(self, hook_defs=frozenset(hook_defs))

    def with_retry_policy(self, retry_policy: RetryPolicy) -> PendingNodeInvocation:
        """Invoke this definition with a retry policy of its own."""
        return PendingNodeInvocation(self, retry_policy=retry_policy)

    def _invoke_in_composition(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
        composition = current_composition()
        assert composition is not None
        return composition.invoke(self, None, None, (), None, args, kwargs)
