"""Materializers: the legacy way to write an output's value somewhere named by run config.

A type with a materializer accepts, per output of that type, the legacy list form of
``solids.<solid>.outputs``: ``[{<output>: <materializer config>}, ...]``. After the step
stores the output, the materializer is called once per entry and returns the
``AssetMaterialization`` (or a list of them) it wrote. New code stores outputs with an IO
manager instead; materializers are kept so that legacy pipelines run unchanged.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable

from headwater import config
from headwater.config.types import restore_frozen_state
from headwater.types.validation import resource_key_set

MaterializerFn = Callable[[typing.Any, typing.Any, typing.Any], typing.Any]


class HeadwaterTypeMaterializer:
    """Writes a value of a type where its run config says.

    Build one with ``@headwater_type_materializer``.

    Args:
        config_schema: The schema of one entry of the output's config.
        materialize_fn: ``fn(context, config_value, runtime_value)`` returning an
            ``AssetMaterialization`` or a list of them.
        required_resource_keys: The resources ``materialize_fn`` uses.

    Attributes:
        schema_type: ``config_schema`` resolved to a config type.
        required_resource_keys: A frozenset of resource keys.
    """

    __slots__ = ("_materialize_fn", "required_resource_keys", "schema_type")

    schema_type: config.ConfigType
    required_resource_keys: frozenset[str]

    def __init__(self, config_schema: typing.Any, materialize_fn: MaterializerFn,
                 required_resource_keys: Iterable[str] | None = None) -> None:
        described = ('materializer function '
                     f'"{getattr(materialize_fn, "__qualname__", materialize_fn)}"')
        set_attribute = object.__setattr__
        set_attribute(self, "_materialize_fn", materialize_fn)
        set_attribute(self, "schema_type",
                      config.resolve_to_config_type(config_schema, described))
        set_attribute(self, "required_resource_keys",
                      resource_key_set(required_resource_keys, described))

    def materialize(self, context: typing.Any, config_value: typing.Any,
                    runtime_value: typing.Any) -> list[typing.Any]:
        """Write ``runtime_value`` as ``config_value`` says; what it materialized."""
        returned = self._materialize_fn(context, config_value, runtime_value)
        if returned is None:
            return []
        return list(returned) if isinstance(returned, (list, tuple)) else [returned]

    def __setattr__(self, name: str, value: typing.Any) -> None:
        raise AttributeError(f"{self!r} is immutable; cannot set {name!r}.")

    def __setstate__(self, state: typing.Any) -> None:
        # Pickle restores slots with setattr, which is refused: set them as built.
        restore_frozen_state(self, state)

    def __repr__(self) -> str:
        return f"<HeadwaterTypeMaterializer {self.schema_type!r}>"


def headwater_type_materializer(
    config_schema: typing.Any, required_resource_keys: Iterable[str] | None = None
) -> Callable[[MaterializerFn], HeadwaterTypeMaterializer]:
    """Turn ``fn(context, config_value, runtime_value)`` into a ``HeadwaterTypeMaterializer``.

    Example:
        >>> @headwater_type_materializer({"path": str})
        ... def write_csv(context, config, rows):
        ...     save(rows, config["path"])
        ...     return AssetMaterialization.file(config["path"])
    """

    def decorator(fn: MaterializerFn) -> HeadwaterTypeMaterializer:
        return HeadwaterTypeMaterializer(config_schema, fn, required_resource_keys)

    return decorator
