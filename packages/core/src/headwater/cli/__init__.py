"""The ``headwater`` command line.

Each command group lives in a module of its own (``pipeline.py`` is ``headwater pipeline``)
and is registered on the root group below; a new group (``headwater run``, ``headwater
instance``, ...) is one more module and one more ``add_command``. Commands import what is
heavy (rich, yaml, the execution layer's parts) inside their bodies, so that ``--help`` and
start-up stay fast.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

# The built-in command groups, imported when named: ``headwater pipeline execute`` loads
# neither the daemon's nor ``plugins``' modules (rich's tables among them).
COMMAND_GROUPS = {
    "api": "headwater.cli.api:api_cli",
    "asset": "headwater.cli.asset:asset_cli",
    "daemon": "headwater.cli.daemon:daemon_cli",
    "instance": "headwater.cli.instance:instance_cli",
    "migrate": "headwater.cli.migrate:migrate_command",
    "partition": "headwater.cli.partition:partition_cli",
    "pipeline": "headwater.cli.pipeline:pipeline_cli",
    "plugins": "headwater.cli.plugins:plugins_cli",
    "run": "headwater.cli.run:run_cli",
    "schedule": "headwater.cli.schedule:schedule_cli",
    "sensor": "headwater.cli.sensor:sensor_cli",
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class HeadwaterGroup(click.Group):
    """The root group: its own commands, plus the command groups plugins contribute
    (``headwater <plugin> ...``), looked up only when a name is not a built-in one."""

    def _plugin_commands(self) -> dict[str, click.Command]:
        from headwater.plugins import get_plugin_manager

        return {command.name: command
                for command in get_plugin_manager().registry.cli_commands
                if command.name and command.name not in self.commands
                and command.name not in COMMAND_GROUPS}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_GROUPS, *self._plugin_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMAND_GROUPS:
            module, _, attribute = COMMAND_GROUPS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        found = command or self._plugin_commands().get(cmd_name)
        if found is None:
            from headwater.plugins.known import install_hint, provider_of

            # A command a package of this repository adds (``headwater ui``): say which.
            if provider_of(cmd_name) is not None:
                raise click.UsageError(f'No command "{cmd_name}" is installed. '
                                       f"{install_hint(cmd_name)}", ctx)
        return found


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



def main() -> None:
    """The ``headwater`` console script (and ``python -m headwater``)."""
    cli()
