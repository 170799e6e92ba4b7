"""``headwater asset``: the assets runs have materialized, as the instance recorded them."""

from __future__ import annotations

import click

from headwater.cli.errors import fail, opened_instance


@click.group("asset")
def asset_cli() -> None:
    """Assets materialized by runs (AssetMaterialization events), from the instance."""


@asset_cli.command("list", short_help="List the materialized assets.")
@click.option("--prefix", metavar="PATH", help="Only assets whose key starts with this "
              "path, slash-separated (e.g. warehouse/orders).")
def list_command(prefix: str | None) -> None:
    """Every asset key ever materialized, with when and by which run it was last.

    \b
    Example:
        headwater asset list --prefix warehouse
    """
    from headwater.cli.console import make_console, new_table, print_table
    from headwater.cli.run_display import format_time

    wanted = _path(prefix) if prefix else ()
    with opened_instance() as instance:
        rows = []
        for key in instance.all_asset_keys():
            if key.path[:len(wanted)] != wanted:
                continue
            latest = instance.get_latest_materialization(key)
            rows.append((key.to_string(), format_time(latest.timestamp) if latest else "-",
                         latest.run_id if latest else "-"))
    console = make_console()
    if not rows:
        console.print("No asset matches." if prefix else "No assets.")
        return
    table = new_table(console)
    for column in ("Asset key", "Last materialized", "Run id"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    print_table(console, table)


@asset_cli.command("wipe", short_help="Forget the materializations of assets.")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option("--prefix", metavar="PATH", help="Every asset whose key starts with this path, "
              "slash-separated (e.g. warehouse/orders).")
@click.option("--all", "wipe_all", is_flag=True, help="Every asset of the instance.")
@click.option("--force", "-f", is_flag=True, help="Do not ask for confirmation.")
def wipe_command(keys: tuple[str, ...], prefix: str | None, wipe_all: bool,
                 force: bool) -> None:
    """Forget the materializations of assets: the named KEYs (slash-separated), those under
    --prefix, or --all. The assets are then listed as never materialized; the event logs of
    the runs that materialized them keep their entries.

    \b
    Examples:
        headwater asset wipe warehouse/orders
        headwater asset wipe --prefix warehouse --force
        headwater asset wipe --all
    """
    from headwater.config.render import suggest
    from headwater.metadata import AssetKey

    if sum((bool(keys), prefix is not None, wipe_all)) != 1:
        fail("Say which assets to wipe: asset keys (e.g. `headwater asset wipe "
             "warehouse/orders`), --prefix PATH, or --all.")
    with opened_instance() as instance:
        known = instance.all_asset_keys()
        if keys:
            chosen = [AssetKey(_path(key)) for key in keys]
            names = [key.to_string() for key in known]
            for key in chosen:
                if key not in known:
                    match = suggest(key.to_string(), names)
                    hint = f' Did you mean "{match}"?' if match else ""
                    fail(f'No asset "{key.to_string()}" in the instance at {instance.home}.'
                         f"{hint} `headwater asset list` shows the assets.")
        else:
            wanted = _path(prefix) if prefix is not None else ()
            chosen = [key for key in known if key.path[:len(wanted)] == wanted]
            if not chosen:
                click.echo("No asset matches." if prefix is not None else "No assets.")
                return
        if not force:
            shown = ", ".join(key.to_string() for key in chosen[:5])
            more = f" and {len(chosen) - 5} more" if len(chosen) > 5 else ""
            click.confirm(f"Forget the materializations of {len(chosen)} "
                          f"asset{'s' if len(chosen) != 1 else ''} ({shown}{more}) in the "
                          f"instance at {instance.home}?", abort=True)
        instance.wipe_assets(chosen)
    click.echo(f"Wiped {len(chosen)} asset{'s' if len(chosen) != 1 else ''}.")


def _path(text: str) -> tuple[str, ...]:
    """An asset key's path from its slash-separated form."""
    return tuple(part for part in text.strip("/").split("/") if part)
