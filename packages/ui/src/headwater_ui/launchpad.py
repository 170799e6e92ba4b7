"""The launchpad's checks: a YAML run config validated as the CLI validates it, each error
placed at the line of the YAML it is about; the config a pipeline starts from; the solids a
selection picks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from headwater import HeadwaterError, HeadwaterInvalidConfigError
from headwater.integration import sample_config


@dataclass
class LaunchpadError:
    """One mistake: its message, the config path (``solids.load.config.path``) and the
    1-based YAML line it is at (None when it is about the whole config or not about it)."""

    message: str
    path: str | None = None
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "path": self.path, "line": self.line}


@dataclass
class Checked:
    """The outcome of a check: the parsed config and every error (none: ready to launch)."""

    run_config: dict[str, Any] | None
    errors: list[LaunchpadError] = field(default_factory=list)
    prepared: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_yaml(text: str) -> tuple[dict[str, Any] | None, list[LaunchpadError]]:
    """The YAML as a run config, or the syntax error at its line."""
    try:
        value = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark is not None else None
        return None, [LaunchpadError(f"The run config is not valid YAML: {problem}"
                                     + (f" (line {line})." if line else "."), None, line)]
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return None, [LaunchpadError(
            f"The run config must be a mapping (solids:, resources:, ...), not a "
            f"{type(value).__name__}.", None, 1)]
    return value, []


def check(pipeline: Any, text: str, mode: str | None = None,
          solid_selection: list[str] | None = None, tags: dict[str, Any] | None = None
          ) -> Checked:
    """Parse and validate a run config for ``pipeline`` (a ReconstructablePipeline) exactly
    as ``headwater pipeline launch`` does: mode, selection, tags, config and plan."""
    from headwater.integration import prepare_run

    run_config, errors = parse_yaml(text)
    if run_config is None:
        return Checked(None, errors)
    try:
        prepared = prepare_run(pipeline, run_config, mode=mode, tags=tags,
                               solid_selection=solid_selection)
    except HeadwaterInvalidConfigError as error:
        lines = LineFinder(text)
        return Checked(run_config, [_config_error(item, lines) for item in error.errors])
    except HeadwaterError as error:
        return Checked(run_config, [LaunchpadError(str(error))])
    return Checked(run_config, [], prepared)


def _config_error(item: Any, lines: LineFinder) -> LaunchpadError:
    path = getattr(item, "path", None)
    if path is None:  # a hint in words (an executor to install)
        return LaunchpadError(str(getattr(item, "message", item)))
    key = None
    reason = getattr(getattr(item, "reason", None), "value", "")
    if reason == "FIELD_NOT_DEFINED" and isinstance(item.received, str):
        key = item.received  # point at the misspelled key itself
    return LaunchpadError(item.message, item.path_str or None, lines.line_of(path, key))


class LineFinder:
    """The YAML line of a config path, from the composed YAML's node marks."""

    def __init__(self, text: str) -> None:
        try:
            self._root = yaml.compose(text) if text.strip() else None
        except yaml.YAMLError:
            self._root = None

    def line_of(self, path: tuple[str | int, ...], key: str | None = None) -> int | None:
        """The 1-based line of the value at ``path`` (of ``key`` inside it, when given); a
        path that goes past what the YAML has gives the line of its deepest existing part."""
        node = self._root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in [*path, *([key] if key is not None else [])]:
            found = _child(node, part)
            if found is None:
                return line
            key_node, node = found
            line = key_node.start_mark.line + 1
        return line


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and \
            0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


def seed_yaml(pipeline_def: Any, mode: str | None = None, preset: str | None = None) -> str:
    """The YAML the launchpad starts from: the preset's run config, or a skeleton of the
    run config schema with its required entries (entries with defaults are left out)."""
    if preset:
        config = pipeline_def.get_preset(preset).run_config
        return yaml.safe_dump(config, sort_keys=False) if config else "{}\n"
    from headwater.integration import run_config_schema_for

    mode_def = pipeline_def.get_mode_definition(mode)
    sample = sample_config(run_config_schema_for(pipeline_def, mode_def).config_type)
    if not sample:
        return ("# Every entry of this pipeline's run config is optional or has a default.\n"
                "# The schema is on the pipeline page; type entries here to override them.\n"
                "{}\n")
    return yaml.safe_dump(sample, sort_keys=False)


def preview_selection(pipeline_def: Any, selection: str) -> tuple[list[str], str | None]:
    """The top-level solids a selection (``"load*,report"``) picks, or the error."""
    from headwater.integration import select_solids, split_selection

    clauses = split_selection(selection)
    if not clauses:
        return [solid.name for solid in pipeline_def.solids], None
    try:
        return sorted(select_solids(pipeline_def, clauses)), None
    except HeadwaterError as error:
        return [], str(error)
