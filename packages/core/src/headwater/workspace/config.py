"""Reading ``workspace.yaml``: the code locations it lists, with paths made absolute.

Each entry of ``load_from`` is a ``python_file`` or a ``python_module``, given as a
string (the path or module name) or as a mapping::

    python_file: {relative_path: PATH, attribute: ATTR, location_name: NAME,
                  working_directory: DIR}
    python_module: {module_name: MODULE, attribute: ATTR, location_name: NAME}

Paths are relative to the workspace file. A location is named by ``location_name``, else
by the file's name (``orders.py``) or the module's (``my_project.repository``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater.config import (
    Array,
    Field,
    ScalarUnion,
    Selector,
    Shape,
    StringSource,
    process_config,
)
from headwater.errors import HeadwaterCodeLoadError, HeadwaterInvalidConfigError

DEFAULT_WORKSPACE_FILE = "workspace.yaml"

_ATTRIBUTE = Field(StringSource, is_required=False,
                   description="A repository, a pipeline, or a function returning either. "
                               "Default: every repository and pipeline at module level.")
_LOCATION_NAME = Field(StringSource, is_required=False,
                       description="The location's name (default: the file's or module's).")
WORKSPACE_SCHEMA = Shape({
    "load_from": Field(Array(Selector({
        "python_file": ScalarUnion(str, Shape({
            "relative_path": Field(StringSource,
                                   description="The file, relative to the workspace file."),
            "attribute": _ATTRIBUTE,
            "location_name": _LOCATION_NAME,
            "working_directory": Field(
                StringSource, is_required=False,
                description="A directory put on sys.path ahead of the file's own, relative "
                            "to the workspace file."),
        })),
        "python_module": ScalarUnion(str, Shape({
            "module_name": Field(StringSource, description="An importable module."),
            "attribute": _ATTRIBUTE,
            "location_name": _LOCATION_NAME,
        })),
    })), description="The code locations of the workspace."),
})


@dataclass(frozen=True)
class LocationSpec:
    """Where one code location's code is.

    Attributes:
        name: The location's name.
        python_file: The file (absolute), or None for a module.
        module_name: The module, or None for a file.
        attribute: The attribute to load, or None for everything at module level.
        working_directory: A directory (absolute) put on sys.path, for a file.
    """

    name: str
    python_file: str | None = None
    module_name: str | None = None
    attribute: str | None = None
    working_directory: str | None = None

    def pointer(self) -> dict[str, Any]:
        """The code pointer of the location (see ``headwater.execution.code_pointer``)."""
        pointer: dict[str, Any] = ({"python_file": self.python_file}
                                   if self.python_file is not None
                                   else {"module": self.module_name})
        if self.attribute is not None:
            pointer["attribute"] = self.attribute
        if self.working_directory is not None:
            pointer["working_directory"] = self.working_directory
        return pointer


def load_workspace_file(path: str) -> list[LocationSpec]:
    """The code locations a workspace file lists.

    Raises:
        HeadwaterCodeLoadError: the file is missing or is not YAML.
        HeadwaterInvalidConfigError: its content does not match the workspace schema (every
            mistake, each with its path), or two locations share a name.
    """
    import yaml

    if not os.path.isfile(path):
        raise HeadwaterCodeLoadError(
            f'The workspace file "{path}" does not exist (looked for {os.path.abspath(path)}).')
    try:
        with open(path, encoding="utf-8") as file:
            content = yaml.safe_load(file)
    except yaml.YAMLError as error:
        raise HeadwaterCodeLoadError(
            f'The workspace file "{path}" is not valid YAML: {error}') from None
    except UnicodeDecodeError as error:
        from headwater.config.files import not_utf8

        raise HeadwaterCodeLoadError(not_utf8(path, error)) from None
    return parse_workspace(content, os.path.dirname(os.path.abspath(path)), path)


def parse_workspace(content: Any, base_dir: str, where: str) -> list[LocationSpec]:
    """The code locations of a workspace file's content, paths taken from ``base_dir``.

    Args:
        content: The parsed YAML.
        base_dir: The directory relative paths start from (the workspace file's).
        where: How messages name the file.
    """
    preamble = f"Errors in the workspace file {where}:"
    result = process_config(WORKSPACE_SCHEMA, content)
    if not result.success:
        raise HeadwaterInvalidConfigError(preamble, result.errors, content)
    entries: list[Mapping[str, Any]] = result.value["load_from"]  # type: ignore[index]
    if not entries:
        raise HeadwaterInvalidConfigError(
            preamble, ["load_from lists no code location; add a python_file or a "
                       "python_module entry."], content)
    specs = [_spec(entry, base_dir) for entry in entries]
    seen: dict[str, int] = {}
    problems = []
    for index, spec in enumerate(specs):
        if spec.name in seen:
            problems.append(
                f'load_from[{index}] and load_from[{seen[spec.name]}] are both named '
                f'"{spec.name}"; give them different location_name values.')
        seen.setdefault(spec.name, index)
    if problems:
        raise HeadwaterInvalidConfigError(preamble, problems, content)
    return specs


def _spec(entry: Mapping[str, Any], base_dir: str) -> LocationSpec:
    if "python_file" in entry:
        value = entry["python_file"]
        options = value if isinstance(value, Mapping) else {"relative_path": value}
        path = options["relative_path"]
        directory = options.get("working_directory")
        return LocationSpec(
            name=options.get("location_name") or os.path.basename(path),
            python_file=os.path.normpath(os.path.join(base_dir, path)),
            attribute=options.get("attribute"),
            working_directory=(os.path.normpath(os.path.join(base_dir, directory))
                               if directory is not None else None))
    value = entry["python_module"]
    options = value if isinstance(value, Mapping) else {"module_name": value}
    return LocationSpec(name=options.get("location_name") or options["module_name"],
                        module_name=options["module_name"], attribute=options.get("attribute"))
