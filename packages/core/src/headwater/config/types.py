"""The config type base class and the leaf types: scalars, ``Any`` and ``Enum``.

A config type is an immutable schema object. It knows its readable name, whether it has an
implicit default, and how to check and post-process a value in one pass (``_evaluate``),
reporting every mistake to an :class:`~headwater.config.result.Evaluation` rather than
raising, so that all mistakes of a config value are found at once.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import NoReturn

from headwater.config.render import bracketed_names, suggest
from headwater.config.result import Evaluation
from headwater.errors import HeadwaterInvalidConfigDefinitionError

Path = tuple[str | int, ...]


class _NoDefault:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT = _NoDefault()
"""Marks a field (or type) that has no default value."""


def restore_frozen_state(obj: object, state: object) -> None:
    """Restore what pickle saved of a frozen object: its ``__setstate__``.

    Pickle restores the attributes of a class with ``__slots__`` by ``setattr``, which a
    frozen object refuses; this sets them as its constructor did. Config
    schemas, Headwater types and definitions cross processes by value this way
    (cloudpickle, for a pipeline built inside a function).

    Args:
        obj: The new, empty object pickle made.
        state: What pickle saved: the instance's ``__dict__``, or a ``(__dict__ or None,
            slots)`` pair for a class with ``__slots__``.
    """
    attributes, slots = state if isinstance(state, tuple) else (state, None)
    for values in (attributes, slots):
        for name, value in (values or {}).items():
            object.__setattr__(obj, name, value)


class Immutable:
    """Base of the schema objects: attributes are set once, in the constructor."""

    __slots__ = ()

    def _assign(self, **attributes: object) -> None:
        for name, value in attributes.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one instead")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one instead")

    def __setstate__(self, state: object) -> None:
        # Pickle restores slots with setattr, which is refused: set them as built.
        restore_frozen_state(self, state)


class ConfigType(Immutable):
    """The schema of a config value.

    Attributes:
        type_name: A readable name used in messages, e.g. ``Int``, ``[String]``,
            ``Noneable(Int)``, ``Shape{path, limit}``.
        description: What the value is for, or None.
        has_implicit_default: Whether a field of this type is optional without a default
            (``Noneable``; a ``Shape`` whose fields are all optional; ...).
        implicit_default: That default, in config form; meaningful only when
            ``has_implicit_default`` is true.
    """

    __slots__ = (
        "_returns_input_objects",
        "description",
        "has_implicit_default",
        "implicit_default",
        "type_name",
    )
    # A dict of fields reads best as just its fields; every other type starts with its name.
    _heading_shown = True

    def __init__(self, type_name: str, description: str | None = None, *,
                 implicit_default: object = NO_DEFAULT,
                 returns_input_objects: bool = False) -> None:
        if description is not None and not isinstance(description, str):
            raise HeadwaterInvalidConfigDefinitionError(
                f"The description of {type_name} must be a string, received {description!r}."
            )
        # Whether processing may hand back objects of the value it was given (Any, extras
        # of a Permissive); defaults of such types are copied before each use.
        self._assign(type_name=type_name, description=description,
                     has_implicit_default=implicit_default is not NO_DEFAULT,
                     implicit_default=implicit_default,
                     _returns_input_objects=returns_input_objects)

    def describe(self, indent: int = 0) -> str:
        """A readable, YAML-like rendering of the schema.

        Args:
            indent: Spaces put before every line.

        Returns:
            Field names with their types, required/optional, defaults and descriptions, one
            per line, nested entries indented below their parent.
        """
        lines = comment_lines(self.description)
        if self._heading_shown:
            lines.append(self._label())
            lines.extend(f"  {line}" for line in self._body())
        else:
            lines.extend(self._body())
        return "\n".join(" " * indent + line for line in lines)

    def _label(self) -> str:
        """The short name shown after a field name in :meth:`describe`."""
        return self.type_name

    def _body(self) -> list[str]:
        """The lines shown indented below a field of this type in :meth:`describe`."""
        return []

    def _sample(self) -> object:
        """A placeholder value showing what to write, with only the required entries."""
        raise NotImplementedError

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        """Check ``value`` and return its processed form, recording every mistake.

        Once an error is recorded the returned value is meaningless (often None); the
        errors in ``evaluation`` say what is wrong.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.type_name


class ScalarType(ConfigType):
    """An ``Int``, ``Float``, ``String`` or ``Bool``: one Python scalar."""

    __slots__ = ("_accepts_bool", "_convert", "_placeholder", "_python_types")

    def __init__(self, name: str, python_types: tuple[type, ...], placeholder: object,
                 convert: Callable[[object], object] | None = None) -> None:
        super().__init__(name)
        # bool is a subclass of int, yet True is no sensible Int or Float.
        self._assign(_python_types=python_types, _accepts_bool=bool in python_types,
                     _convert=convert, _placeholder=placeholder)

    def _sample(self) -> object:
        return self._placeholder

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation,
                  expected: str | None = None) -> object:
        """Check a scalar; ``expected`` replaces the type name in a mismatch message."""
        if isinstance(value, self._python_types) and (
            self._accepts_bool or not isinstance(value, bool)
        ):
            return value if self._convert is None else self._convert(value)
        evaluation.mismatch(path, expected or self.type_name, value)
        return None


def _to_float(value: object) -> object:
    return float(value)  # type: ignore[arg-type]


Int = ScalarType("Int", (int,), 0)
"""A whole number (not a bool)."""
Float = ScalarType("Float", (int, float), 0.0, convert=_to_float)
"""A number; an int given for it is turned into a float (a bool is refused)."""
String = ScalarType("String", (str,), "...")
"""A string."""
Bool = ScalarType("Bool", (bool,), False)
"""``true`` or ``false``."""


class AnyType(ConfigType):
    """Accepts any value, None included, and passes it through unchanged."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("Any", returns_input_objects=True)

    def _sample(self) -> object:
        return "..."

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        return value


Any = AnyType()
"""Any value at all; also what ``typing.Any``, ``None`` and a missing schema mean."""


class EnumValue(Immutable):
    """One allowed value of an :class:`Enum`.

    Args:
        config_value: The string written in config.
        python_value: What the config value becomes after processing; the string itself
            when None.
        description: What this value means, shown by ``describe``.
    """

    __slots__ = ("config_value", "description", "python_value")

    def __init__(self, config_value: str, python_value: object = None,
                 description: str | None = None) -> None:
        if not isinstance(config_value, str) or not config_value:
            raise HeadwaterInvalidConfigDefinitionError(
                f"EnumValue needs a non-empty string as config_value, received {config_value!r}."
            )
        self._assign(config_value=config_value,
                     python_value=config_value if python_value is None else python_value,
                     description=description)

    def __repr__(self) -> str:
        return f"EnumValue({self.config_value!r}, python_value={self.python_value!r})"


class Enum(ConfigType):
    """One of a fixed set of strings, each mapped to a Python value after processing.

    Args:
        name: The enum's name, shown in messages.
        enum_values: The allowed values.
        description: What the value is for.

    Example:
        >>> color = Enum("Color", [EnumValue("RED", python_value=(255, 0, 0)), EnumValue("BLUE")])
    """

    __slots__ = ("_expected", "_python_values", "config_values", "enum_values", "name")

    def __init__(self, name: str, enum_values: Sequence[EnumValue],
                 description: str | None = None) -> None:
        if not isinstance(name, str) or not name:
            raise HeadwaterInvalidConfigDefinitionError(
                f"Enum needs a non-empty string as name, received {name!r}."
            )
        values = tuple(enum_values) if isinstance(enum_values, (list, tuple)) else ()
        if not values or not all(isinstance(value, EnumValue) for value in values):
            raise HeadwaterInvalidConfigDefinitionError(
                f'Enum "{name}" needs a non-empty list of EnumValue, received {enum_values!r}.'
            )
        python_values = {value.config_value: value.python_value for value in values}
        if len(python_values) < len(values):
            raise HeadwaterInvalidConfigDefinitionError(
                f'Enum "{name}" lists a config value more than once: '
                f"{[value.config_value for value in values]}."
            )
        super().__init__(name, description)
        config_values = tuple(python_values)
        self._assign(name=name, enum_values=values, config_values=config_values,
                     _python_values=python_values,
                     _expected=f"one of {bracketed_names(config_values)} (enum {name})")

    @classmethod
    def from_python_enum(cls, py_enum: type[enum.Enum], name: str | None = None) -> Enum:
        """An Enum whose config values are the member names of a Python enum.

        Args:
            py_enum: The Python enum class; processing yields its members.
            name: The config enum's name; the class name when None.

        Example:
            >>> class Color(enum.Enum):
            ...     RED = 1
            >>> Enum.from_python_enum(Color).config_values
            ('RED',)
        """
        if not (isinstance(py_enum, type) and issubclass(py_enum, enum.Enum)):
            raise HeadwaterInvalidConfigDefinitionError(
                f"Enum.from_python_enum needs a Python enum class, received {py_enum!r}."
            )
        values = [EnumValue(member.name, python_value=member) for member in py_enum]
        return cls(name or py_enum.__name__, values)

    def _label(self) -> str:
        return f"{self.name}, one of {' | '.join(self.config_values)}"

    def _body(self) -> list[str]:
        return [f"# {value.config_value}: {value.description}"
                for value in self.enum_values if value.description]

    def _sample(self) -> object:
        return self.config_values[0]

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        hint = None
        if isinstance(value, str):
            if value in self._python_values:
                return self._python_values[value]
            match = suggest(value, self.config_values)
            hint = f'Did you mean "{match}"?' if match else None
        evaluation.mismatch(path, self._expected, value, hint)
        return None


def comment_lines(text: str | None) -> list[str]:
    """A description as YAML comment lines, for :meth:`ConfigType.describe`."""
    return [f"# {line}".rstrip() for line in text.splitlines()] if text else []
