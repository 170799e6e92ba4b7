"""Loaders: how an input that no upstream output feeds is built from run config.

The config under ``solids.<solid>.inputs.<input>`` is validated against the loader's
``schema_type`` with the rest of the run config, then handed to the loader.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable

from headwater import config
from headwater.errors import HeadwaterInvalidConfigError
from headwater.types.validation import check_context_function, resource_key_set

LoaderFn = Callable[[typing.Any, typing.Any], typing.Any]


class HeadwaterTypeLoader:
    """Builds a value of a type from that value's run config.

    Build one with ``@headwater_type_loader``.

    Args:
        config_schema: The schema of the config the loader reads: anything the config
            system accepts (a config type, a dict, a Python scalar type, ...).
        construct_fn: ``fn(context, config_value) -> value``, given the validated config.
        required_resource_keys: The resources ``construct_fn`` uses through
            ``context.resources``.

    Attributes:
        schema_type: ``config_schema`` resolved to a config type.
        required_resource_keys: A frozenset of resource keys.
    """

    __slots__ = ("_construct_fn", "required_resource_keys", "schema_type")

    schema_type: config.ConfigType
    required_resource_keys: frozenset[str]

    def __init__(self, config_schema: typing.Any, construct_fn: LoaderFn,
                 required_resource_keys: Iterable[str] | None = None) -> None:
        check_context_function(construct_fn, "The loader function", "config_value")
        described = f'loader function "{getattr(construct_fn, "__qualname__", construct_fn)}"'
        set_attribute = object.__setattr__
        set_attribute(self, "_construct_fn", construct_fn)
        set_attribute(self, "schema_type",
                      config.resolve_to_config_type(config_schema, described))
        set_attribute(self, "required_resource_keys",
                      resource_key_set(required_resource_keys, described))

    def construct_from_config_value(self, context: typing.Any, config_value: typing.Any
                                    ) -> typing.Any:
        """Build the value from its validated config.

        Args:
            context: The step's context; loaders use its ``resources``.
            config_value: The config, already validated against ``schema_type``.
        """
        return self._construct_fn(context, config_value)

    def __setattr__(self, name: str, value: typing.Any) -> None:
        raise AttributeError(f"{self!r} is immutable; cannot set {name!r}.")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self!r} is immutable; cannot delete {name!r}.")

    def __repr__(self) -> str:
        return f"<HeadwaterTypeLoader {self.schema_type!r}>"


def headwater_type_loader(
    config_schema: typing.Any, required_resource_keys: Iterable[str] | None = None
) -> Callable[[LoaderFn], HeadwaterTypeLoader]:
    """Turn ``fn(context, config_value) -> value`` into a ``HeadwaterTypeLoader``.

    Args:
        config_schema: The schema of the config the loader reads.
        required_resource_keys: The resources the function uses.

    Example:
        >>> @headwater_type_loader({"path": str})
        ... def load_lines(_context, config_value):
        ...     with open(config_value["path"]) as lines:
        ...         return lines.read().splitlines()
        >>> Lines = PythonObjectHeadwaterType(list, name="Lines", loader=load_lines)
    """

    def decorator(fn: LoaderFn) -> HeadwaterTypeLoader:
        return HeadwaterTypeLoader(config_schema, fn, required_resource_keys)

    return decorator


def _value_source_schema(value_schema: typing.Any) -> config.Selector:
    return config.Selector({
        "value": value_schema,
        "json": {"path": config.String},
        "pickle": {"path": config.String},
    })


def _load_value_source(config_value: dict[str, typing.Any]) -> typing.Any:
    ((source, source_config),) = config_value.items()
    if source == "value":
        return source_config
    path = source_config["path"]
    if source == "pickle":
        import pickle  # here: ~5 ms of every import of headwater otherwise

        with open(path, "rb") as pickled:
            return pickle.load(pickled)
    with open(path, encoding="utf-8") as encoded:
        document = json.load(encoded)
    if not isinstance(document, dict) or "value" not in document:
        raise HeadwaterInvalidConfigError(
            f'Error in the JSON file "{path}" named by input config {config_value!r}',
            [f'The file must hold an object with a "value" key, e.g. {{"value": 5}}; it holds '
             f"{document!r:.200}."],
            config_value,
        )
    return document["value"]


ANY_LOADER = HeadwaterTypeLoader(
    _value_source_schema(config.Any),
    lambda _context, config_value: _load_value_source(config_value),
)
"""Loads ``{value: ...}``, ``{json: {path}}`` (a file holding ``{"value": ...}``) or
``{pickle: {path}}``."""

DICT_LOADER = HeadwaterTypeLoader(config.Permissive(), lambda _context, config_value: config_value)
"""Loads a dict written inline in the run config."""


def scalar_loader(scalar_schema: config.ConfigType) -> HeadwaterTypeLoader:
    """A loader taking the scalar inline (``5``) or from a value source (``{value: 5}``,
    ``{json: {path}}``, ``{pickle: {path}}``)."""

    def load(_context: typing.Any, config_value: typing.Any) -> typing.Any:
        if isinstance(config_value, dict):
            return _load_value_source(config_value)
        return config_value

    return HeadwaterTypeLoader(
        config.ScalarUnion(scalar_schema, _value_source_schema(scalar_schema)), load
    )


def list_loader(item_loader: HeadwaterTypeLoader) -> HeadwaterTypeLoader:
    """A loader for a list whose items are each configured as ``item_loader`` expects."""

    def load(context: typing.Any, config_value: list[typing.Any]) -> list[typing.Any]:
        return [item_loader.construct_from_config_value(context, item) for item in config_value]

    return HeadwaterTypeLoader(config.Array(item_loader.schema_type), load,
                               item_loader.required_resource_keys)


def nullable_loader(inner_loader: HeadwaterTypeLoader) -> HeadwaterTypeLoader:
    """A loader accepting None, or what ``inner_loader`` accepts."""

    def load(context: typing.Any, config_value: typing.Any) -> typing.Any:
        if config_value is None:
            return None
        return inner_loader.construct_from_config_value(context, config_value)

    return HeadwaterTypeLoader(config.Noneable(inner_loader.schema_type), load,
                               inner_loader.required_resource_keys)
