"""Resources: the outside world (databases, clients, file systems) bound per mode.

A resource function builds the resource from its config; if it is a generator, the code
after its single ``yield`` is the teardown, run when the scope that built it ends — also
when a step failed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, overload

from headwater.definitions.configurable import ConfigurableDefinition, config_field_for
from headwater.definitions.utils import positional_param_count
from headwater.errors import HeadwaterInvalidDefinitionError, HeadwaterUnknownResourceError

_F = TypeVar("_F", bound=Callable[..., Any])


def check_resource_keys(keys: Iterable[str] | None, where: str) -> frozenset[str]:
    """Resource keys are Python identifiers; return them as a frozenset."""
    if keys is None:
        return frozenset()
    if isinstance(keys, str):
        raise HeadwaterInvalidDefinitionError(
            f'required_resource_keys of {where} must be a set of keys, not the string "{keys}". '
            f'Did you mean {{"{keys}"}}?'
        )
    result = frozenset(keys)
    for key in result:
        if not isinstance(key, str) or not key.isidentifier():
            raise HeadwaterInvalidDefinitionError(
                f"Resource key {key!r} of {where} is not a valid Python identifier."
            )
    return result


class ResourceDefinition(ConfigurableDefinition):
    """How to build a resource.

    Args:
        resource_fn: ``fn(init_context) -> resource`` (the context parameter is optional).
            A generator function yields the resource once; code after the yield tears it down.
        config_schema: Schema of ``resources.<key>.config`` (None: any config).
        description: A human-readable description.
        required_resource_keys: Other resources this one needs (``init_context.resources``).
        version: A version string of the resource, for memoization.
    """

    def __init__(self, resource_fn: Callable[..., Any], config_schema: Any = None,
                 description: str | None = None,
                 required_resource_keys: Iterable[str] | None = None,
                 version: str | None = None) -> None:
        if not callable(resource_fn):
            raise HeadwaterInvalidDefinitionError(
                f"A resource needs a callable resource_fn, received {resource_fn!r}."
            )
        self.resource_fn = resource_fn
        self.config_schema = config_schema
        self.config_field = config_field_for(config_schema, f"resource {self._fn_name()}")
        self.description = description
        self.required_resource_keys = check_resource_keys(
            required_resource_keys, f"resource {self._fn_name()}")
        self.version = version
        self.takes_context = positional_param_count(resource_fn) >= 1
        self.is_generator = inspect.isgeneratorfunction(resource_fn)

    def _fn_name(self) -> str:
        return getattr(self.resource_fn, "__name__", type(self.resource_fn).__name__)

    @property
    def _frozen_function(self) -> Any:
        return self.resource_fn

    def _copy_for_configured(self, config_schema: Any, description: str | None,
                             name: str | None) -> ResourceDefinition:
        return self._clone(config_schema=config_schema, description=description)

    def _clone(self, **changes: Any) -> Any:
        """A copy of this definition with some constructor arguments changed."""
        fields: dict[str, Any] = {"_configured_from": None, "_config_mapper": None}
        if "config_schema" in changes:
            fields["config_schema"] = changes["config_schema"]
            fields["config_field"] = config_field_for(changes["config_schema"],
                                                      f"resource {self._fn_name()}")
        if "description" in changes:
            fields["description"] = changes["description"]
        return self._copy_with(**fields)

    def configured(self, config_or_config_fn: Any, config_schema: Any = None,
                   description: str | None = None) -> ResourceDefinition:
        """A resource with its config fixed, or mapped from a new outer schema.

        Example:
            >>> local_db = database.configured({"url": "sqlite://"})
        """
        return self._configured(config_or_config_fn, config_schema, description, None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the resource function directly (for tests)."""
        return self.resource_fn(*args, **kwargs)

    @staticmethod
    def none_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is None (a placeholder in a test mode)."""
        return ResourceDefinition.hardcoded_resource(None, description)

    @staticmethod
    def hardcoded_resource(value: Any, description: str | None = None) -> ResourceDefinition:
        """A resource that is always ``value``."""
        return ResourceDefinition(lambda: value, description=description)

    @staticmethod
    def mock_resource(description: str | None = None) -> ResourceDefinition:
        """A resource that is a fresh ``unittest.mock.MagicMock`` in every run: any
        attribute and call works, and a test can inspect the calls afterwards."""
        from unittest import mock  # imported here: only tests use it

        return ResourceDefinition(lambda: mock.MagicMock(), description=description)

    @staticmethod
    def string_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is the string given as its config."""
        return ResourceDefinition(lambda ctx: ctx.resource_config, config_schema=str,
                                  description=description)


@overload
def resource(config_schema: Callable[..., Any]) -> ResourceDefinition: ...
@overload
def resource(config_schema: Any = None, description: str | None = None,
             required_resource_keys: Iterable[str] | None = None,
             version: str | None = None) -> Callable[[Callable[..., Any]], ResourceDefinition]: ...


def resource(config_schema: Any = None, description: str | None = None,
             required_resource_keys: Iterable[str] | None = None,
             version: str | None = None) -> Any:
    """Define a resource from a function (``@resource`` bare or ``@resource(config_schema=...)``).

    Example:
        >>> @resource(config_schema={"url": str})
        ... def database(init_context):
        ...     conn = connect(init_context.resource_config["url"])
        ...     yield conn
        ...     conn.close()
    """
    if inspect.isfunction(config_schema):
        return ResourceDefinition(config_schema, description=config_schema.__doc__)

    def decorator(fn: Callable[..., Any]) -> ResourceDefinition:
        return ResourceDefinition(fn, config_schema, description or fn.__doc__,
                                  required_resource_keys, version)

    return decorator


def make_values_resource(**kwargs: Any) -> ResourceDefinition:
    """A resource whose value is its config: ``make_values_resource(date=str, limit=int)``."""
    return ResourceDefinition(lambda ctx: ctx.resource_config,
                              config_schema=kwargs or None)


class Resources:
    """The resources a solid required, as attributes: ``context.resources.database``."""

    __slots__ = ("_owner", "_values")

    def __init__(self, values: Mapping[str, Any], owner: str = "this solid") -> None:
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_owner", owner)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise HeadwaterUnknownResourceError(
                f'Resource "{key}" is not available to {self._owner}. Add it to '
                f'required_resource_keys (available: {sorted(self._values)}).'
            ) from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("Resources are read-only.")

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def __iter__(self) -> Any:
        return iter(self._values)

    def _asdict(self) -> dict[str, Any]:
        return dict(self._values)

    def __repr__(self) -> str:
        return f"Resources({sorted(self._values)})"


class InitResourceContext:
    """What a resource function receives.

    Attributes:
        resource_config: The processed config of the resource.
        resource_def: The resource's definition.
        resources: The other resources it required.
        instance: The instance of the run (None outside a run).
        pipeline_run: The run record (None outside a run).
        log: The run's log manager (None outside a run).
        run_id: The run's id (None outside a run).
    """

    __slots__ = ("instance", "log", "pipeline_run", "resource_config", "resource_def",
                 "resources", "run_id")

    def __init__(self, resource_config: Any, resource_def: ResourceDefinition | None = None,
                 resources: Resources | None = None, instance: Any = None,
                 pipeline_run: Any = None, log: Any = None, run_id: str | None = None) -> None:
        self.resource_config = resource_config
        self.resource_def = resource_def
        self.resources = resources if resources is not None else Resources({})
        self.instance = instance
        self.pipeline_run = pipeline_run
        self.log = log
        self.run_id = run_id

    @property
    def log_manager(self) -> Any:
        return self.log


def build_init_resource_context(config: Any = None, resources: Mapping[str, Any] | None = None,
                                instance: Any = None) -> InitResourceContext:
    """An init context for calling a resource function directly in a test."""
    return InitResourceContext(resource_config=config, resources=Resources(resources or {}),
                               instance=instance)


def call_resource_fn(definition: ResourceDefinition, context: InitResourceContext) -> Any:
    """Call ``definition``'s function with or without its context, as it was written."""
    fn = definition.resource_fn
    return fn(context) if definition.takes_context else fn()

