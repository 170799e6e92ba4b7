"""``headwater partition``: the partition sets of a pipeline, and how each partition's last
run went."""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.errors import opened_instance
from headwater.cli.targets import CodeTarget, target_options


@click.group("partition")
def partition_cli() -> None:
    """Partitions: the slices of data (days, regions...) a pipeline runs once each for.

    Every command takes the code: -w workspace.yaml (./workspace.yaml by default), or
    -f FILE / -m MODULE.
    """


@partition_cli.command("list")
@target_options(pipeline_name=False)
@click.argument("pipeline_name", metavar="PIPELINE")
def list_command(target: CodeTarget, pipeline_name: str) -> None:
    """The partition sets of PIPELINE and their partitions, each with its last run.

    \b
    Example:
        headwater partition list daily_orders -w workspace.yaml
    """
    from rich.text import Text

    from headwater.cli.console import make_console, new_table, print_table
    from headwater.cli.run_display import status_text
    from headwater.definitions.partition import PARTITION_SET_TAG, PARTITION_TAG
    from headwater.instance import RunsFilter

    console = make_console()
    with opened_instance() as instance:
        target.workspace.find_pipeline(pipeline_name, target.location, target.repository)
        found = [(repository, partition_set)
                 for repository in target.workspace.repositories(target.location,
                                                                 target.repository)
                 for partition_set in repository.definition.partition_set_defs
                 if partition_set.pipeline_name == pipeline_name]
        if not found:
            console.print(f'Pipeline "{pipeline_name}" has no partition sets.')
            return
        for repository, partition_set in found:
            names = partition_set.get_partition_names()
            last_runs: dict[str | None, Any] = {}
            for run in instance.get_runs(RunsFilter(tags={PARTITION_SET_TAG:
                                                          partition_set.name})):
                last_runs.setdefault(run.tags.get(PARTITION_TAG), run)
            console.print(Text.assemble(
                (f'Partition set "{partition_set.name}"', "bold"),
                f' of repository "{repository.name}": {len(names)} partitions'))
            table = new_table(console)
            for column in ("partition", "last run", "status"):
                table.add_column(column, overflow="fold")
            for name in names:
                run = last_runs.get(name)
                table.add_row(name, run.run_id if run is not None else "-",
                              status_text(run.status) if run is not None else "-")
            print_table(console, table)
