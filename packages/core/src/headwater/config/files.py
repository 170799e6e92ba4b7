"""Config values from YAML files and strings, merged in the order given."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping

from headwater.errors import HeadwaterInvalidConfigError

_GLOB_CHARACTERS = frozenset("*?[")


def config_from_files(paths_or_globs: Iterable[str | os.PathLike[str]] | str) -> dict[str, object]:
    """Load YAML files and deep-merge them, later files winning.

    Each entry is a path or a glob pattern (``**`` matches across directories); the files a
    pattern matches are read in sorted order. Every problem (a pattern matching no file, a
    file that cannot be read or parsed) is reported at once.

    Args:
        paths_or_globs: Paths or patterns, in merge order; a single one may be given alone.

    Returns:
        The merged config value.

    Raises:
        HeadwaterInvalidConfigError: If a pattern matches no file, or a file cannot be read,
            is not valid YAML (the message gives file, line and column), or is not a
            mapping. Its ``errors`` are one message string per problem.

    Example:
        >>> config_from_files(["config/base.yaml", "config/prod/*.yaml"])  # doctest: +SKIP
    """
    single = isinstance(paths_or_globs, (str, os.PathLike))
    patterns = [os.fspath(entry) for entry in ([paths_or_globs] if single else paths_or_globs)]
    problems: list[str] = []
    documents: list[dict[str, object]] = []
    for pattern in patterns:
        matches = sorted(path for path in glob.glob(os.path.expanduser(pattern), recursive=True)
                         if os.path.isfile(path))
        if not matches:
            problems.append(_no_match(pattern))
        for path in matches:
            try:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
            except OSError as error:
                problems.append(f"{path}: cannot be read ({error.strerror or error}).")
                continue
            except UnicodeDecodeError as error:
                problems.append(not_utf8(path, error))
                continue
            _parse(text, path, documents, problems)
    if problems:
        raise HeadwaterInvalidConfigError("Could not load config from files.", problems,
                                          patterns)
    return deep_merge(*documents)


def config_from_yaml_strings(strings: Iterable[str] | str) -> dict[str, object]:
    """Parse YAML strings and deep-merge them, later strings winning.

    Args:
        strings: YAML documents, in merge order; a single one may be given alone.

    Returns:
        The merged config value.

    Raises:
        HeadwaterInvalidConfigError: If a string is not valid YAML (the message gives its
            position in ``strings``, line and column) or is not a mapping.

    Example:
        >>> config_from_yaml_strings(["a: {b: 1, c: 2}", "a: {c: 3}"])
        {'a': {'b': 1, 'c': 3}}
    """
    texts = [strings] if isinstance(strings, str) else list(strings)
    problems: list[str] = []
    documents: list[dict[str, object]] = []
    for number, text in enumerate(texts, start=1):
        _parse(text, f"YAML string {number}", documents, problems)
    if problems:
        raise HeadwaterInvalidConfigError("Could not load config from YAML strings.", problems,
                                          texts)
    return deep_merge(*documents)


def deep_merge(*dicts: Mapping[str, object]) -> dict[str, object]:
    """Merge dicts left to right: nested dicts merge, any other value is replaced.

    Lists are replaced, not concatenated. The inputs are left unchanged: every dict of the
    result is new (other values are shared with the inputs).

    Raises:
        TypeError: If an argument is not a dict.

    Example:
        >>> deep_merge({"a": {"b": 1, "c": [1]}}, {"a": {"c": [2]}, "d": 0})
        {'a': {'b': 1, 'c': [2]}, 'd': 0}
    """
    merged: dict[str, object] = {}
    for index, value in enumerate(dicts):
        if not isinstance(value, Mapping):
            raise TypeError(f"deep_merge takes dicts, argument {index} is {type(value).__name__}.")
        _merge_into(merged, value)
    return merged


def _merge_into(target: dict[str, object], source: Mapping[str, object]) -> None:
    # Every dict reachable from ``target`` was created here, so merging in place is safe.
    for key, value in source.items():
        if isinstance(value, Mapping):
            existing = target.get(key)
            if not isinstance(existing, dict):
                existing = target[key] = {}
            _merge_into(existing, value)
        else:
            target[key] = value


def _parse(text: str, source: str, documents: list[dict[str, object]],
           problems: list[str]) -> None:
    # PyYAML is only needed when config is actually loaded; keep it off the import path.
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
        problems.append(f"{where}: {getattr(error, 'problem', None) or error}.")
        return
    if data is None:
        documents.append({})
    elif isinstance(data, dict):
        documents.append(data)
    else:
        problems.append(f"{source}: the top level must be a mapping of config entries, "
                        f"found a {type(data).__name__}.")


def _no_match(pattern: str) -> str:
    where = "" if os.path.isabs(pattern) else f" (relative to {os.getcwd()})"
    if _GLOB_CHARACTERS.isdisjoint(pattern):
        return f'Config file "{pattern}" does not exist{where}.'
    return f'No config file matches the pattern "{pattern}"{where}.'


def not_utf8(path: str, error: UnicodeDecodeError) -> str:
    """The message for a text file that is not UTF-8 (config and settings must be)."""
    return (f"{path} is not UTF-8 text: the byte {error.object[error.start]:#04x} at offset "
            f"{error.start} is not valid UTF-8. Save the file as UTF-8 (most editors have an "
            "encoding option; `iconv -f latin1 -t utf-8` converts a Latin-1 file).")
