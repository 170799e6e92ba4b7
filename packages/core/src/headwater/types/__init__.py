"""Runtime types: what the values flowing between solids must be.

A runtime type is a named check run on every step input and output, plus an optional
loader that builds an unconnected input from run config. Python type hints stand for
types (``int`` for ``Int``, ``list[str]`` for ``List[String]``, any other class for an
isinstance type), so most solids never name a Headwater type at all.

These types are distinct from config types (``headwater.config``), which describe run
config rather than the values solids exchange.
"""

from headwater.types.builtins import Any, Bool, Float, Int, Nothing, String
from headwater.types.context import TypeCheckContext, check_headwater_type
from headwater.types.loaders import HeadwaterTypeLoader, headwater_type_loader
from headwater.types.materializers import HeadwaterTypeMaterializer, headwater_type_materializer
from headwater.types.python_mapping import (
    Dict,
    List,
    Optional,
    Set,
    Tuple,
    make_python_type_usable_as_headwater_type,
    resolve_headwater_type,
    usable_as_headwater_type,
)
from headwater.types.runtime import HeadwaterType, HeadwaterTypeKind, PythonObjectHeadwaterType
from headwater.types.type_check import TypeCheck

__all__ = [
    "Any",
    "Bool",
    "Dict",
    "Float",
    "HeadwaterType",
    "HeadwaterTypeKind",
    "HeadwaterTypeLoader",
    "Int",
    "List",
    "Nothing",
    "Optional",
    "PythonObjectHeadwaterType",
    "Set",
    "String",
    "Tuple",
    "TypeCheck",
    "TypeCheckContext",
    "check_headwater_type",
    "headwater_type_loader",
    "HeadwaterTypeMaterializer",
    "headwater_type_materializer",
    "make_python_type_usable_as_headwater_type",
    "resolve_headwater_type",
    "usable_as_headwater_type",
]
