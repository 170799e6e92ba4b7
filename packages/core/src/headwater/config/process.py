"""Checking and processing a config value against its schema, in one pass."""

from __future__ import annotations

from headwater.config.field import convert_potential_field
from headwater.config.result import ConfigResult, Evaluation


def process_config(schema: object, value: object) -> ConfigResult:
    """Validate a config value and turn it into what the code using it receives.

    In the same pass: defaults are filled in (nested ones included), env sources are read,
    enum strings become their Python values, and the extra entries of a ``Permissive`` pass
    through. Every mistake is reported, not just the first.

    Args:
        schema: A :class:`Field`, or anything ``resolve_to_config_type`` accepts.
        value: The config value, e.g. parsed from YAML. None stands for "nothing given":
            the schema's default (given or implicit) is used when it has one.

    Returns:
        A :class:`ConfigResult` with the processed value, or every error found.

    Example:
        >>> process_config({"path": str, "limit": Field(int, default_value=10)},
        ...                {"path": "in.csv"}).value
        {'path': 'in.csv', 'limit': 10}
    """
    field = convert_potential_field(schema)
    evaluation = Evaluation(read_env=True)
    if value is None and field.default_provided:
        processed = field._processed_default((), evaluation)
    else:
        processed = field.config_type._evaluate(value, (), evaluation)
    if evaluation.errors:
        return ConfigResult(success=False, value=None, errors=evaluation.errors)
    return ConfigResult(success=True, value=processed, errors=[])
