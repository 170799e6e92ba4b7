"""Types that accept one of several forms.

``Selector`` takes exactly one of its entries, ``Noneable`` takes None or a value, and
``ScalarUnion`` takes a scalar or a container, the value's form deciding which.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from headwater.config.field import (
    Array,
    ConfigSchemaError,
    Shape,
    convert_fields,
    describe_fields,
    fields_type_name,
    resolve_to_config_type,
)
from headwater.config.result import Evaluation
from headwater.config.types import NO_DEFAULT, ConfigType, Path, ScalarType


class Selector(ConfigType):
    """A dict with exactly one of the declared entries: a choice among alternatives.

    A one-field selector whose field has a default is optional, and chooses that field.

    Args:
        fields: Entry names mapped to their schemas; at least one.
        description: What the choice is about.

    Example:
        >>> Selector({"in_process": {}, "multiprocess": {"max_concurrent": int}}).type_name
        'Selector{in_process, multiprocess}'
    """

    __slots__ = ("_declared", "_dict_expected", "_lookup", "fields")

    def __init__(self, fields: Mapping[str, object], description: str | None = None) -> None:
        lookup = convert_fields(fields, "Selector")
        if not lookup:
            raise ConfigSchemaError("a Selector needs at least one field to choose from.")
        implicit: object = NO_DEFAULT
        if len(lookup) == 1:
            ((name, field),) = lookup.items()
            if field.default_provided:
                implicit = {name: field.default_value}
        super().__init__(
            fields_type_name("Selector", lookup), description, implicit_default=implicit,
            returns_input_objects=any(
                field.config_type._returns_input_objects for field in lookup.values()
            ),
        )
        self._assign(fields=MappingProxyType(lookup), _lookup=lookup, _declared=tuple(lookup),
                     _dict_expected=f"a dict with exactly one entry ({self.type_name})")

    def _label(self) -> str:
        return "Selector, exactly one of"

    def _body(self) -> list[str]:
        return describe_fields(self._lookup, show_required=False)

    def _sample(self) -> object:
        name, field = next(iter(self._lookup.items()))
        return {name: field.config_type._sample()}

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        if value is None:
            value = {}
        elif not isinstance(value, dict):
            evaluation.mismatch(path, self._dict_expected, value)
            return None
        chosen = [key for key in value if key in self._lookup]
        unknown = [key for key in value if key not in self._lookup]
        if unknown:
            evaluation.unexpected(path, unknown, self._declared,
                                  [name for name in self._declared if name not in value],
                                  self.type_name)
        if len(chosen) == 1:
            name = chosen[0]
            field = self._lookup[name]
            return {name: field.config_type._evaluate(value[name], (*path, name), evaluation)}
        if not value and self.has_implicit_default:
            ((name, field),) = self._lookup.items()
            return {name: field._processed_default((*path, name), evaluation)}
        if chosen or not unknown:
            evaluation.selector_choice(path, chosen, self._declared, self.type_name, value)
        return None


class Noneable(ConfigType):
    """None, or a value of the inner schema. A field of this type defaults to None.

    Args:
        inner: The schema of a value that is not None.
    """

    __slots__ = ("inner_type",)

    def __init__(self, inner: object) -> None:
        inner_type = resolve_to_config_type(inner)
        super().__init__(f"Noneable({inner_type.type_name})", implicit_default=None,
                         returns_input_objects=inner_type._returns_input_objects)
        self._assign(inner_type=inner_type)

    def _label(self) -> str:
        return f"Noneable({self.inner_type._label()})"

    def _body(self) -> list[str]:
        return self.inner_type._body()

    def _sample(self) -> object:
        return self.inner_type._sample()

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        return None if value is None else self.inner_type._evaluate(value, path, evaluation)


class ScalarUnion(ConfigType):
    """A scalar, or a dict or list of a given schema: the value's form picks which.

    Args:
        scalar_type: ``Int``, ``Float``, ``String`` or ``Bool`` (or their Python types).
        non_scalar_schema: A dict schema (``Shape``, ``Permissive``, ``Selector``) or an
            ``Array``, used when the value is a dict or a list.

    Example:
        >>> ScalarUnion(str, {"path": str}).type_name
        'String | Shape{path}'
    """

    __slots__ = ("_expected", "non_scalar_type", "scalar_type")

    def __init__(self, scalar_type: object, non_scalar_schema: object) -> None:
        scalar, non_scalar = _union_members(scalar_type, non_scalar_schema)
        self._init_union(scalar, non_scalar, f"{scalar.type_name} | {non_scalar.type_name}",
                         f"{scalar.type_name} or {non_scalar.type_name}")

    def _init_union(self, scalar: ScalarType, non_scalar: ConfigType, type_name: str,
                    expected: str) -> None:
        super().__init__(type_name, returns_input_objects=non_scalar._returns_input_objects)
        self._assign(scalar_type=scalar, non_scalar_type=non_scalar, _expected=expected)

    def _body(self) -> list[str]:
        return self.non_scalar_type._body()

    def _sample(self) -> object:
        return self.scalar_type._sample()

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        if isinstance(value, (dict, list, tuple)):
            return self.non_scalar_type._evaluate(value, path, evaluation)
        return self.scalar_type._evaluate(value, path, evaluation, self._expected)


def _union_members(scalar_type: object,
                   non_scalar_schema: object) -> tuple[ScalarType, ConfigType]:
    scalar = resolve_to_config_type(scalar_type)
    if not isinstance(scalar, ScalarType):
        raise ConfigSchemaError(
            f"ScalarUnion takes Int, Float, String or Bool as scalar_type, received "
            f"{scalar.type_name}."
        )
    non_scalar = resolve_to_config_type(non_scalar_schema)
    if not isinstance(non_scalar, (Shape, Selector, Array)):
        raise ConfigSchemaError(
            f"ScalarUnion takes a dict schema (Shape, Permissive, Selector) or an Array as "
            f"non_scalar_schema, received {non_scalar.type_name}."
        )
    return scalar, non_scalar
