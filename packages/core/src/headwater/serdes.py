"""JSON serialization of Headwater's records (events, runs, snapshots).

Records are frozen dataclasses and enums registered with :func:`serializable`. They are
written as JSON objects with a ``"__class__"`` discriminator so that storage written by one
process can be read back, typed, by another. Unregistered objects are refused loudly rather
than silently pickled.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable
from typing import Any, TypeVar

from headwater.errors import HeadwaterError
from headwater.records import quick_init

_T = TypeVar("_T")
_CLASSES: dict[str, type] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}


class HeadwaterSerializationError(HeadwaterError):
    """A value cannot be serialized, or a stored record names an unknown class."""


def serializable(cls: type[_T]) -> type[_T]:
    """Register a frozen dataclass or an enum for JSON serialization under its class name."""
    name = cls.__name__
    if name in _CLASSES and _CLASSES[name] is not cls:
        raise HeadwaterSerializationError(f'Two serializable classes are both named "{name}".')
    _CLASSES[name] = cls
    if dataclasses.is_dataclass(cls):
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
        quick_init(cls)  # records are built by the thousand on a run's hot path
    return cls


# Exact types stored as they are: checked with type() first, the common case on the event
# log's hot path (a str subclass such as a str-valued enum is not among them).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def pack(value: Any) -> Any:
    """Turn ``value`` into JSON-compatible data (dicts, lists, strings, numbers)."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    fields = _FIELDS.get(cls)
    if fields is not None:
        packed = {"__class__": cls.__name__}
        for name in fields:
            field_value = getattr(value, name)
            packed[name] = field_value if type(field_value) in _PLAIN else pack(field_value)
        return packed
    # Before the scalars: a str-valued enum (PipelineRunStatus) is also a str, and must come
    # back as its enum, not as a bare string.
    if isinstance(value, enum.Enum):
        return {"__enum__": f"{cls.__name__}.{value.name}"}
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): pack(v) for k, v in value.items()}
    if isinstance(value, list):
        return [pack(v) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [pack(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"__frozenset__": sorted((pack(v) for v in value), key=repr)}
    raise HeadwaterSerializationError(
        f"Cannot serialize a value of type {cls.__qualname__}: register it with @serializable "
        "or convert it to plain data first."
    )


def unpack(data: Any) -> Any:
    """Inverse of :func:`pack`."""
    if isinstance(data, list):
        return [unpack(v) for v in data]
    if not isinstance(data, dict):
        return data
    class_name = data.get("__class__")
    if class_name is not None:
        cls = _lookup(class_name)
        kwargs = {k: unpack(v) for k, v in data.items() if k != "__class__"}
        return cls(**kwargs)
    enum_name = data.get("__enum__")
    if enum_name is not None:
        class_name, _, member = enum_name.partition(".")
        return _lookup(class_name)[member]
    if "__tuple__" in data:
        return tuple(unpack(v) for v in data["__tuple__"])
    if "__frozenset__" in data:
        return frozenset(unpack(v) for v in data["__frozenset__"])
    return {k: unpack(v) for k, v in data.items()}


def serialize(value: Any) -> str:
    """Serialize a registered record (or plain data) to a JSON string."""
    return _ENCODE(pack(value))


# One encoder serves every call (json.dumps with options builds a new one each time). What
# pack returns is a fresh tree of dicts and lists, never circular: the check is skipped.
_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def deserialize(text: str) -> Any:
    """Read back a JSON string written by :func:`serialize`."""
    # The decoder hands each object to _revive as it finishes it, innermost first: the same
    # result as unpack(json.loads(text)) without a second walk in Python over the data
    # (reading a run's 100,000 events spent most of its time there). One decoder serves
    # every call: json.loads with a hook builds a new one each time.
    return _DECODER.decode(text)


def _revive(data: dict[str, Any]) -> Any:
    """One decoded JSON object, its members already revived, as :func:`unpack` makes it."""
    class_name = data.get("__class__")
    if class_name is not None:
        cls = _lookup(class_name)
        del data["__class__"]
        return cls(**data)
    enum_name = data.get("__enum__")
    if enum_name is not None:
        class_name, _, member = enum_name.partition(".")
        return _lookup(class_name)[member]
    if "__tuple__" in data:
        return tuple(data["__tuple__"])
    if "__frozenset__" in data:
        return frozenset(data["__frozenset__"])
    return data


_DECODER = json.JSONDecoder(object_hook=_revive)


# Core's modules of serializable records. ``import headwater`` loads execution and the
# instance only on first use, so a process that reads a stored record first (a notebook's
# kernel, a worker) may not have registered its class yet: they are imported then.
_RECORD_MODULES = ("headwater.definitions.events", "headwater.definitions.run_request",
                   "headwater.metadata", "headwater.execution.events",
                   "headwater.execution.run", "headwater.instance.records",
                   "headwater.instance.jobs", "headwater.instance.ref")


def _lookup(class_name: str) -> Callable[..., Any]:
    cls = _CLASSES.get(class_name)
    if cls is not None:
        return cls
    import importlib

    for module in _RECORD_MODULES:
        importlib.import_module(module)
    try:
        return _CLASSES[class_name]
    except KeyError:
        raise HeadwaterSerializationError(
            f'Stored record names the class "{class_name}", which is not registered in this '
            "process. Is the package that defines it installed and imported?"
        ) from None
