"""How config paths, values and suggestions are written in messages and descriptions.

Every message of the config layer goes through these helpers, so that a path, a received
value or a list of names reads the same wherever it appears.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence

ROOT = "<root>"
"""How the empty path (the config value itself) is written."""

_MAX_NAMES = 20
_MAX_STRING = 60
_PLAIN_STRING_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./@+~$%"
)

_repr = reprlib.Repr()
_repr.maxstring = _MAX_STRING
_repr.maxother = _MAX_STRING
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 5
_repr.maxlevel = 3


def render_path(path: Sequence[str | int]) -> str:
    """Write a config path the way a user would look it up in YAML.

    Args:
        path: Keys and list indexes from the root, e.g. ``("solids", "load", "items", 2)``.

    Returns:
        ``solids.load.items[2]``, or ``<root>`` for the empty path.
    """
    if not path:
        return ROOT
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif parts:
            parts.append(f".{part}")
        else:
            parts.append(str(part))
    return "".join(parts)


def show_value(value: object) -> str:
    """Write a received value for a message: quoted strings, short reprs, and its type.

    Args:
        value: Any value found in the config.

    Returns:
        e.g. ``"ten" (str)``, ``3.5 (float)``, ``None``.
    """
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"{quote(value)} (str)"
    return f"{_repr.repr(value)} ({type(value).__name__})"


def quote(text: str) -> str:
    """Write a string in double quotes, shortened when long."""
    if len(text) > _MAX_STRING:
        text = text[: _MAX_STRING - 3] + "..."
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quoted_names(names: Iterable[object]) -> str:
    """Write names as ``"a", "b"``, shortened after a few dozen."""
    return _shortened([quote(str(name)) for name in names])


def bracketed_names(names: Iterable[object]) -> str:
    """Write names as ``[a, b]``, shortened after a few dozen."""
    return f"[{_shortened([str(name) for name in names])}]"


def flow(value: object) -> str:
    """Write a value as inline YAML: ``{path: ..., limit: 10}``.

    Used for defaults and sample config. Strings are left bare when YAML would read them
    back as the same string, so that the placeholder ``"..."`` reads as ``...``.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(key)}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    if isinstance(value, str):
        if value == "..." or (value and set(value) <= _PLAIN_STRING_CHARS
                              and not _looks_like_a_yaml_scalar(value)):
            return value
        return quote(value)
    return repr(value)


def suggest(word: object, candidates: Iterable[str]) -> str | None:
    """The candidate the user most likely meant by ``word``, if any is close enough.

    A case-insensitive exact match wins; otherwise the closest match by similarity.
    """
    if not isinstance(word, str):
        return None
    candidates = list(candidates)
    folded = word.casefold()
    for candidate in candidates:
        if candidate.casefold() == folded:
            return candidate
    # difflib is only needed once something is already wrong; keep it off the import path.
    import difflib

    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _shortened(items: list[str]) -> str:
    if len(items) <= _MAX_NAMES:
        return ", ".join(items)
    return ", ".join(items[:_MAX_NAMES]) + f", ... ({len(items) - _MAX_NAMES} more)"


def _looks_like_a_yaml_scalar(text: str) -> bool:
    if text.lower() in {"true", "false", "yes", "no", "on", "off", "null", "~"}:
        return True
    return text[0] in "-.+0123456789~@%"
