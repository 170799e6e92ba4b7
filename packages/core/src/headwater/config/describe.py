"""Showing a schema to people: a readable description and a sample to start from."""

from __future__ import annotations

from headwater.config.field import resolve_to_config_type


def describe(schema: object) -> str:
    """A readable, YAML-like rendering of a schema.

    Args:
        schema: A :class:`Field`, or anything ``resolve_to_config_type`` accepts.

    Returns:
        One line per entry with its type, whether it is required, its default and (as a
        comment above it) its description; nested entries are indented.

    Example:
        >>> print(describe({"path": Field(str, description="File to read."),
        ...                 "limit": Field(int, default_value=10)}))
        # File to read.
        path: String (required)
        limit: Int (optional, default: 10)
    """
    return resolve_to_config_type(schema).describe()


def sample_config(schema: object) -> object:
    """A skeleton of a config value with placeholders for the required entries.

    Placeholders: ``...`` for strings, ``0`` for numbers, ``False`` for bools, the first
    value of an enum, the first choice of a selector, a one-item list for an array.

    Args:
        schema: A :class:`Field`, or anything ``resolve_to_config_type`` accepts.

    Example:
        >>> sample_config({"path": str, "limit": Field(int, default_value=10)})
        {'path': '...'}
    """
    return resolve_to_config_type(schema)._sample()
