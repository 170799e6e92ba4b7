"""The builtin types: Any, the scalars Int/Float/String/Bool, and Nothing."""

from __future__ import annotations

from headwater import config
from headwater.types.loaders import ANY_LOADER, scalar_loader
from headwater.types.runtime import (
    HeadwaterType,
    HeadwaterTypeKind,
    isinstance_check,
    register_builtins,
)

Any = HeadwaterType(
    lambda _context, _value: True,
    name="Any",
    description="Any value, None included.",
    loader=ANY_LOADER,
    kind=HeadwaterTypeKind.ANY,
)
"""Accepts every value; the type of an input or output that declares none."""

# bool is a subclass of int, but True is almost never meant as a number.
Int = HeadwaterType(
    isinstance_check(int, "Int", rejected=bool),
    name="Int",
    description="An int (a bool is not accepted).",
    loader=scalar_loader(config.Int),
    kind=HeadwaterTypeKind.SCALAR,
    typing_type=int,
)
"""An ``int``; ``True``/``False`` are rejected."""

Float = HeadwaterType(
    isinstance_check((float, int), "Float", rejected=bool),
    name="Float",
    description="A float or an int (a bool is not accepted).",
    loader=scalar_loader(config.Float),
    kind=HeadwaterTypeKind.SCALAR,
    typing_type=float,
)
"""A ``float``, or an ``int`` (as Python's ``float`` hint allows); bools are rejected."""

String = HeadwaterType(
    isinstance_check(str, "String"),
    name="String",
    description="A str.",
    loader=scalar_loader(config.String),
    kind=HeadwaterTypeKind.SCALAR,
    typing_type=str,
)
"""A ``str``."""

Bool = HeadwaterType(
    isinstance_check(bool, "Bool"),
    name="Bool",
    description="A bool.",
    loader=scalar_loader(config.Bool),
    kind=HeadwaterTypeKind.SCALAR,
    typing_type=bool,
)
"""A ``bool``."""

Nothing = HeadwaterType(
    isinstance_check(type(None), "Nothing"),
    name="Nothing",
    description="No value: an input of this type only orders its solid after another.",
    kind=HeadwaterTypeKind.NOTHING,
    typing_type=type(None),
)
"""No value (the value is ``None``). A ``Nothing`` input expresses a pure ordering
dependency and may fan in from several outputs."""

register_builtins(Any, Int, Float, String, Bool, Nothing)
