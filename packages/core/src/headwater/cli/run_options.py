"""The options that say how to run a pipeline: config files, preset, mode, selection, tags.

A command decorated with ``@run_options`` receives one ``run: RunOptions``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from headwater.config.files import config_from_files


@dataclass(frozen=True)
class RunOptions:
    """How to run, as given on the command line.

    Attributes:
        config_files: The -c paths and globs, in the order given.
        preset: The --preset name.
        mode: The --mode name.
        solid_selection: The -s clauses, or None to run every solid.
        tags: The --tags, parsed.
    """

    config_files: tuple[str, ...] = ()
    preset: str | None = None
    mode: str | None = None
    solid_selection: list[str] | None = None
    tags: dict[str, Any] | None = None

    def run_config(self) -> dict[str, Any]:
        """The -c files deep-merged in order, later files winning ({} without -c).

        Raises:
            HeadwaterInvalidConfigError: a file is missing, unreadable or not YAML.
        """
        if not self.config_files:
            return {}
        return config_from_files(list(self.config_files))


def run_options(command: Callable[..., Any]) -> Any:
    """Add -c/--config, --preset, --mode, -s/--solid-selection and --tags to a command,
    which then receives ``run: RunOptions``."""

    @functools.wraps(command)
    def with_run_options(*args: Any, config: tuple[str, ...], preset: str | None,
                         mode: str | None, solid_selection: str | None, tags: str | None,
                         **kwargs: Any) -> Any:
        if preset is not None and config:
            raise click.UsageError(
                "--preset brings its own run config; do not pass -c/--config with it.")
        if preset is not None and mode is not None:
            raise click.UsageError("--preset sets the mode; do not pass --mode with it.")
        run = RunOptions(tuple(config), preset, mode, _selection(solid_selection),
                         _parse_tags(tags))
        return command(*args, run=run, **kwargs)

    options = [
        click.option("-c", "--config", multiple=True, metavar="FILE",
                     help="A YAML run config file, or a glob of them (quote it). Repeatable: "
                          "files are deep-merged in the order given, and where two set the "
                          "same entry, the LATER file wins."),
        click.option("--preset", metavar="NAME",
                     help="A preset of the pipeline: its run config, mode, selection and "
                          "tags (not combined with -c or --mode)."),
        click.option("--mode", metavar="NAME",
                     help="The mode to run in; required when the pipeline has several."),
        click.option("-s", "--solid-selection", metavar="SELECTION",
                     help='Solids to run, comma-separated clauses: "name", "*name" (with '
                          'all ancestors), "name*" (with all descendants), "+name" / '
                          '"name+" (one level per +). Example: -s "load*,report".'),
        click.option("--tags", metavar="JSON",
                     help='Tags for the run, a JSON object: --tags \'{"team": "data"}\'.'),
    ]
    for option in reversed(options):
        with_run_options = option(with_run_options)
    return with_run_options


def _selection(solid_selection: str | None) -> list[str] | None:
    if solid_selection is None:
        return None
    clauses = [part.strip() for part in solid_selection.split(",") if part.strip()]
    if not clauses:
        raise click.BadParameter("name at least one solid.", param_hint="-s/--solid-selection")
    return clauses


def _parse_tags(tags: str | None) -> dict[str, Any] | None:
    if tags is None:
        return None
    example = """a JSON object such as '{"team": "data"}'"""
    try:
        parsed = json.loads(tags)
    except json.JSONDecodeError as error:
        raise click.BadParameter(
            f"{tags!r} is not JSON ({error.msg} at character {error.pos + 1}); give {example}.",
            param_hint="--tags") from None
    if not isinstance(parsed, dict):
        raise click.BadParameter(f"{tags!r} is a JSON {type(parsed).__name__}; give {example}.",
                                 param_hint="--tags")
    return parsed
