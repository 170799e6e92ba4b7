"""``headwater pipeline backfill``: run a pipeline once for each of some partitions.

The command stores a backfill in the instance; the daemon's backfill duty submits its runs
through the run coordinator (so the queue's limits apply), and goes on where it was if the
daemon stops.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import click

from headwater.cli.errors import fail, opened_instance
from headwater.cli.targets import CodeTarget, target_options


@click.command("backfill")
@target_options()
@click.option("--partition-set", "partition_set_name", required=True, metavar="NAME",
              help="The partition set whose partitions to run.")
@click.option("--from", "first", metavar="PARTITION",
              help="The first partition to run (default: the first there is).")
@click.option("--to", "last", metavar="PARTITION",
              help="The last partition to run (default: the last there is).")
@click.option("--partitions", metavar="A,B,...", help="These partitions (comma-separated).")
@click.option("--all", "every", is_flag=True, help="Every partition.")
@click.option("--tags", metavar="JSON", help='Tags for every run, as JSON: \'{"team": "data"}\'.')
@click.option("--noprompt", is_flag=True, help="Do not ask for confirmation.")
def backfill_command(target: CodeTarget, partition_set_name: str, first: str | None,
                     last: str | None, partitions: str | None, every: bool, tags: str | None,
                     noprompt: bool) -> None:
    """Run a pipeline once for each of some partitions of a partition set: the daemon
    submits one run per partition (tagged headwater/backfill, headwater/partition). Prints
    the backfill's id.

    \b
    Examples:
        headwater pipeline backfill -w workspace.yaml --partition-set daily_orders_partitions \\
            --from 2026-04-01 --to 2026-04-30
        headwater pipeline backfill -f repo.py --partition-set regions --partitions eu,us --noprompt
    """
    from headwater.cli.scheduling import daemon_hint
    from headwater.daemon.backfills import create_backfill
    from headwater.definitions.utils import normalize_tags

    given = [bool(first or last), partitions is not None, every]
    if sum(given) != 1:
        raise click.UsageError("Say which partitions: --from/--to, --partitions A,B or --all "
                               "(one of them).")
    with opened_instance() as instance:
        repository, partition_set = target.workspace.find_partition_set(
            partition_set_name, target.location, target.repository)
        if target.pipeline_name not in (None, partition_set.pipeline_name):
            fail(f'Partition set "{partition_set_name}" runs pipeline '
                 f'"{partition_set.pipeline_name}", not "{target.pipeline_name}".')
        names = _chosen_partitions(partition_set.name, partition_set.get_partition_names(),
                                   first, last, partitions)
        run_tags = normalize_tags(_parse_tags(tags), "--tags")
        if not noprompt:
            span = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
            click.confirm(f'Launch {len(names)} runs of "{partition_set.pipeline_name}", one '
                          f'per partition of "{partition_set.name}" ({span})?', abort=True)
        backfill = create_backfill(instance, repository.name, partition_set, names, run_tags,
                                   time.time())
        hint = daemon_hint(instance, "backfills")
    click.echo(f"Backfill {backfill.backfill_id}: the daemon submits {len(names)} runs, tagged "
               f"headwater/backfill={backfill.backfill_id}.", err=True)
    if hint:
        click.echo(hint, err=True)
    click.echo(backfill.backfill_id)


def _chosen_partitions(set_name: str, available: Sequence[str], first: str | None,
                       last: str | None, partitions: str | None) -> list[str]:
    """The partitions the options name, in the partition set's order."""
    from headwater.config.render import suggest

    def check(name: str, option: str) -> None:
        if name not in available:
            match = suggest(name, list(available))
            hint = f' Did you mean "{match}"?' if match else ""
            shown = ", ".join(available[:3]) + (", ..." if len(available) > 3 else "")
            fail(f'{option}: partition set "{set_name}" has no partition "{name}".{hint} '
                 f"Its partitions: {shown or 'none'} (`headwater partition list` shows all).")

    if partitions is not None:
        chosen = [name.strip() for name in partitions.split(",") if name.strip()]
        for name in chosen:
            check(name, "--partitions")
        return [name for name in available if name in chosen]
    if not available:
        fail(f'Partition set "{set_name}" has no partitions.')
    start, end = first or available[0], last or available[-1]
    check(start, "--from")
    check(end, "--to")
    if available.index(start) > available.index(end):
        fail(f'--from "{start}" comes after --to "{end}" in partition set "{set_name}".')
    return list(available[available.index(start):available.index(end) + 1])


def _parse_tags(tags: str | None) -> dict[str, object]:
    import json

    if tags is None:
        return {}
    try:
        parsed = json.loads(tags)
    except json.JSONDecodeError as error:
        fail(f"--tags is not valid JSON ({error}); write it like '{{\"team\": \"data\"}}'.")
    if not isinstance(parsed, dict):
        fail(f"--tags must be a JSON object of tags, like '{{\"team\": \"data\"}}'; got {tags}.")
    return parsed
