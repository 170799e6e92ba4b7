"""Config schemas, and the validation and processing of config values against them.

A schema is built from config types (``Int``, ``Shape``, ``Array``, ...), ``Field``s and
Python shorthand (``{"path": str, "limit": Field(int, default_value=10)}``).
``process_config`` checks a value against it and returns the processed value (defaults
filled, env sources read, enums mapped) or every error found, each naming its path, what
was expected and what was received.

Where this differs from the legacy model it follows: ``BoolSource`` reads only true/false
words from the environment (``"false"`` is False, ``"maybe"`` an error); a bool is never an
``Int`` or ``Float``; an int given for a ``Float`` becomes a float; an empty YAML value
(None) given for a dict schema counts as an empty dict; ``Array`` also accepts a tuple.
"""

from headwater.config.describe import describe, sample_config
from headwater.config.env import BoolSource, IntSource, StringSource
from headwater.config.field import (
    Array,
    Field,
    Permissive,
    Shape,
    convert_potential_field,
    resolve_to_config_type,
)
from headwater.config.files import config_from_files, config_from_yaml_strings, deep_merge
from headwater.config.process import process_config
from headwater.config.result import ConfigError, ConfigErrorReason, ConfigResult
from headwater.config.types import Any, Bool, ConfigType, Enum, EnumValue, Float, Int, String
from headwater.config.unions import Noneable, ScalarUnion, Selector

__all__ = [
    "Any",
    "Array",
    "Bool",
    "BoolSource",
    "ConfigError",
    "ConfigErrorReason",
    "ConfigResult",
    "ConfigType",
    "Enum",
    "EnumValue",
    "Field",
    "Float",
    "Int",
    "IntSource",
    "Noneable",
    "Permissive",
    "ScalarUnion",
    "Selector",
    "Shape",
    "String",
    "StringSource",
    "config_from_files",
    "config_from_yaml_strings",
    "convert_potential_field",
    "deep_merge",
    "describe",
    "process_config",
    "resolve_to_config_type",
    "sample_config",
]
