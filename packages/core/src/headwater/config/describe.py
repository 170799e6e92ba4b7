"""Showing a schema to people: a readable description and a sample to start from."""

from __future__ import annotations

from collections.abc import Mapping

from headwater.config.field import Field, resolve_to_config_type
from headwater.config.render import flow
from headwater.config.types import comment_lines


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


def scaffold(schema: object) -> str:
    """A YAML skeleton of a config with every entry, its type and its default.

    Each entry is a line ``name: value  # Type (required|optional, default: ...)``, its
    description as a comment above it. Entries with a default show it; required entries
    without one show a placeholder to replace; optional entries without one are commented
    out, as are all but the first choice of a selector. Filled in, the skeleton is a valid
    config.

    Args:
        schema: A :class:`Field`, or anything ``resolve_to_config_type`` accepts; a dict
            schema (Shape) gives the top-level entries.
    """
    from headwater.config.field import Shape

    config_type = resolve_to_config_type(schema)
    if not isinstance(config_type, Shape):
        return f"# {config_type._label()}\n{flow(config_type._sample())}\n"
    return "\n".join(_scaffold_fields(config_type.fields, selector=False, commented=False)) + "\n"


def _scaffold_fields(fields: Mapping[str, Field], *, selector: bool, commented: bool,
                     chosen: str | None = None) -> list[str]:
    from headwater.config.field import Shape
    from headwater.config.unions import Selector

    lines: list[str] = []
    if selector:
        chosen = chosen if chosen in fields else next(iter(fields))
        lines.append(f"# choose one of: {', '.join(fields)}")
    for name, field in fields.items():
        config_type = field.config_type
        nested = isinstance(config_type, (Shape, Selector))
        off = commented or (selector and name != chosen) or (
            not selector and not field.is_required and not field.default_provided
            and not nested)
        prefix = "# " if off else ""
        lines.extend(comment_lines(field.description or config_type.description))
        flags = [] if selector else ["required" if field.is_required else "optional"]
        if field.default_provided and not nested:
            flags.append(f"default: {flow(field.default_value)}")
        note = f"  # {config_type._label()}" + (f" ({', '.join(flags)})" if flags else "")
        if nested and config_type.fields:
            default = field.default_value if field.default_provided else None
            choice = next(iter(default)) if isinstance(default, dict) and len(default) == 1 \
                else None
            children = _scaffold_fields(config_type.fields,
                                        selector=isinstance(config_type, Selector),
                                        commented=off, chosen=choice)
            lines.append(f"{prefix}{name}:{note}")
            lines.extend(f"  {line}" for line in children)
            continue
        value = field.default_value if field.default_provided else config_type._sample()
        lines.append(f"{prefix}{name}: {flow(value)}{note}")
    return lines
