"""The ``headwater`` command line.

Each command group lives in a module of its own (``pipeline.py`` is ``headwater pipeline``)
and is registered on the root group below; a new group (``headwater run``, ``headwater
instance``, ...) is one more module and one more ``add_command``. Commands import what is
heavy (rich, yaml, the execution layer's parts) inside their bodies, so that ``--help`` and
start-up stay fast.
"""

from __future__ import annotations

import os
from typing import Any

import click

from headwater.cli.api import api_cli
from headwater.cli.asset import asset_cli
from headwater.cli.daemon import daemon_cli
from headwater.cli.instance import instance_cli
from headwater.cli.migrate import migrate_command
from headwater.cli.partition import partition_cli
from headwater.cli.pipeline import pipeline_cli
from headwater.cli.plugins import plugins_cli
from headwater.cli.run import run_cli
from headwater.cli.schedule import schedule_cli
from headwater.cli.sensor import sensor_cli

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class HeadwaterGroup(click.Group):
    """The root group: its own commands, plus the command groups plugins contribute
    (``headwater <plugin> ...``), looked up only when a name is not a built-in one."""

    def _plugin_commands(self) -> dict[str, click.Command]:
        from headwater.plugins import get_plugin_manager

        return {command.name: command
                for command in get_plugin_manager().registry.cli_commands
                if command.name and command.name not in self.commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*self.commands, *self._plugin_commands()])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands.get(cmd_name) or self._plugin_commands().get(cmd_name)


def _disable_plugins(ctx: click.Context, param: Any, values: tuple[str, ...]) -> None:
    """``-p no:NAME`` adds NAME to the plugins switched off for this process."""
    names = []
    for value in values:
        if not value.startswith("no:") or not value[3:]:
            raise click.BadParameter(f'"{value}": use -p no:NAME to switch plugin NAME off.')
        names.append(value[3:])
    if names:
        from headwater.plugins import DISABLE_PLUGINS_ENV

        current = [n for n in os.environ.get(DISABLE_PLUGINS_ENV, "").split(",") if n]
        os.environ[DISABLE_PLUGINS_ENV] = ",".join([*current, *names])


@click.group(cls=HeadwaterGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="headwater", prog_name="headwater")
@click.option("-p", "plugin_switches", multiple=True, metavar="no:NAME", is_eager=True,
              expose_value=False, callback=_disable_plugins,
              help="Switch plugin NAME off for this command (repeatable).")
def cli() -> None:
    """Headwater: define data pipelines in Python, run them anywhere.

    \b
    Run an example:
        headwater pipeline execute -f examples/hello_headwater.py
    """


cli.add_command(api_cli)
cli.add_command(asset_cli)
cli.add_command(daemon_cli)
cli.add_command(instance_cli)
cli.add_command(migrate_command)
cli.add_command(partition_cli)
cli.add_command(pipeline_cli)
cli.add_command(plugins_cli)
cli.add_command(run_cli)
cli.add_command(schedule_cli)
cli.add_command(sensor_cli)


def main() -> None:
    """The ``headwater`` console script (and ``python -m headwater``)."""
    cli()
