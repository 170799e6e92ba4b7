"""What every configurable definition shares: a config schema and ``configured``.

``configured`` makes a new definition whose config is fixed (a dict) or derived from a
smaller outer schema (a function from outer to inner config). The inner definition's schema
still validates what the mapping produces, so a bad mapping is reported against the
definition it was meant for.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

from headwater.config import (
    ConfigErrorReason,
    Field,
    Shape,
    convert_potential_field,
    process_config,
)
from headwater.definitions.frozen import FrozenDefinition
from headwater.errors import HeadwaterInvalidConfigError, HeadwaterInvalidDefinitionError


def config_field_for(schema: Any, where: str) -> Field | None:
    """The Field for a user's ``config_schema``; None means "accepts any config"."""
    if schema is None:
        return None
    return convert_potential_field(schema, context=where)


class ConfigMapping:
    """How an outer config becomes the config of the definition it wraps.

    Args:
        config_fn: ``fn(outer_config) -> inner_config``.
        config_schema: The schema of the outer config (None: any config).
    """

    def __init__(self, config_fn: Callable[[Any], Any], config_schema: Any = None) -> None:
        if not callable(config_fn):
            raise HeadwaterInvalidDefinitionError(
                f"ConfigMapping needs a callable config_fn, received {config_fn!r}."
            )
        self.config_fn = config_fn
        self.config_schema = config_schema


class ConfigurableDefinition(FrozenDefinition):
    """Mixin for definitions with a ``config_schema``.

    Subclasses set ``config_schema`` and ``config_field`` and implement
    ``_copy_for_configured(config_schema, description, name)``.
    """

    config_schema: Any
    config_field: Field | None
    description: str | None
    # The definition this one was configured from, and the outer→inner mapping.
    _configured_from: ConfigurableDefinition | None = None
    _config_mapper: Callable[[Any], Any] | None = None

    def _describe_for_errors(self) -> str:
        name = getattr(self, "name", None)
        return f'{type(self).__name__} "{name}"' if name else type(self).__name__

    def _configured(self, config_or_config_fn: Any, config_schema: Any,
                    description: str | None, name: str | None) -> Any:
        if callable(config_or_config_fn):
            mapper = config_or_config_fn
            outer_schema = config_schema
        else:
            fixed = config_or_config_fn
            if config_schema is not None:
                raise HeadwaterInvalidDefinitionError(
                    f"{self._describe_for_errors()}.configured was given a fixed config dict and "
                    "a config_schema; a schema only makes sense with a config function."
                )

            def mapper(_outer: Any, _fixed: Any = fixed) -> Any:
                return copy.deepcopy(_fixed)

            # A fully configured definition takes no config of its own.
            outer_schema = Field(Shape({}), is_required=False)
            self._check_fixed_config(fixed)
        new = self._copy_for_configured(outer_schema, description or self.description, name)
        return new._copy_with(_configured_from=self, _config_mapper=mapper)

    def _check_fixed_config(self, fixed: Any) -> None:
        """Fail at definition time when a fixed config does not fit the inner schema."""
        if self._config_mapper is not None or self.config_field is None:
            return
        result = process_config(self.config_field, fixed)
        # Environment variables are read when a run uses the config, not when the module
        # defining it is imported: only mistakes in the shape of the config count here.
        errors = [e for e in result.errors
                  if e.reason is not ConfigErrorReason.FAILED_POST_PROCESSING]
        if errors:
            raise HeadwaterInvalidConfigError(
                f"Error in the fixed config given to {self._describe_for_errors()}.configured",
                errors, fixed,
            )

    def _copy_for_configured(self, config_schema: Any, description: str | None,
                             name: str | None) -> Any:
        raise NotImplementedError

    def resolve_config(self, processed_value: Any) -> Any:
        """Map an already validated outer config down to what this definition's function sees.

        For a definition that was not ``configured``, that is the value itself. Otherwise each
        mapping is applied in turn and its result validated against the inner schema.
        """
        definition: ConfigurableDefinition = self
        value = processed_value
        while definition._configured_from is not None:
            mapper = definition._config_mapper
            assert mapper is not None
            inner = definition._configured_from
            mapped = mapper(value)
            if inner.config_field is not None:
                result = process_config(inner.config_field, mapped)
                if not result.success:
                    raise HeadwaterInvalidConfigError(
                        f"Error in the config that configured() produced for "
                        f"{inner._describe_for_errors()}",
                        result.errors, mapped,
                    )
                mapped = result.value
            value = mapped
            definition = inner
        return value


def process_definition_config(definition: ConfigurableDefinition, value: Any,
                              preamble: str) -> Any:
    """Validate ``value`` against a definition's own schema, then resolve its mappings.

    Used where a definition is configured outside a run config (tests, ``build_*`` helpers).
    """
    if definition.config_field is not None:
        result = process_config(definition.config_field, value)
        if not result.success:
            raise HeadwaterInvalidConfigError(preamble, result.errors, value)
        value = result.value
    return definition.resolve_config(value)


def configured(configurable: Any, config_schema: Any = None, **kwargs: Any) -> Callable[..., Any]:
    """Decorator form of ``configured``: the decorated function maps the new (outer) config
    to the config of ``configurable``.

    Example:
        >>> @configured(database, config_schema={"env": str})
        ... def warehouse(config):
        ...     return {"url": URLS[config["env"]]}
    """

    def decorator(fn: Callable[[Any], Any]) -> Any:
        description = kwargs.get("description") or fn.__doc__
        if _takes_name(configurable):
            return configurable.configured(fn, kwargs.get("name") or fn.__name__,
                                           config_schema, description)
        return configurable.configured(fn, config_schema, description)

    return decorator


def _takes_name(configurable: Any) -> bool:
    params = list(inspect.signature(configurable.configured).parameters)
    return len(params) > 1 and params[1] == "name"
