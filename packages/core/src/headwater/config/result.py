"""What processing a config value produces: the value, or every error found.

All messages of config validation are written here, so that each kind of mistake reads the
same wherever it happens: it names the path, what was expected and what was received.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from headwater.config.render import (
    bracketed_names,
    flow,
    quote,
    quoted_names,
    render_path,
    show_value,
    suggest,
)

_MAX_SUGGESTED_KEYS = 5
_MAX_SAMPLED_ENTRIES = 10
_NONE_HINT = "This entry needs a value (in YAML, a key with nothing after it is None)."


class ConfigErrorReason(enum.Enum):
    """The kind of mistake a :class:`ConfigError` reports."""

    RUNTIME_TYPE_MISMATCH = "RUNTIME_TYPE_MISMATCH"
    """A value has the wrong type (a string for an Int, a list for a dict, ...)."""
    MISSING_REQUIRED_FIELD = "MISSING_REQUIRED_FIELD"
    """One required entry is absent."""
    MISSING_REQUIRED_FIELDS = "MISSING_REQUIRED_FIELDS"
    """Several required entries of the same dict are absent."""
    FIELD_NOT_DEFINED = "FIELD_NOT_DEFINED"
    """One entry is not declared by the schema."""
    FIELDS_NOT_DEFINED = "FIELDS_NOT_DEFINED"
    """Several entries of the same dict are not declared by the schema."""
    SELECTOR_FIELD_ERROR = "SELECTOR_FIELD_ERROR"
    """A selector got no entry, or more than one."""
    FAILED_POST_PROCESSING = "FAILED_POST_PROCESSING"
    """A valid-looking value could not be turned into its final form (e.g. an unset env var)."""


@dataclass(frozen=True)
class ConfigError:
    """One mistake in a config value.

    Attributes:
        reason: The kind of mistake.
        message: A sentence naming the path, what was expected and what was received.
        path: Keys and list indexes from the root to the offending value.
        expected: The expected type name, or a description of what was expected.
        received: The offending value (or key), or None when something is missing.
    """

    reason: ConfigErrorReason
    message: str
    path: tuple[str | int, ...]
    expected: str
    received: object = None

    @property
    def path_str(self) -> str:
        """The path as written in YAML terms, e.g. ``solids.load.config.items[2]``."""
        return render_path(self.path)


@dataclass(frozen=True)
class ConfigResult:
    """The outcome of :func:`~headwater.config.process_config`.

    Attributes:
        success: True when the value matched its schema and was fully processed.
        value: The processed value (defaults filled, env vars read, enums mapped), or None
            when processing failed.
        errors: Every mistake found, in the order met; empty on success.
    """

    success: bool
    value: object
    errors: list[ConfigError] = field(default_factory=list)


class Evaluation:
    """One pass over a config value: collects errors instead of stopping at the first.

    Attributes:
        errors: The errors found so far.
        read_env: Whether env sources are read. Defaults are checked with this off, since
            the variable they name need only exist when a run is configured.
    """

    __slots__ = ("errors", "read_env")

    def __init__(self, *, read_env: bool) -> None:
        self.errors: list[ConfigError] = []
        self.read_env = read_env

    def mismatch(self, path: tuple[str | int, ...], expected: str, value: object,
                 hint: str | None = None) -> None:
        """Record a value of the wrong type (or an enum value that is not allowed)."""
        if value is None and hint is None:
            hint = _NONE_HINT
        message = f"Invalid value at {render_path(path)}: expected {expected}, received {show_value(value)}."
        self._add(ConfigErrorReason.RUNTIME_TYPE_MISMATCH, _sentences(message, hint), path,
                  expected, value)

    def missing(self, path: tuple[str | int, ...],
                entries: Sequence[tuple[str, str, object]]) -> None:
        """Record required entries absent from a dict.

        Args:
            path: The path of the dict.
            entries: ``(name, type name, sample value)`` of each missing entry.
        """
        shown = entries[:_MAX_SAMPLED_ENTRIES]
        sample = flow({name: sample for name, _, sample in shown})
        where = render_path(path)
        if len(entries) == 1:
            name, expected, _ = entries[0]
            message = (f'Missing required config entry "{name}" at {where}. '
                       f"Expected: {expected}. Sample config: {sample}")
            reason = ConfigErrorReason.MISSING_REQUIRED_FIELD
        else:
            expected = "{" + ", ".join(f"{name}: {type_name}" for name, type_name, _ in shown)
            expected += ", ...}" if len(entries) > len(shown) else "}"
            message = (f"Missing required config entries {quoted_names(e[0] for e in entries)} "
                       f"at {where}. Expected: {expected}. Sample config: {sample}")
            reason = ConfigErrorReason.MISSING_REQUIRED_FIELDS
        self._add(reason, message, path, expected, None)

    def unexpected(self, path: tuple[str | int, ...], keys: Sequence[object],
                   declared: Sequence[str], unused: Sequence[str], expected: str) -> None:
        """Record keys a dict does not declare, suggesting what each was meant to be.

        Args:
            path: The path of the dict.
            keys: The undeclared keys received.
            declared: Every declared key, listed in the message.
            unused: The declared keys not given, from which suggestions are drawn.
            expected: The type name of the dict.
        """
        pairs = []
        for key in keys[:_MAX_SUGGESTED_KEYS]:
            match = suggest(key, unused)
            if match is not None:
                pairs.append((key, match))
        where = render_path(path)
        if len(keys) == 1:
            message = f"Received unexpected config entry {quoted_names(keys)} at {where}."
            hint = f'Did you mean "{pairs[0][1]}"?' if pairs else None
            reason, received = ConfigErrorReason.FIELD_NOT_DEFINED, keys[0]
        else:
            message = f"Received unexpected config entries {quoted_names(keys)} at {where}."
            hint = ("Did you mean " + ", ".join(f'"{match}" for "{key}"' for key, match in pairs)
                    + "?") if pairs else None
            reason, received = ConfigErrorReason.FIELDS_NOT_DEFINED, list(keys)
        declared_sentence = f"Declared entries: {bracketed_names(declared)}."
        self._add(reason, _sentences(message, hint, declared_sentence), path, expected, received)

    def selector_choice(self, path: tuple[str | int, ...], chosen: Sequence[str],
                        declared: Sequence[str], expected: str, value: object) -> None:
        """Record a selector given no entry, or several, when it needs exactly one."""
        received = f"{len(chosen)}: {quoted_names(chosen)}" if chosen else "none"
        message = (f"Expected exactly one entry at {render_path(path)}, received {received}. "
                   f"Choose one of {bracketed_names(declared)}.")
        self._add(ConfigErrorReason.SELECTOR_FIELD_ERROR, message, path, expected, value)

    def env_unset(self, path: tuple[str | int, ...], variable: str, expected: str,
                  value: object) -> None:
        """Record an env source naming a variable that is not set."""
        message = (f'Environment variable "{variable}" is not set (at {render_path(path)}). '
                   "Set it, or give the value directly.")
        self._add(ConfigErrorReason.FAILED_POST_PROCESSING, message, path, expected, value)

    def env_unreadable(self, path: tuple[str | int, ...], variable: str, raw: str,
                       expected: str, fix: str) -> None:
        """Record an env variable whose text is not a valid value of the expected type."""
        message = (f'Environment variable "{variable}" holds {quote(raw)}, which is not a valid '
                   f"{expected} (at {render_path(path)}). {fix}")
        self._add(ConfigErrorReason.FAILED_POST_PROCESSING, message, path, expected, raw)

    def _add(self, reason: ConfigErrorReason, message: str, path: tuple[str | int, ...],
             expected: str, received: object) -> None:
        self.errors.append(ConfigError(reason, message, path, expected, received))


def _sentences(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)
