"""Config values that may come from environment variables: ``StringSource`` and friends.

A source accepts a literal (``url: postgres://...``) or ``{env: VAR_NAME}``. The variable is
read when the config is processed for a run, not when the schema is defined, so a default
of ``{env: ...}`` does not need the variable to exist at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from headwater.config.field import Field, Shape
from headwater.config.result import Evaluation
from headwater.config.secrets import register_secret
from headwater.config.types import Bool, Int, Path, ScalarType, String
from headwater.config.unions import ScalarUnion

# Unlike truthiness of strings (where "false" is true), only these words are booleans.
_BOOL_WORDS = {
    "true": True, "1": True, "yes": True, "on": True,
    "false": False, "0": False, "no": False, "off": False, "": False,
}


class EnvSource(ScalarUnion):
    """A scalar given directly, or read from the environment variable ``{env: NAME}``.

    Args:
        name: The type name, e.g. ``StringSource``.
        scalar_type: The scalar the value must be.
        parse: Turns the variable's text into the scalar; raises ValueError if it cannot.
        fix: What to tell the user when the text cannot be parsed.
    """

    __slots__ = ("_fix", "_parse")

    def __init__(self, name: str, scalar_type: ScalarType,
                 parse: Callable[[str], object], fix: str) -> None:
        env_shape = Shape({
            "env": Field(String, description="The name of the environment variable to read."),
        })
        self._init_union(scalar_type, env_shape, name,
                         f"{scalar_type.type_name} or {{env: VAR_NAME}} ({name})")
        self._assign(_parse=parse, _fix=fix)

    def _body(self) -> list[str]:
        # The type name already says that {env: ...} is accepted; no need to spell it out.
        return []

    def _evaluate(self, value: object, path: Path, evaluation: Evaluation) -> object:
        if not isinstance(value, dict):
            return self.scalar_type._evaluate(value, path, evaluation, self._expected)
        errors_before = len(evaluation.errors)
        checked = self.non_scalar_type._evaluate(value, path, evaluation)
        if len(evaluation.errors) > errors_before or not evaluation.read_env:
            return checked
        variable = checked["env"]  # type: ignore[index]
        raw = os.environ.get(variable)
        if raw is None:
            evaluation.env_unset(path, variable, self.type_name, value)
            return None
        try:
            parsed = self._parse(raw)
        except ValueError:
            evaluation.env_unreadable(path, variable, raw, self.scalar_type.type_name, self._fix)
            return None
        register_secret(parsed)  # read from the environment: never shown (strings only)
        return parsed


def _parse_string(raw: str) -> object:
    return raw


def _parse_int(raw: str) -> object:
    return int(raw.strip())


def _parse_bool(raw: str) -> object:
    word = raw.strip().lower()
    if word not in _BOOL_WORDS:
        raise ValueError(f"not a boolean word: {raw!r}")
    return _BOOL_WORDS[word]


StringSource = EnvSource("StringSource", String, _parse_string, "")
"""A String, or ``{env: VAR_NAME}`` to read it from an environment variable."""
IntSource = EnvSource("IntSource", Int, _parse_int,
                      "Set it to a whole number, or give the value directly.")
"""An Int, or ``{env: VAR_NAME}`` whose text is a whole number."""
BoolSource = EnvSource("BoolSource", Bool, _parse_bool,
                       "Use true/false, yes/no, on/off or 1/0 (in any case), or give the "
                       "value directly.")
"""A Bool, or ``{env: VAR_NAME}`` whose text is true/yes/on/1 or false/no/off/0/empty
(in any case); any other text is an error, not True."""
