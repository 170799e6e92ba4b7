"""Presets: named, ready-made run configurations (config, mode, selection, tags)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.config import config_from_files, config_from_yaml_strings, deep_merge
from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.utils import DEFAULT_MODE, check_valid_name, normalize_tags
from headwater.errors import HeadwaterInvalidDefinitionError


class PresetDefinition(FrozenDefinition):
    """A named run configuration for a pipeline.

    Args:
        name: The preset's name.
        run_config: The run config dict.
        solid_selection: A solid selection (list of selection clauses) to run.
        mode: The mode to run in (default ``"default"``).
        tags: Tags added to runs of the preset.

    Example:
        >>> PresetDefinition.from_files("prod", ["config/base.yaml", "config/prod/*.yaml"],
        ...                             mode="prod")
    """

    def __init__(self, name: str, run_config: Mapping[str, Any] | None = None,
                 solid_selection: Sequence[str] | None = None, mode: str | None = None,
                 tags: Mapping[str, Any] | None = None) -> None:
        self.name = check_valid_name(name, "preset name")
        self.run_config: dict[str, Any] = dict(run_config or {})
        self.solid_selection = list(solid_selection) if solid_selection is not None else None
        self.mode = mode or DEFAULT_MODE
        self.tags = normalize_tags(tags, f'preset "{name}"')

    @staticmethod
    def from_files(name: str, config_files: Sequence[str] | None = None,
                   solid_selection: Sequence[str] | None = None, mode: str | None = None,
                   tags: Mapping[str, Any] | None = None) -> PresetDefinition:
        """A preset whose run config is YAML files (paths or globs), deep-merged in order:
        a later file wins where two set the same leaf."""
        return PresetDefinition(name, config_from_files(list(config_files or [])),
                                solid_selection, mode, tags)

    @staticmethod
    def from_yaml_strings(name: str, yaml_strings: Sequence[str] | None = None,
                          solid_selection: Sequence[str] | None = None, mode: str | None = None,
                          tags: Mapping[str, Any] | None = None) -> PresetDefinition:
        """A preset whose run config is YAML strings, deep-merged in order."""
        return PresetDefinition(name, config_from_yaml_strings(list(yaml_strings or [])),
                                solid_selection, mode, tags)

    @staticmethod
    def from_pkg_resources(name: str, pkg_resource_defs: Sequence[tuple[str, str]] | None = None,
                           solid_selection: Sequence[str] | None = None,
                           mode: str | None = None,
                           tags: Mapping[str, Any] | None = None) -> PresetDefinition:
        """A preset whose run config is YAML files shipped inside Python packages.

        Args:
            name: The preset's name.
            pkg_resource_defs: ``(package, path inside the package)`` pairs, e.g.
                ``[("my_project.environments", "prod.yaml")]``, deep-merged in order.
            solid_selection / mode / tags: As for the constructor.
        """
        import importlib.resources  # imported here: rarely used

        texts = []
        for package, path in pkg_resource_defs or []:
            try:
                texts.append(importlib.resources.files(package).joinpath(path).read_text())
            except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as error:
                raise HeadwaterInvalidDefinitionError(
                    f'Preset "{name}": cannot read "{path}" from package "{package}" ({error}); '
                    "check that the package is importable and ships the file.") from error
        return PresetDefinition.from_yaml_strings(name, texts, solid_selection, mode, tags)

    def get_environment_yaml(self) -> str:
        """The preset's run config as YAML text."""
        import yaml  # imported here: yaml is not needed to import headwater

        return yaml.safe_dump(self.run_config, default_flow_style=False)

    def with_additional_config(self, run_config: Mapping[str, Any] | None) -> PresetDefinition:
        """A copy of this preset with ``run_config`` deep-merged over its own."""
        return PresetDefinition(self.name, deep_merge(self.run_config, dict(run_config or {})),
                                self.solid_selection, self.mode, self.tags)

    def __repr__(self) -> str:
        return f"PresetDefinition({self.name!r}, mode={self.mode!r})"
