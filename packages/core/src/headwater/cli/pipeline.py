"""``headwater pipeline``: run a pipeline, list the pipelines in some code, show one."""

from __future__ import annotations

import click

from headwater.cli.errors import reported_errors
from headwater.cli.run_options import RunOptions, run_options
from headwater.cli.targets import CodeTarget, target_options

RUN_FAILED_EXIT_CODE = 1
INTERRUPTED_EXIT_CODE = 130


@click.group("pipeline")
def pipeline_cli() -> None:
    """Run, list and describe pipelines.

    Every command takes the code to load: -f FILE or -m MODULE, optionally -a ATTR.
    """


@pipeline_cli.command("execute")
@target_options()
@run_options
def execute_command(target: CodeTarget, run: RunOptions) -> None:
    """Run a pipeline in this process, showing each step as it starts and ends.

    \b
    Examples:
        headwater pipeline execute -f examples/hello_headwater.py
        headwater pipeline execute -f pipelines.py -p daily --mode prod -c base.yaml -c prod.yaml
        headwater pipeline execute -m my_project.pipelines -a repo -p daily --preset nightly

    Exits 0 when the run succeeds, 1 when it fails, 2 when it cannot start (the code does
    not load, the config is invalid, a name is unknown).
    """
    from headwater.cli.console import make_console
    from headwater.cli.run_report import ReportingRecorder, RunReport
    from headwater.execution.api import execute_pipeline_iterator

    report = RunReport(make_console())
    with reported_errors():
        pipeline = target.load_pipeline()
        events = execute_pipeline_iterator(
            pipeline, run.run_config(), mode=run.mode, preset=run.preset, tags=run.tags,
            solid_selection=run.solid_selection, instance=ReportingRecorder(report),
            default_console_logger=False)
    try:
        for event in events:
            report.event(event)
    except KeyboardInterrupt:
        report.interrupted()
        report.summary()
        raise click.exceptions.Exit(INTERRUPTED_EXIT_CODE) from None
    report.summary()
    if not report.success:
        raise click.exceptions.Exit(RUN_FAILED_EXIT_CODE)


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
