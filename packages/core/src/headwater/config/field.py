"""Fields, dicts and lists of them, and the conversion of schema shorthand.

These live in one module because they are defined in terms of each other: a ``Shape`` is a
set of ``Field``s, and a ``Field`` may be given a dict literal (which becomes a ``Shape``),
a one-element list (which becomes an ``Array``) or the ``dict`` type (a ``Permissive``).
"""

from __future__ import annotations

import copy
import enum
import typing
from collections.abc import Mapping
from types import MappingProxyType

from headwater.config.render import flow, show_value
from headwater.config.result import Evaluation
from headwater.config.secrets import register_secret
from headwater.config.types import (
    NO_DEFAULT,
    Any,
    Bool,
    ConfigType,
    Float,
    Immutable,
    Int,
    Path,
    String,
    comment_lines,
)
from headwater.errors import HeadwaterInvalidConfigDefinitionError

_ACCEPTED = (
    "Use a config type (Int, Float, String, Bool, Any, Shape, Permissive, Selector, Array, "
    "Noneable, Enum, ScalarUnion, StringSource, ...), a Field, one of the Python types int, "
    "float, str, bool, list or dict, typing.Any or None, a dict of field names to schemas, or "
    "a one-element list [schema]."
)
_NAMES_IN_TYPE_NAME = 6
_MAX_DEFAULT_SHOWN = 60


class Field(Immutable):
    """One entry of a dict schema: its type, whether it is required, and its default.

    Args:
        config: The entry's schema: anything :func:`resolve_to_config_type` accepts.
        default_value: The value used when the entry is absent, in config form (an enum
            default is its string). Validated against the schema here.
        is_required: Whether the entry must be given. When None, the entry is optional if
            it has a default or its type has an implicit one (``Noneable``; a ``Shape`` or
            ``Permissive`` whose fields are all optional; a one-field ``Selector`` whose field
            has a default), and required otherwise.
        description: What the entry is for, shown by ``describe``.

    Attributes:
        config_type: The resolved :class:`ConfigType`.
        is_required: Whether the entry must be given.
        default_provided: Whether there is a default, given or implicit.
        default_value: The default in config form (implicit defaults are materialized, e.g.
            an all-optional ``Shape`` has the dict of its fields' defaults).
        description: What the entry is for.
        is_secret: The value is a secret (a password, a token): once given, it is shown as
            ``***`` in every log line, event, error and captured output (as every value read
            from the environment with ``{env: VAR}`` is).

    Raises:
        HeadwaterInvalidConfigDefinitionError: If ``config`` is not a schema, or the default
            is given together with ``is_required=True``, is callable, or does not match.

    Example:
        >>> Field(int, default_value=10, description="Rows to read.").is_required
        False
    """

    __slots__ = (
        "_copy_default",
        "_ready_default",
        "config_type",
        "default_provided",
        "default_value",
        "description",
        "is_required",
        "is_secret",
    )

    def __init__(self, config: object, default_value: object = NO_DEFAULT,
                 is_required: bool | None = None, description: str | None = None,
                 is_secret: bool = False) -> None:
        if isinstance(config, Field):
            raise HeadwaterInvalidConfigDefinitionError(
                f"Field() takes a schema, received another Field ({config!r}). Use that Field "
                "itself, or pass its config_type."
            )
        config_type = _resolve(config)
        if is_required is not None and not isinstance(is_required, bool):
            raise HeadwaterInvalidConfigDefinitionError(
                f"Field(is_required=...) must be True, False or None, received {is_required!r}."
            )
        if description is not None and not isinstance(description, str):
            raise HeadwaterInvalidConfigDefinitionError(
                f"Field(description=...) must be a string, received {description!r}."
            )
        ready: object = NO_DEFAULT
        if default_value is not NO_DEFAULT:
            ready = _checked_default(config_type, default_value, is_required)
            default_value = copy.deepcopy(default_value)
        elif is_required is not True and config_type.has_implicit_default:
            default_value = config_type.implicit_default
            # An implicit default is a dict (valid by construction) or Noneable's None.
            ready = default_value
        default_provided = default_value is not NO_DEFAULT
        self._assign(
            config_type=config_type,
            default_value=default_value,
            default_provided=default_provided,
            is_required=not default_provided if is_required is None else is_required,
            description=description,
            is_secret=bool(is_secret),
            # A processed default that is not a container can be handed out as it is, every
            # time; a container (or an env source, still a dict here) is processed per use.
            _ready_default=NO_DEFAULT if isinstance(ready, (dict, list)) else ready,
            # Only a default that processing could hand back by reference needs a fresh copy
            # for each use; everything else is rebuilt by processing anyway.
            _copy_default=(isinstance(default_value, (dict, list))
                           and config_type._returns_input_objects),
        )

    def _processed_default(self, path: Path, evaluation: Evaluation) -> object:
        """The default, processed as if it had been given at ``path``."""
        if self._ready_default is not NO_DEFAULT:
            return self._ready_default
        default = copy.deepcopy(self.default_value) if self._copy_default else self.default_value
        return self.config_type._evaluate(default, path, evaluation)

    def __repr__(self) -> str:
        parts = [self.config_type.type_name]
        if self.default_provided:
            parts.append(f"default_value={self.default_value!r}")
        parts.append(f"is_required={self.is_required}")
        return f"Field({', '.join(parts)})"


class Shape(ConfigType):
    """A dict with declared entries; any other key is an error.

    Args:
        fields: Entry names mapped to their schemas (a :class:`Field` or any shorthand).
        description: What the dict is for.

    Example:
        >>> Shape({"path": str, "limit": Field(int, default_value=10)}).type_name
        'Shape{path, limit}'
    """

    __slots__ = (
        "_declared",
        "_defaulted",
        "_dict_expected",
        "_lookup",
        "_required",
        "fields",
    )
    _kind = "Shape"
    _allows_extra = False
    _heading_shown = False

    def __init__(self, fields: Mapping[str, object], description: str | None = None) -> None:
        lookup = convert_fields(fields, self._kind)
        required = tuple(name for name, field in lookup.items() if field.is_required)
        defaulted = tuple((name, field) for name, field in lookup.items() if field.default_provided)
        super().__init__(
            fields_type_name(self._kind, lookup),
            description,
            implicit_default=NO_DEFAULT if required else {
                name: field.default_value for name, field in defaulted
            },
            returns_input_objects=self._allows_extra or any(
                field.config_type._returns_input_objects for field in lookup.values()
            ),
        )
        self._assign(fields=MappingProxyType(lookup), _lookup=lookup, _declared=tuple(lookup),
                     _required=required, _defaulted=defaulted, _dict_expected=f"a dict ({self.type_name})")

    def _label(self) -> str:
        return self._kind

    def _body(self) -> list[str]:
        return describe_fields(self._lookup, show_required=True)

    def _sample(self) -> object:
        return {name: self._lookup[name].config_type._sample() for name in self._required}

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        if value is None:
            # A YAML key with nothing under it: read as an empty dict, so defaults still apply.
            value = {}
        elif not isinstance(value, dict):
            evaluation.mismatch(path, self._dict_expected, value)
            return None
        lookup = self._lookup
        result: dict[object, object] = {}
        unexpected = []
        for key, item in value.items():
            field = lookup.get(key)
            if field is not None:
                result[key] = field.config_type._evaluate(item, (*path, key), evaluation)
                if field.is_secret:
                    register_secret(result[key])
            elif self._allows_extra:
                result[key] = item
            else:
                unexpected.append(key)
        if unexpected:
            evaluation.unexpected(path, unexpected, self._declared,
                                  [name for name in self._declared if name not in value],
                                  self.type_name)
        # Without extras, a result as long as the declared entries means all were given.
        if self._allows_extra or len(result) < len(lookup):
            self._fill_absent(value, result, path, evaluation)
        return result

    def _fill_absent(self, value: dict[object, object], result: dict[object, object],
                     path: Path, evaluation: Evaluation) -> None:
        missing = [name for name in self._required if name not in value]
        if missing:
            evaluation.missing(path, [
                (name, self._lookup[name].config_type.type_name,
                 self._lookup[name].config_type._sample())
                for name in missing
            ])
        for name, field in self._defaulted:
            if name not in value:
                result[name] = field._processed_default((*path, name), evaluation)


class Permissive(Shape):
    """A dict whose declared entries are checked and whose other entries pass through.

    Args:
        fields: Entry names mapped to their schemas; none by default.
        description: What the dict is for.
    """

    __slots__ = ()
    _kind = "Permissive"
    _allows_extra = True

    def __init__(self, fields: Mapping[str, object] | None = None,
                 description: str | None = None) -> None:
        super().__init__({} if fields is None else fields, description)


class Array(ConfigType):
    """A list whose items all match one schema.

    Args:
        inner: The items' schema: anything :func:`resolve_to_config_type` accepts.

    Example:
        >>> Array(int).type_name
        '[Int]'
    """

    __slots__ = ("_list_expected", "inner_type")

    def __init__(self, inner: object) -> None:
        inner_type = _resolve(inner)
        super().__init__(f"[{inner_type.type_name}]",
                         returns_input_objects=inner_type._returns_input_objects)
        self._assign(inner_type=inner_type, _list_expected=f"a list ({self.type_name})")

    def _label(self) -> str:
        return f"[{self.inner_type._label()}]"

    def _body(self) -> list[str]:
        return self.inner_type._body()

    def _sample(self) -> object:
        return [self.inner_type._sample()]

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        if not isinstance(value, (list, tuple)):
            evaluation.mismatch(path, self._list_expected, value)
            return None
        inner = self.inner_type
        return [inner._evaluate(item, (*path, index), evaluation)
                for index, item in enumerate(value)]


def resolve_to_config_type(obj: object, context: str | None = None) -> ConfigType:
    """The config type a schema or schema shorthand stands for.

    Accepted: a :class:`ConfigType`; a :class:`Field` (its type); ``int``, ``float``,
    ``str``, ``bool``; ``typing.Any`` or ``None`` (``Any``); ``list`` (``Array(Any)``);
    ``dict`` (``Permissive()``); a dict literal (a ``Shape`` of its entries); a one-element
    list ``[T]`` (``Array(T)``).

    Args:
        obj: The schema or shorthand.
        context: What the schema belongs to, named in errors, e.g. ``'solid "load"'``.

    Raises:
        HeadwaterInvalidConfigDefinitionError: If ``obj`` (or a part of it) is not a schema;
            the message names the value, where it was found and what is accepted.
    """
    try:
        return _resolve(obj)
    except ConfigSchemaError as error:
        error.context = error.context or context
        raise


def convert_potential_field(obj: object, context: str | None = None) -> Field:
    """A :class:`Field` for a schema or shorthand; a ``Field`` is returned as it is.

    Args:
        obj: A ``Field``, or anything :func:`resolve_to_config_type` accepts.
        context: What the schema belongs to, named in errors, e.g. ``'solid "load"'``.

    Raises:
        HeadwaterInvalidConfigDefinitionError: If ``obj`` (or a part of it) is not a schema.
    """
    if isinstance(obj, Field):
        return obj
    return Field(resolve_to_config_type(obj, context))


class ConfigSchemaError(HeadwaterInvalidConfigDefinitionError):
    """A schema that cannot be built, located by the entry path where the problem is.

    The path is filled in as the error travels out of nested dict literals, and the context
    by the public entry point, so the message is only written when it is shown.

    Attributes:
        problem: What is wrong.
        keys: The entry names leading to the problem, outermost first.
        context: What the schema belongs to, e.g. ``'solid "load"'``, when known.
    """

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.keys: list[str] = []
        self.context: str | None = None

    def __str__(self) -> str:
        where = f" for {self.context}" if self.context else ""
        if self.keys:
            where += f" at {'.'.join(self.keys)}"
        return f"Invalid config schema{where}: {self.problem}"


def _resolve(obj: object) -> ConfigType:
    if isinstance(obj, ConfigType):
        return obj
    if isinstance(obj, Field):
        return obj.config_type
    if isinstance(obj, dict):
        return Shape(obj)
    if isinstance(obj, list):
        if len(obj) == 1:
            return Array(obj[0])
        raise ConfigSchemaError(
            f"[{', '.join(_name_of(item) for item in obj)}] is a list of {len(obj)} elements; a "
            "list schema has exactly one element, the schema of its items, e.g. [int]."
        )
    if (obj is None or isinstance(obj, type)) and obj in _SHORTHANDS:
        return _SHORTHANDS[obj]
    raise ConfigSchemaError(f"{_name_of(obj)} is not a config schema. {_ACCEPTED}")


def _name_of(obj: object) -> str:
    if obj is None:
        return "None"
    if isinstance(obj, type):
        if obj in _SHORTHANDS:
            return "typing.Any" if obj is typing.Any else obj.__name__
        if issubclass(obj, enum.Enum):
            return (f"the Python enum {obj.__name__} (use Enum.from_python_enum"
                    f"({obj.__name__}) for it)")
        return f"the class {obj.__module__}.{obj.__qualname__}"
    return repr(obj) if isinstance(obj, (ConfigType, Field)) else show_value(obj)


def convert_fields(fields: Mapping[str, object], kind: str) -> dict[str, Field]:
    """The fields of a dict schema as ``Field``s, converting shorthand.

    Args:
        fields: Entry names mapped to a ``Field`` or any schema shorthand.
        kind: The schema being built (``Shape``, ``Selector``, ...), named in errors.

    Raises:
        ConfigSchemaError: If ``fields`` is not a mapping of names to schemas; the error
            names the entry path of a bad schema nested in dict literals.
    """
    if not isinstance(fields, Mapping):
        raise ConfigSchemaError(
            f"{kind} takes a dict of field names to schemas, received {_name_of(fields)}."
        )
    converted = {}
    for name, obj in fields.items():
        if not isinstance(name, str):
            raise ConfigSchemaError(
                f"{kind} field names must be strings, received {show_value(name)}."
            )
        try:
            converted[name] = obj if isinstance(obj, Field) else Field(obj)
        except ConfigSchemaError as error:
            error.keys.insert(0, name)
            raise
    return converted


def _checked_default(config_type: ConfigType, default_value: object,
                     is_required: bool | None) -> object:
    """Refuse a default that cannot work, and return it processed."""
    if is_required:
        raise HeadwaterInvalidConfigDefinitionError(
            f"A Field of type {config_type.type_name} cannot have both is_required=True and a "
            f"default_value ({show_value(default_value)}); drop one of them."
        )
    if callable(default_value):
        raise HeadwaterInvalidConfigDefinitionError(
            f"The default_value of a Field of type {config_type.type_name} must be a value, "
            f"received the callable {default_value!r}; call it first and pass the result."
        )
    # Env sources are only checked for form here: the variable need exist only at run time.
    evaluation = Evaluation(read_env=False)
    processed = config_type._evaluate(default_value, ("default_value",), evaluation)
    if evaluation.errors:
        problems = " ".join(error.message for error in evaluation.errors)
        raise HeadwaterInvalidConfigDefinitionError(
            f"Invalid default_value for a Field of type {config_type.type_name}. {problems}"
        )
    return processed


def fields_type_name(kind: str, fields: Mapping[str, Field]) -> str:
    """The type name of a dict schema, e.g. ``Shape{path, limit}``, shortened when long."""
    names = list(fields)
    shown = ", ".join(names[:_NAMES_IN_TYPE_NAME])
    if len(names) > _NAMES_IN_TYPE_NAME:
        shown += f", ... ({len(names) - _NAMES_IN_TYPE_NAME} more)"
    return f"{kind}{{{shown}}}"


def describe_fields(fields: Mapping[str, Field], *, show_required: bool) -> list[str]:
    """The ``describe`` lines of a dict schema's fields, nested types indented below.

    Args:
        fields: The fields to describe.
        show_required: Whether to say required/optional (meaningless in a selector).
    """
    lines = []
    for name, field in fields.items():
        lines.extend(comment_lines(field.description or field.config_type.description))
        flags = []
        if show_required:
            flags.append("required" if field.is_required else "optional")
        if field.default_provided:
            default = flow(field.default_value)
            if len(default) > _MAX_DEFAULT_SHOWN:
                default = default[: _MAX_DEFAULT_SHOWN - 3] + "..."
            flags.append(f"default: {default}")
        header = f"{name}: {field.config_type._label()}"
        lines.append(f"{header} ({', '.join(flags)})" if flags else header)
        lines.extend(f"  {line}" for line in field.config_type._body())
    return lines


_SHORTHANDS: dict[object, ConfigType] = {
    int: Int,
    float: Float,
    str: String,
    bool: Bool,
    typing.Any: Any,
    None: Any,
    list: Array(Any),
    dict: Permissive(),
}
