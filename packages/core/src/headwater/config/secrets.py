"""Secrets: values that must never be shown, and how text is masked before it is.

A value read from the environment for config (``{env: VAR}`` in a ``StringSource``), and a
value given to a config field declared ``Field(..., is_secret=True)``, is registered here
for the life of the process. Every log line, event message, error (message and
traceback), stored event and captured step output passes through :func:`mask` (or
:func:`mask_bytes`) before it is shown or stored, so the value appears as ``***``.

Values shorter than ``MIN_LENGTH`` characters are not registered: masking "1" or "dev"
everywhere would hide more than it protects.
"""

from __future__ import annotations

import json
import re
import threading

MASK = "***"
MIN_LENGTH = 4

_forms: set[str] = set()  # each value as written, and as it appears inside JSON strings
_lock = threading.Lock()
_text_pattern: re.Pattern[str] | None = None
_bytes_pattern: re.Pattern[bytes] | None = None


def register_secret(value: object) -> None:
    """Mask ``value`` (a string) from now on, in this process."""
    global _text_pattern, _bytes_pattern
    if not isinstance(value, str) or len(value) < MIN_LENGTH or value in _forms:
        return
    with _lock:
        _forms.update({value, json.dumps(value)[1:-1],
                       json.dumps(value, ensure_ascii=False)[1:-1]})
        ordered = sorted(_forms, key=len, reverse=True)  # the longest form wins a match
        _text_pattern = re.compile("|".join(map(re.escape, ordered)))
        _bytes_pattern = re.compile(b"|".join(re.escape(form.encode("utf-8"))
                                              for form in ordered))


def has_secrets() -> bool:
    """Whether any value is registered (when none is, masking costs nothing)."""
    return _text_pattern is not None


def mask(text: str) -> str:
    """``text`` with every registered value replaced by ``***``."""
    pattern = _text_pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def mask_bytes(data: bytes) -> bytes:
    """``data`` with every registered value (UTF-8) overwritten by as many ``*``: the same
    length, so that byte offsets into a file stay right."""
    pattern = _bytes_pattern
    if pattern is None or not data:
        return data
    return pattern.sub(lambda match: b"*" * len(match.group()), data)


def longest_secret() -> int:
    """The length in bytes of the longest registered form (0 when none)."""
    return max((len(form.encode("utf-8")) for form in _forms), default=0)


def forget_secrets() -> None:
    """Unregister every value (test suites call it between tests; a process that serves
    many runs keeps them, masking more rather than less)."""
    global _text_pattern, _bytes_pattern
    with _lock:
        _forms.clear()
        _text_pattern = _bytes_pattern = None
