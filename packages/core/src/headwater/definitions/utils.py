"""Small checks shared by every definition: names, tags, the "no value" marker."""

from __future__ import annotations

import inspect
import json
import keyword
import os
import re
from collections.abc import Mapping
from typing import Any

from headwater.errors import HeadwaterInvalidDefinitionError

VALID_NAME_REGEX_STR = r"^[A-Za-z0-9_]+$"
_VALID_NAME = re.compile(VALID_NAME_REGEX_STR)
DEFAULT_OUTPUT = "result"
DEFAULT_MODE = "default"
DEFAULT_IO_MANAGER_KEY = "io_manager"

_RESERVED_NAMES = frozenset(
    {"context", "conf", "config", "meta", "arg_dict", "dict", "input_arg_dict",
     "output_arg_dict", "int", "str", "float", "bool", "input", "output", "type"}
    | set(keyword.kwlist)
)

SYSTEM_TAG_PREFIX = "headwater/"


class _NoValue:
    """Marks an argument that was not given (``None`` can be a real default)."""

    _instance: _NoValue | None = None

    def __new__(cls) -> _NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


def check_valid_name(name: str, what: str = "name") -> str:
    """Return ``name`` if it can name a definition, else raise an error naming the rule."""
    if not isinstance(name, str):
        raise HeadwaterInvalidDefinitionError(
            f"The {what} must be a string, received {name!r} of type {type(name).__name__}."
        )
    if name in _RESERVED_NAMES:
        raise HeadwaterInvalidDefinitionError(
            f'"{name}" is not a valid {what}: it is a reserved Headwater or Python keyword. '
            "Choose another name."
        )
    if not _VALID_NAME.match(name):
        raise HeadwaterInvalidDefinitionError(
            f'"{name}" is not a valid {what}: names must match {VALID_NAME_REGEX_STR} '
            "(letters, digits and underscores)."
        )
    return name


def normalize_tags(tags: Mapping[str, Any] | None, where: str,
                   allow_reserved: bool = False) -> dict[str, str]:
    """Return tags as ``{str: str}``: non-string values are JSON-encoded.

    Raises when a value does not survive a JSON round trip, or when a user sets a tag under
    the reserved ``headwater/`` prefix (other than the editable ``headwater/priority``).
    """
    if not tags:
        return {}
    if not isinstance(tags, Mapping):
        raise HeadwaterInvalidDefinitionError(f"Tags of {where} must be a dict, received {tags!r}.")
    normalized: dict[str, str] = {}
    for key, value in tags.items():
        if not isinstance(key, str):
            raise HeadwaterInvalidDefinitionError(
                f"Tag keys of {where} must be strings, received {key!r}."
            )
        if (not allow_reserved and key.startswith(SYSTEM_TAG_PREFIX)
                and key not in USER_EDITABLE_SYSTEM_TAGS):
            raise HeadwaterInvalidDefinitionError(
                f'Tag "{key}" of {where} uses the reserved prefix "{SYSTEM_TAG_PREFIX}". '
                "Use a prefix of your own."
            )
        if isinstance(value, str):
            normalized[key] = value
            continue
        try:
            encoded = json.dumps(value, sort_keys=True)
            round_trips = json.loads(encoded) == value
        except (TypeError, ValueError):
            round_trips = False
        if not round_trips:
            raise HeadwaterInvalidDefinitionError(
                f'Tag "{key}" of {where} has value {value!r}, which cannot be stored: tag values '
                "must be strings or JSON-serializable values that survive a round trip."
            )
        normalized[key] = encoded
    return normalized


PRIORITY_TAG = "headwater/priority"
USER_EDITABLE_SYSTEM_TAGS = frozenset({PRIORITY_TAG})


def headwater_home() -> str:
    """``$HEADWATER_HOME``, or ``~/.headwater`` when it is not set."""
    return os.path.abspath(os.path.expanduser(os.environ.get("HEADWATER_HOME") or "~/.headwater"))


def positional_param_count(fn: object) -> int:
    return sum(
        1 for p in inspect.signature(fn).parameters.values()  # type: ignore[arg-type]
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    )


CONTEXT_PARAM_NAMES = frozenset({"context", "_context", "_", "context_"})
