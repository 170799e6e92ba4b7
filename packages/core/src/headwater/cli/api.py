"""``headwater api``: commands Headwater runs itself (hidden from ``--help``).

``headwater api execute-run --run-id ID`` is the process the default run launcher starts
for each run: it executes the run recorded in the instance and exits 0 when the run
succeeds, 1 when it fails or is canceled.
"""

from __future__ import annotations

import click

from headwater.cli.errors import reported_errors

RUN_NOT_SUCCESSFUL_EXIT_CODE = 1


@click.group("api", hidden=True)
def api_cli() -> None:
    """Commands Headwater's own processes run (not for everyday use)."""


@api_cli.command("execute-run")
@click.option("--run-id", required=True, help="The run to execute, recorded in the instance.")
@click.option("--instance-ref", metavar="JSON",
              help="The instance, as the launcher serialized it (default: $HEADWATER_HOME).")
def execute_run_command(run_id: str, instance_ref: str | None) -> None:
    """Execute a recorded run in this process, with a heartbeat; SIGTERM cancels it."""
    from headwater.execution.run import PipelineRunStatus
    from headwater.instance import Instance
    from headwater.instance.run_process import execute_launched_run
    from headwater.serdes import deserialize

    with reported_errors():
        instance = deserialize(instance_ref).open() if instance_ref else Instance.get()
    with instance, reported_errors():
        run = execute_launched_run(instance, run_id)
    if run.status is not PipelineRunStatus.SUCCESS:
        raise click.exceptions.Exit(RUN_NOT_SUCCESSFUL_EXIT_CODE)
