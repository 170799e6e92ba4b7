"""Solids: typed, configurable units of computation.

``@solid`` turns a function into a SolidDefinition, inferring inputs from its parameters
and the output from its return annotation. Inside a composition function, calling the
solid records an invocation; anywhere else it calls the function (direct invocation, for
unit tests).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from headwater.definitions.composition import InvocableNode, current_composition
from headwater.definitions.configurable import ConfigurableDefinition, config_field_for
from headwater.definitions.input_output import (
    InputDefinition,
    OutputDefinition,
    check_unique_names,
)
from headwater.definitions.resource import check_resource_keys
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.utils import (
    CONTEXT_PARAM_NAMES,
    NO_VALUE,
    check_valid_name,
    normalize_tags,
)
from headwater.errors import HeadwaterInvalidDefinitionError, HeadwaterInvalidInvocationError


class SolidDefinition(ConfigurableDefinition, InvocableNode):
    """A unit of computation with typed inputs and outputs.

    Usually built with ``@solid``. Built directly, ``compute_fn(context, inputs)`` receives
    the context and a dict of input values, and returns or yields its outputs.

    Args:
        name: The solid's name.
        input_defs: Its inputs.
        compute_fn: ``fn(context, inputs: dict)``.
        output_defs: Its outputs.
        config_schema: Schema of ``solids.<name>.config`` (None: the solid takes no config,
            and config given to it is an error).
        description: A human-readable description.
        tags: Tags of the solid (e.g. ``{"kind": "sql"}``, ``{"headwater/priority": "5"}``).
        required_resource_keys: Resources available on ``context.resources``.
        version: The version of the computation, for memoization.
        retry_policy: How failures of this solid are retried.
    """

    is_composite = False

    def __init__(self, name: str, input_defs: Sequence[InputDefinition],
                 compute_fn: Callable[..., Any], output_defs: Sequence[OutputDefinition],
                 config_schema: Any = None, description: str | None = None,
                 tags: Mapping[str, Any] | None = None,
                 required_resource_keys: Iterable[str] | None = None,
                 version: str | None = None, retry_policy: RetryPolicy | None = None,
                 _doc: str | None = None) -> None:
        self.name = check_valid_name(name, "solid name")
        if _doc is not None:
            # The decorated function's docstring is the solid's (help(), documentation
            # tools).
            self.__doc__ = _doc
        where = f'solid "{name}"'
        self.input_defs: list[InputDefinition] = list(input_defs or [])
        self.output_defs: list[OutputDefinition] = list(output_defs or [])
        check_unique_names(self.input_defs, "input", f"Solid {name!r}")
        check_unique_names(self.output_defs, "output", f"Solid {name!r}")
        self.input_dict = {d.name: d for d in self.input_defs}
        self.output_dict = {d.name: d for d in self.output_defs}
        if not callable(compute_fn):
            raise HeadwaterInvalidDefinitionError(f"{where} needs a callable compute_fn.")
        self.compute_fn = compute_fn
        self.config_schema = config_schema
        self.config_field = config_field_for(config_schema, where)
        self.description = description
        self.tags = normalize_tags(tags, where, allow_reserved=True)
        self.required_resource_keys = check_resource_keys(required_resource_keys, where)
        self.version = version
        if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
            raise HeadwaterInvalidDefinitionError(
                f"retry_policy of {where} must be a RetryPolicy, received {retry_policy!r}."
            )
        self.retry_policy = retry_policy

    @property
    def positional_inputs(self) -> list[str]:
        return [d.name for d in self.input_defs]

    def has_input(self, name: str) -> bool:
        return name in self.input_dict

    def input_def_named(self, name: str) -> InputDefinition:
        return self.input_dict[name]

    def has_output(self, name: str) -> bool:
        return name in self.output_dict

    def output_def_named(self, name: str) -> OutputDefinition:
        return self.output_dict[name]

    @property
    def has_dynamic_outputs(self) -> bool:
        return any(d.is_dynamic for d in self.output_defs)

    def _copy_for_configured(self, config_schema: Any, description: str | None,
                             name: str | None) -> SolidDefinition:
        if not name:
            raise HeadwaterInvalidDefinitionError(
                f'configured() of solid "{self.name}" needs a name for the new solid: '
                f'{self.name}.configured(config, "new_name").'
            )
        return self._copy_with(name=check_valid_name(name, "solid name"),
                               config_schema=config_schema,
                               config_field=config_field_for(config_schema, f'solid "{name}"'),
                               description=description)

    def configured(self, config_or_config_fn: Any, name: str, config_schema: Any = None,
                   description: str | None = None) -> SolidDefinition:
        """A new solid named ``name`` whose config is fixed, or mapped from a new schema.

        Example:
            >>> load_orders = load_table.configured({"table": "orders"}, "load_orders")
        """
        return self._configured(config_or_config_fn, config_schema, description, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if current_composition() is not None:
            return self._invoke_in_composition(args, kwargs)
        return invoke_solid_directly(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<SolidDefinition {self.name!r}>"


class DecoratedSolidFunction:
    """The user's function behind ``@solid``: knows whether it takes a context and which
    parameters are inputs, and calls it with ``(context, inputs)``."""

    __slots__ = ("fn", "has_context", "input_names", "is_async_gen", "is_coroutine",
                 "takes_kwargs")

    def __init__(self, fn: Callable[..., Any], has_context: bool, input_names: list[str],
                 takes_kwargs: bool) -> None:
        self.fn = fn
        self.has_context = has_context
        self.input_names = input_names
        self.takes_kwargs = takes_kwargs
        self.is_coroutine = inspect.iscoroutinefunction(fn)
        self.is_async_gen = inspect.isasyncgenfunction(fn)

    def __call__(self, context: Any, inputs: Mapping[str, Any]) -> Any:
        kwargs = inputs if self.takes_kwargs else {n: inputs[n] for n in self.input_names
                                                   if n in inputs}
        result = self.fn(context, **kwargs) if self.has_context else self.fn(**kwargs)
        if self.is_coroutine:
            return _run_coroutine(result)
        if self.is_async_gen:
            return _drain_async_generator(result)
        return result


def _run_coroutine(coroutine: Any) -> Any:
    # asyncio is imported on first use: it costs ~20 ms, a third of `import headwater`.
    import asyncio

    return asyncio.run(coroutine)


def _drain_async_generator(agen: AsyncIterator[Any]) -> Iterator[Any]:
    # A generator itself, so that execution treats it as a stream of events like any
    # generator solid.
    import asyncio

    async def collect() -> list[Any]:
        return [item async for item in agen]

    yield from asyncio.run(collect())


_ITERATOR_ORIGINS = {Iterator, Iterable, typing.Generator, AsyncIterator,
                     typing.AsyncGenerator, typing.Iterator, typing.Iterable,
                     typing.AsyncIterator}


def _return_hint(hints: Mapping[str, Any]) -> Any:
    """The type of the single output from the return annotation (None for generators)."""
    hint = hints.get("return", NO_VALUE)
    if hint is NO_VALUE or hint is inspect.Signature.empty:
        return None
    origin = typing.get_origin(hint) or hint
    if origin in _ITERATOR_ORIGINS or hint is None or hint is type(None):
        return None
    return hint


def _type_hints(fn: Callable[..., Any], where: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception as error:  # a hint that names something not importable here
        raise HeadwaterInvalidDefinitionError(
            f"The type hints of {where} cannot be resolved ({error}). Make the types they "
            "name importable at module level, or give explicit input_defs/output_defs."
        ) from error


def infer_inputs(fn: Callable[..., Any], where: str, explicit: Sequence[InputDefinition] | None,
                 allow_context: bool, hints: Mapping[str, Any]
                 ) -> tuple[list[InputDefinition], bool, list[str], bool]:
    """Inputs from a function's signature merged with explicit definitions (explicit wins).

    Returns the inputs, whether the function takes a context, the names of the parameters
    that are inputs, and whether it takes ``**kwargs``.
    """
    params = list(inspect.signature(fn).parameters.values())
    has_context = bool(allow_context and params and params[0].name in CONTEXT_PARAM_NAMES
                       and params[0].kind != inspect.Parameter.VAR_KEYWORD)
    if has_context:
        params = params[1:]
    explicit_by_name = {d.name: d for d in explicit or []}
    inputs: list[InputDefinition] = []
    input_names: list[str] = []
    takes_kwargs = False
    for param in params:
        if param.kind == inspect.Parameter.VAR_POSITIONAL:
            raise HeadwaterInvalidDefinitionError(
                f"{where} takes *{param.name}; solid inputs must be named parameters."
            )
        if param.kind == inspect.Parameter.VAR_KEYWORD:
            takes_kwargs = True
            continue
        if param.name in CONTEXT_PARAM_NAMES:
            raise HeadwaterInvalidDefinitionError(
                f'{where}: the parameter "{param.name}" names a context, so it must come first.'
            )
        inferred = InputDefinition(
            param.name, hints.get(param.name),
            default_value=NO_VALUE if param.default is param.empty else param.default,
        )
        given = explicit_by_name.pop(param.name, None)
        definition = given.merged_with_inferred(inferred) if given is not None else inferred
        if definition.is_nothing:
            raise HeadwaterInvalidDefinitionError(
                f'{where}: input "{param.name}" is of type Nothing, which carries no value, so '
                "it must not be a parameter of the function."
            )
        inputs.append(definition)
        input_names.append(param.name)
    for name, definition in explicit_by_name.items():
        if not definition.is_nothing and not takes_kwargs:
            raise HeadwaterInvalidDefinitionError(
                f'{where}: input "{name}" has no parameter of that name in the function. Add '
                f"the parameter, or make the input of type Nothing."
            )
        inputs.append(definition)
    return inputs, has_context, input_names, takes_kwargs


def _outputs(fn: Callable[..., Any], hints: Mapping[str, Any],
             output_defs: Sequence[OutputDefinition] | None) -> list[OutputDefinition]:
    return_hint = _return_hint(hints)
    if output_defs is None:
        return [OutputDefinition(return_hint)]
    outputs = list(output_defs)
    if len(outputs) == 1:
        outputs[0] = outputs[0].merged_with_inferred(return_hint)
    return outputs


def _make_solid(fn: Callable[..., Any], name: str | None, description: str | None,
                input_defs: Sequence[InputDefinition] | None,
                output_defs: Sequence[OutputDefinition] | None, config_schema: Any,
                required_resource_keys: Iterable[str] | None, tags: Mapping[str, Any] | None,
                version: str | None, retry_policy: RetryPolicy | None,
                allow_context: bool) -> SolidDefinition:
    solid_name = name or fn.__name__
    where = f'solid "{solid_name}"'
    hints = _type_hints(fn, where)
    inputs, has_context, input_names, takes_kwargs = infer_inputs(
        fn, where, input_defs, allow_context, hints)
    if config_schema is not None and not has_context:
        raise HeadwaterInvalidDefinitionError(
            f"{where} declares a config_schema, so its function must take a context as its "
            "first parameter (named context) to read context.solid_config."
        )
    compute = DecoratedSolidFunction(fn, has_context, input_names, takes_kwargs)
    return SolidDefinition(
        name=solid_name, input_defs=inputs, compute_fn=compute,
        output_defs=_outputs(fn, hints, output_defs), config_schema=config_schema,
        description=description or inspect.getdoc(fn), tags=tags,
        required_resource_keys=required_resource_keys, version=version,
        retry_policy=retry_policy, _doc=fn.__doc__,
    )


def solid(name: Any = None, description: str | None = None,
          input_defs: Sequence[InputDefinition] | None = None,
          output_defs: Sequence[OutputDefinition] | None = None, config_schema: Any = None,
          required_resource_keys: Iterable[str] | None = None,
          tags: Mapping[str, Any] | None = None, version: str | None = None,
          retry_policy: RetryPolicy | None = None) -> Any:
    """Define a solid from a function; usable bare (``@solid``) or called (``@solid(...)``).

    The first parameter is the context if it is named ``context`` (or ``_``, ``_context``,
    ``context_``); the other parameters are inputs, typed by their hints. The function returns
    its single output's value, or returns/yields ``Output`` values and events.

    Example:
        >>> @solid(config_schema={"factor": int})
        ... def scale(context, numbers: list) -> list:
        ...     return [n * context.solid_config["factor"] for n in numbers]
    """
    if callable(name):
        return _make_solid(name, None, None, None, None, None, None, None, None, None, True)

    def decorator(fn: Callable[..., Any]) -> SolidDefinition:
        return _make_solid(fn, name, description, input_defs, output_defs, config_schema,
                           required_resource_keys, tags, version, retry_policy, True)

    return decorator


def lambda_solid(name: Any = None, description: str | None = None,
                 input_defs: Sequence[InputDefinition] | None = None,
                 output_def: OutputDefinition | None = None) -> Any:
    """Define a solid from a function of its inputs only: no context, no config, one output."""
    if callable(name):
        return _make_solid(name, None, None, None, None, None, None, None, None, None, False)

    def decorator(fn: Callable[..., Any]) -> SolidDefinition:
        return _make_solid(fn, name, description, input_defs,
                           [output_def] if output_def is not None else None, None, None, None,
                           None, None, False)

    return decorator


def invoke_solid_directly(definition: SolidDefinition, args: tuple[Any, ...],
                          kwargs: Mapping[str, Any]) -> Any:
    """Run a solid's function outside any pipeline (unit tests).

    A solid that takes a context gets it as the first argument (from
    ``build_solid_context(...)``, or None for an empty one); config and resources on the
    context are checked against what the solid declares.
    """
    compute = definition.compute_fn
    if not isinstance(compute, DecoratedSolidFunction):
        raise HeadwaterInvalidInvocationError(
            f'Solid "{definition.name}" was built from SolidDefinition(compute_fn=...), which '
            "cannot be invoked directly; use execute_solid."
        )
    args = tuple(args)
    context = None
    if compute.has_context:
        if not args:
            raise HeadwaterInvalidInvocationError(
                f'Solid "{definition.name}" takes a context: call it as '
                f"{definition.name}(build_solid_context(...), ...) or with None first."
            )
        context, args = args[0], args[1:]
        context = _bind_direct_context(definition, context)
    elif args and _is_solid_context(args[0]):
        raise HeadwaterInvalidInvocationError(
            f'Solid "{definition.name}" takes no context, but one was passed as its first '
            "argument."
        )
    names = compute.input_names
    if len(args) > len(names):
        raise HeadwaterInvalidInvocationError(
            f'Solid "{definition.name}" takes {len(names)} inputs ({names}) but was called with '
            f"{len(args)} positional values."
        )
    inputs = dict(zip(names, args, strict=False))
    for key, value in kwargs.items():
        if key not in definition.input_dict and not compute.takes_kwargs:
            raise HeadwaterInvalidInvocationError(
                f'Solid "{definition.name}" has no input "{key}" (inputs: {names}).'
            )
        inputs[key] = value
    for input_def in definition.input_defs:
        if input_def.name not in inputs and not input_def.is_nothing:
            if input_def.has_default_value:
                inputs[input_def.name] = input_def.default_value
            elif input_def.name in names:
                raise HeadwaterInvalidInvocationError(
                    f'Solid "{definition.name}" was called without a value for input '
                    f'"{input_def.name}".'
                )
    fn = compute.fn
    kwargs_in = {k: v for k, v in inputs.items() if k in names or compute.takes_kwargs}
    result = fn(context, **kwargs_in) if compute.has_context else fn(**kwargs_in)
    if compute.is_coroutine:
        return _run_coroutine(result)
    return result


def _is_solid_context(value: Any) -> bool:
    return hasattr(value, "_bind_for_direct_invocation")


# The execution layer, which defines contexts, registers how to build an empty one, so
# that ``my_solid(None, ...)`` works without this layer importing a higher one.
_empty_context_factory: list[Callable[[], Any]] = []


def register_empty_context_factory(factory: Callable[[], Any]) -> None:
    """Called by the execution layer with ``build_solid_context``."""
    _empty_context_factory[:] = [factory]


def _bind_direct_context(definition: SolidDefinition, context: Any) -> Any:
    if context is None and _empty_context_factory:
        context = _empty_context_factory[0]()
    if not _is_solid_context(context):
        raise HeadwaterInvalidInvocationError(
            f'The first argument to solid "{definition.name}" must be a context from '
            f"build_solid_context(...), received {context!r}."
        )
    return context._bind_for_direct_invocation(definition)
