"""``headwater instance``: what the instance is made of, and upgrading its storage."""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.errors import reported_errors


@click.group("instance")
def instance_cli() -> None:
    """The instance: its parts, its storage schema.

    The instance of $HEADWATER_HOME (~/.headwater by default), set up by its
    headwater.yaml.
    """


@instance_cli.command("info", short_help="Show the instance and its parts.")
def info_command() -> None:
    """Where the instance is, and each of its parts: which one, with which settings."""
    import os

    import yaml
    from rich.text import Text

    from headwater.cli.console import make_console, new_table, print_table
    from headwater.instance import Instance
    from headwater.instance.components import COMPONENT_KINDS, component_class
    from headwater.instance.settings import component_specs, settings_path

    with reported_errors():
        instance = Instance.get()
    console = make_console()
    with instance:
        path = settings_path(instance.home)
        console.print(Text.assemble(("Instance ", "bold"), instance.home))
        console.print(Text(f"  settings: {path}" if os.path.exists(path)
                           else f"  settings: none ({path} does not exist: all defaults)"))
        console.print(Text(f"  schema revision: {_revision(instance)}"))
        specs = component_specs(instance.settings, path)
        rows = []
        for kind in COMPONENT_KINDS:
            spec = specs[kind]
            with reported_errors():
                cls = component_class(spec, path)
            config = yaml.safe_dump(dict(spec.config), default_flow_style=True,
                                    sort_keys=False).strip() if spec.config else "-"
            rows.append((kind, spec.describe(), f"{cls.__module__}.{cls.__qualname__}", config))
        table = new_table(console)
        table.add_column("Part", no_wrap=True)
        table.add_column("Chosen", no_wrap=True)
        # A class name broken mid-word cannot be copied; the config column gives way instead.
        table.add_column("Class", no_wrap=True, min_width=max(len(row[2]) for row in rows))
        table.add_column("Config", overflow="fold")
        for row in rows:
            table.add_row(*row)
        monitoring = instance.run_monitoring
        table.add_row("run_monitoring", "-", "-",
                      f"heartbeat every {monitoring.heartbeat_interval_seconds:g}s, "
                      f"timeout {monitoring.heartbeat_timeout_seconds:g}s, checked every "
                      f"{monitoring.poll_interval_seconds:g}s")
        print_table(console, table)


def _revision(instance: Any) -> str:
    database = getattr(instance.run_storage, "database", None)
    if database is None:
        return "- (the run storage is not a Headwater SQL storage)"
    with reported_errors():
        revision = database.revision()
    return revision or "none yet (created on first use)"


@instance_cli.command("migrate", short_help="Upgrade the storage schema.")
def migrate_command() -> None:
    """Upgrade the instance's storage to this version of Headwater, keeping its runs.

    Back the database up first (for SQLite: copy $HEADWATER_HOME/history/headwater.db).
    """
    from headwater.instance import Instance
    from headwater.instance.storage.revisions import HEAD_REVISION

    with reported_errors():
        instance = Instance.get()
    with instance, reported_errors():
        before = _revision(instance)
        instance.upgrade()
    click.echo(f"The instance at {instance.home} was at schema revision {before}; it is now at "
               f"{HEAD_REVISION}.")
