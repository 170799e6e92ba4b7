"""``headwater asset``: the assets runs have materialized, as the instance recorded them."""

from __future__ import annotations

import click

from headwater.cli.errors import opened_instance


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

    wanted = tuple(prefix.strip("/").split("/")) if prefix else ()
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
