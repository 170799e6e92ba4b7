"""A faster constructor for the frozen dataclasses built on a run's hot path.

A run builds a few dozen small frozen records per step (events, log entries, output
handles, type-check data). The ``__init__`` that ``@dataclass(frozen=True)`` generates sets
each field with ``object.__setattr__``, a global lookup, an attribute lookup and a call per
field: about 1 µs for a record of seven fields, a fifth of a trivial step's cost.
:func:`quick_init` replaces it with one that stores the fields directly (into the
instance's ``__dict__``, or through the slot descriptors of a ``slots=True`` class): the
same signature, defaults, default factories and ``__post_init__`` (with its ``InitVar``
arguments), three to four times faster. The record stays frozen: assigning to a field
afterwards raises ``FrozenInstanceError`` as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

_T = TypeVar("_T")
_MISSING = dataclasses.MISSING


class _Factory:
    """The default of a parameter whose field has a default factory (shown as dataclasses
    show it)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def quick_init(cls: type[_T]) -> type[_T]:
    """Give the frozen dataclass ``cls`` a faster ``__init__`` of the same signature.

    Apply it above ``@dataclass(frozen=True)``. A class whose fields it cannot handle the
    same way (``init=False`` fields without a default) keeps the generated constructor.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not params.init or "__init__" not in vars(cls):
        return cls
    if vars(cls)["__init__"].__code__.co_filename != "<string>":
        return cls  # the class wrote its own constructor: dataclass kept it, and so do we
    all_fields = list(cls.__dataclass_fields__.values())  # type: ignore[attr-defined]
    slotted = "__slots__" in vars(cls)
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    positional: list[str] = []
    keyword_only: list[str] = []
    body: list[str] = [] if slotted else ["    _d = self.__dict__"]
    init_vars: list[str] = []
    for index, field in enumerate(all_fields):
        name = field.name
        is_init_var = field._field_type is dataclasses._FIELD_INITVAR  # type: ignore[attr-defined]
        has_default = field.default is not _MISSING
        has_factory = field.default_factory is not _MISSING
        if has_default:
            namespace[f"_default_{index}"] = field.default
        if has_factory:
            namespace[f"_factory_{index}"] = field.default_factory
        if not field.init:
            if is_init_var or not (has_default or has_factory):
                return cls
            value = f"_factory_{index}()" if has_factory else f"_default_{index}"
        else:
            default = ("=_FACTORY" if has_factory else f"=_default_{index}" if has_default
                       else "")
            (keyword_only if field.kw_only else positional).append(f"{name}{default}")
            value = (f"_factory_{index}() if {name} is _FACTORY else {name}" if has_factory
                     else name)
        if is_init_var:
            init_vars.append(name)
            if value != name:
                body.append(f"    {name} = {value}")
            continue
        if slotted:
            namespace[f"_set_{index}"] = vars(cls)[name].__set__
            body.append(f"    _set_{index}(self, {value})")
        else:
            body.append(f"    _d[{name!r}] = {value}")
    if hasattr(cls, "__post_init__"):
        body.append(f"    self.__post_init__({', '.join(init_vars)})")
    signature = ", ".join(["self", *positional, *(["*", *keyword_only] if keyword_only else [])])
    source = f"def __init__({signature}):\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(source, namespace)  # the source is built above from field names only
    init = namespace["__init__"]
    generated = vars(cls)["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = generated.__doc__
    init.__annotations__ = generated.__annotations__
    cls.__init__ = init  # type: ignore[misc]
    return cls
