"""``headwater pipeline``: run or launch a pipeline, list the pipelines in some code, show one."""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.backfill import backfill_command
from headwater.cli.errors import reported_errors
from headwater.cli.run_options import RunOptions, run_options
from headwater.cli.targets import CodeTarget, target_options


@click.group("pipeline")
def pipeline_cli() -> None:
    """Run, list and describe pipelines.

    Every command takes the code to load: -f FILE or -m MODULE, optionally -a ATTR; or
    -w workspace.yaml (used by default when the current directory has one).
    """


@pipeline_cli.command("execute")
@target_options()
@run_options
def execute_command(target: CodeTarget, run: RunOptions) -> None:
    """Run a pipeline in this process, showing each step as it starts and ends.

    The run is recorded in the instance ($HEADWATER_HOME, ~/.headwater by default): see it
    later with `headwater run show RUN_ID`. Steps run in other processes with
    `execution: {multiprocess: {}}` in the run config.

    \b
    Examples:
        headwater pipeline execute -f examples/hello_headwater.py
        headwater pipeline execute -f pipelines.py -p daily --mode prod -c base.yaml -c prod.yaml
        headwater pipeline execute -m my_project.pipelines -a repo -p daily --preset nightly

    Exits 0 when the run succeeds, 1 when it fails, 2 when it cannot start (the code does
    not load, the config is invalid, a name is unknown), 130 when it is interrupted or
    canceled.
    """
    from headwater.cli.run_execution import execute_with_report
    from headwater.instance import Instance

    with reported_errors():
        pipeline, prepared = _prepare(target, run)
        instance = Instance.get()
    with instance:
        execute_with_report(instance, pipeline, prepared)


@pipeline_cli.command("launch")
@target_options()
@run_options
def launch_command(target: CodeTarget, run: RunOptions) -> None:
    """Start a run in a process of its own, and print its id.

    The instance's run coordinator decides when: at once (the default), or when the daemon
    takes it from the run queue (run_coordinator: queued). The config is checked here,
    before anything is launched.

    \b
    Examples:
        headwater pipeline launch -f pipelines.py -p daily -c prod.yaml
        RUN_ID=$(headwater pipeline launch -f pipelines.py -p daily)
        headwater run logs "$RUN_ID" --follow
    """
    from rich.text import Text

    from headwater.cli.console import make_console
    from headwater.instance import Instance

    with reported_errors():
        pipeline = target.load_pipeline()
        run_config = run.run_config()
        with Instance.get() as instance:
            created = instance.create_run_for_pipeline(
                pipeline, run_config, mode=run.mode, preset=run.preset, tags=run.tags,
                solid_selection=run.solid_selection)
            submitted = instance.submit_run(created.run_id)
    run_id = submitted.run_id
    what = ("queued: the daemon (`headwater daemon run`) launches it"
            if submitted.status.value == "QUEUED" else f"{submitted.status.value.lower()}")
    make_console(stderr=True).print(Text(
        f'Run {run_id} of "{submitted.pipeline_name}" is {what}. Follow it with '
        f"`headwater run logs {run_id} --follow`.", style="dim"))
    click.echo(run_id)


def _prepare(target: CodeTarget, run: RunOptions) -> tuple[Any, Any]:
    """The pipeline the target points at, and its run prepared from the options."""
    from headwater.execution.api import prepare_run

    pipeline = target.load_pipeline()
    prepared = prepare_run(pipeline, run.run_config(), mode=run.mode, preset=run.preset,
                           tags=run.tags, solid_selection=run.solid_selection)
    return pipeline, prepared


@pipeline_cli.command("list")
@target_options(pipeline_name=False)
def list_command(target: CodeTarget) -> None:
    """List the pipelines in some code: description, modes, presets, solids.

    \b
    Example:
        headwater pipeline list -f examples/modes_and_resources.py
    """
    from headwater.cli.console import make_console
    from headwater.cli.pipeline_display import print_pipelines_table

    with reported_errors():
        pipelines = target.catalog().get_all_pipelines()
    print_pipelines_table(make_console(), pipelines)


@pipeline_cli.command("print")
@target_options()
@click.option("--verbose", is_flag=True,
              help="Also show each solid's config schema, and each mode's resources, "
                   "loggers and executors.")
def print_command(target: CodeTarget, verbose: bool) -> None:
    """Show a pipeline's solids in the order they run: their inputs (and where each comes
    from), their outputs and types.

    \b
    Example:
        headwater pipeline print -f examples/hello_headwater.py --verbose
    """
    from headwater.cli.console import make_console
    from headwater.cli.pipeline_display import print_pipeline

    with reported_errors():
        definition = target.load_pipeline().get_definition()
    print_pipeline(make_console(), definition, verbose=verbose)


@pipeline_cli.command("scaffold-config")
@target_options()
@click.option("--mode", "mode_name", metavar="MODE", help="The mode whose resources, loggers "
              "and executors the skeleton covers (default: the pipeline's default mode).")
def scaffold_config_command(target: CodeTarget, mode_name: str | None) -> None:
    """Print a run config skeleton for a pipeline: every entry, its type and its default.

    Required entries show a placeholder to replace; optional ones without a default are
    commented out. Save it, fill it in, and run with -c.

    \b
    Example:
        headwater pipeline scaffold-config -f examples/hello_headwater.py > run.yaml
    """
    from headwater.config.describe import scaffold
    from headwater.execution.api import run_config_schema_for

    with reported_errors():
        definition = target.load_pipeline().get_definition()
        schema = run_config_schema_for(definition, definition.get_mode_definition(mode_name))
    click.echo(scaffold(schema.config_type), nl=False)


pipeline_cli.add_command(backfill_command)
