"""``headwater plugins``: what the installed plugins are and what they register."""

from __future__ import annotations

import json
from typing import Any

import click

from headwater.cli.console import make_console


def _manager() -> Any:
    from headwater.plugins import get_plugin_manager

    return get_plugin_manager()


def _summary(info: Any, registry: Any) -> dict[str, Any]:
    from headwater.plugins.manager import LIFECYCLE_HOOKS, WRAPPER_HOOKS

    return {
        "name": info.name,
        "distribution": info.distribution,
        "version": info.version,
        "status": info.status,
        "builtin": info.builtin,
        "error": info.error,
        "registers": registry.contributions_of(info.name) if info.status == "loaded" else {},
        "lifecycle_hooks": [h.removeprefix("headwater_") for h in info.hooks
                            if h in LIFECYCLE_HOOKS or h in WRAPPER_HOOKS],
    }


@click.group(name="plugins")
def plugins_cli() -> None:
    """The plugins Headwater found, and what they register."""


@plugins_cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
def list_command(as_json: bool) -> None:
    """Each plugin: its distribution and version, and what it registers (resources,
    executors, IO managers, loggers, lifecycle hooks, commands). Broken plugins are listed
    with the reason."""
    manager = _manager()
    registry = manager.registry
    rows = [_summary(info, registry) for info in manager.plugins.values()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    table = Table(title="Plugins", show_lines=False)
    for column in ("plugin", "distribution", "status", "registers"):
        table.add_column(column, overflow="fold")
    for row in rows:
        parts = [f"{kind}: {', '.join(names)}" for kind, names in row["registers"].items()]
        if row["lifecycle_hooks"]:
            parts.append(f"lifecycle: {', '.join(row['lifecycle_hooks'])}")
        if row["error"]:
            parts.append(f"error: {row['error']}")
        distribution = f"{row['distribution'] or '-'} {row['version'] or ''}".strip()
        table.add_row(row["name"], distribution, row["status"], "\n".join(parts) or "-")
    make_console().print(table)


@plugins_cli.command(name="show")
@click.argument("name")
def show_command(name: str) -> None:
    """The config schema of each definition plugin NAME registers."""
    from headwater.config import describe

    manager = _manager()
    info = manager.plugins.get(name)
    if info is None:
        raise click.ClickException(
            f'No plugin named "{name}". Installed: {", ".join(sorted(manager.plugins))}.')
    console = make_console()
    distribution = f" ({info.distribution} {info.version})" if info.distribution else ""
    console.print(f"{info.name}{distribution}: {info.status}")
    if info.error:
        console.print(f"  error: {info.error}")
    if info.status != "loaded":
        return
    registry = manager.registry
    for kind, names in registry.contributions_of(name).items():
        console.print(f"\n{kind}:")
        definitions = getattr(registry, kind, {})
        for item_name in names:
            definition = definitions.get(item_name) if isinstance(definitions, dict) else None
            description = getattr(definition, "description", None)
            console.print(f"  {item_name}" + (f" - {description}" if description else ""))
            field = getattr(definition, "config_field", None)
            if field is not None:
                console.print("    config:")
                console.print("\n".join(f"      {line}"
                                        for line in describe(field).splitlines()))
    summary = _summary(info, registry)
    if summary["lifecycle_hooks"]:
        console.print(f"\nlifecycle hooks: {', '.join(summary['lifecycle_hooks'])}")
