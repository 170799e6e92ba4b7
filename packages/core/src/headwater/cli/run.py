"""``headwater run``: the runs recorded in the instance: list, show, follow, cancel,
re-execute, delete."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from headwater.cli.errors import fail, reported_errors
from headwater.cli.errors import opened_instance as _instance

RUN_NOT_SUCCESSFUL_EXIT_CODE = 1
_FOLLOW_POLL_SECONDS = 0.25


def _run_or_fail(instance: Any, run_id: str) -> Any:
    """The run with id ``run_id``, or the one run whose id starts with it."""
    run = instance.get_run_by_id(run_id)
    if run is not None:
        return run
    matches = [record.run for record in instance.get_run_records()
               if record.run.run_id.startswith(run_id)] if run_id else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(match.run_id for match in matches[:5])
        fail(f'"{run_id}" starts the ids of {len(matches)} runs ({ids}); give more of the id.')
    fail(f'No run "{run_id}" in the instance at {instance.home}. `headwater run list` '
         "shows the runs it has.")


@click.group("run")
def run_cli() -> None:
    """Recorded runs: list, show, logs, cancel, reexecute, delete, wipe.

    A run id may be shortened to any prefix that only one run's id starts with.

    The runs of the instance ($HEADWATER_HOME, ~/.headwater by default).
    """


@run_cli.command("list", short_help="List the runs, newest first.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most this many runs, newest first.")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="Only runs in this status (repeatable): queued, started, success, "
                   "failure, canceled, ...")
@click.option("--pipeline", metavar="NAME", help="Only runs of this pipeline.")
def list_command(limit: int, statuses: tuple[str, ...], pipeline: str | None) -> None:
    """The runs, newest first: id, status, pipeline, when they started, how long they took.

    \b
    Examples:
        headwater run list
        headwater run list --status failure --pipeline daily_orders --limit 5
    """
    from headwater.cli.console import make_console
    from headwater.cli.run_display import print_run_table
    from headwater.instance import RunsFilter

    filters = RunsFilter(pipeline_name=pipeline,
                         statuses=[_status(value) for value in statuses] or None)
    with _instance() as instance:
        records = instance.get_run_records(filters, limit=limit)
        total = instance.get_runs_count(filters)
    console = make_console()
    if not records:
        console.print("No runs." if filters == RunsFilter() else "No run matches.")
        return
    print_run_table(console, records)
    if total > len(records):
        console.print(f"{len(records)} of {total} runs; --limit shows more.", style="dim")


def _status(value: str) -> Any:
    from headwater.execution.run import PipelineRunStatus

    try:
        return PipelineRunStatus(value.upper())
    except ValueError:
        names = ", ".join(status.value.lower() for status in PipelineRunStatus)
        raise click.BadParameter(f'"{value}" is not a run status; one of: {names}.',
                                 param_hint="--status") from None


@run_cli.command("show", short_help="Show a run: config, tags, steps.")
@click.argument("run_id")
def show_command(run_id: str) -> None:
    """A run in full: pipeline, status, times, tags, config, and each step's status and
    duration."""
    from headwater.cli.console import make_console
    from headwater.cli.run_display import print_run
    from headwater.execution.events import HeadwaterEventType
    from headwater.instance import RunsFilter

    with _instance() as instance:
        run_id = _run_or_fail(instance, run_id).run_id
        [record] = instance.get_run_records(RunsFilter(run_ids=[run_id]))
        steps = instance.get_run_step_stats(run_id)
        failures = instance.all_logs(run_id, of_type={
            HeadwaterEventType.STEP_FAILURE, HeadwaterEventType.PIPELINE_FAILURE})
    print_run(make_console(), record, steps, failures)


@run_cli.command("logs", short_help="Print or follow a run's event log.")
@click.argument("run_id")
@click.option("--step", "step_key", metavar="KEY", help="Only this step's entries.")
@click.option("--follow", "-F", is_flag=True,
              help="Keep printing new entries until the run ends; exit 0 if it succeeds, "
                   "1 if not.")
@click.option("--stdout", "stream", flag_value="stdout",
              help="Instead of the event log: what the step (--step) printed to stdout.")
@click.option("--stderr", "stream", flag_value="stderr",
              help="Instead of the event log: what the step (--step) printed to stderr.")
def logs_command(run_id: str, step_key: str | None, follow: bool, stream: str | None) -> None:
    """A run's event log: every event and log line, oldest first; or what a step printed.

    \b
    Examples:
        headwater run logs RUN_ID
        headwater run logs RUN_ID --follow
        headwater run logs RUN_ID --step load --stderr
    """
    if stream is not None and step_key is None:
        raise click.UsageError(f"--{stream} shows what one step printed: give --step KEY.")
    from headwater.cli.console import make_console

    console = make_console()
    with _instance() as instance:
        run_id = _run_or_fail(instance, run_id).run_id
        if stream is not None:
            run = _print_step_output(console, instance, run_id, step_key or "", stream, follow)
        else:
            run = _print_event_log(console, instance, run_id, step_key, follow)
    if follow and run.status.value != "SUCCESS":
        raise click.exceptions.Exit(RUN_NOT_SUCCESSFUL_EXIT_CODE)


def _print_event_log(console: Any, instance: Any, run_id: str, step_key: str | None,
                     follow: bool) -> Any:
    from headwater.cli.run_display import entry_line

    cursor = -1
    with _progress(console, follow) as progress:
        while True:
            # The status first: once a run is seen finished, every event of it is stored.
            run = instance.get_run_by_id(run_id)
            for record in instance.get_event_records(run_id, cursor):
                cursor = record.storage_id
                if step_key is None or record.entry.step_key == step_key:
                    console.print(entry_line(record.entry))
            if not follow or run.is_finished or _process_gone(console, run):
                return run
            progress(instance, run)
            time.sleep(_FOLLOW_POLL_SECONDS)


def _print_step_output(console: Any, instance: Any, run_id: str, step_key: str, stream: str,
                       follow: bool) -> Any:
    shown = 0
    with _progress(console, follow) as progress:
        while True:
            run = instance.get_run_by_id(run_id)
            logs = instance.compute_log_manager.read_logs(run_id, step_key)
            text = logs.stdout if stream == "stdout" else logs.stderr
            if len(text) > shown:
                console.out(text[shown:], end="", highlight=False)
                shown = len(text)
            if not follow or run.is_finished or _process_gone(console, run):
                return run
            progress(instance, run)
            time.sleep(_FOLLOW_POLL_SECONDS)


@contextmanager
def _progress(console: Any, follow: bool) -> Iterator[Any]:
    """While following a run: a status line (on a terminal) saying where the run stands."""
    from headwater.cli.run_display import run_duration

    if not follow:
        yield lambda instance, run: None
        return
    with console.status("Waiting for the run...") as status:
        def update(instance: Any, run: Any) -> None:
            stats = instance.get_run_stats(run.run_id)
            done = stats.steps_succeeded + stats.steps_failed
            status.update(f"Run {run.run_id[:8]} {run.status.value} · {done} step"
                          f"{'' if done == 1 else 's'} done · "
                          f"{run_duration(stats.start_time or stats.launch_time, None)}")

        yield update


def _process_gone(console: Any, run: Any) -> bool:
    """Whether the run's process is known to be gone although the run did not record its
    end (then following it would never end)."""
    from headwater.instance.run_process import RunProcess

    process = RunProcess.of(run)
    if process is None or not process.is_local or process.is_alive():
        return False
    console.print(f"The process of run {run.run_id} ({process.describe()}) is gone and the "
                  f"run is still {run.status.value}: the daemon's run monitor marks it "
                  "failed (`headwater daemon run`).", style="yellow")
    return True


@run_cli.command("cancel", short_help="Cancel a queued or running run.")
@click.argument("run_id")
@click.option("--grace", type=click.FloatRange(min=0), default=10.0, show_default=True,
              metavar="SECONDS",
              help="How long the run's process has to stop before it is killed.")
def cancel_command(run_id: str, grace: float) -> None:
    """Cancel a run: a queued run is dropped; a run in progress is stopped (its process gets
    SIGTERM, and SIGKILL after --grace seconds) and ends CANCELED."""
    from headwater.cli.console import make_console
    from headwater.cli.run_display import status_text

    console = make_console()
    with _instance() as instance:
        run = _run_or_fail(instance, run_id)
        run_id = run.run_id
        if run.is_finished:
            fail(f"Run {run_id} already ended {run.status.value}: there is nothing to cancel.")
        with console.status(f"Canceling run {run_id}...") as status:
            run = instance.cancel_run(run_id, grace, on_wait=lambda waited: status.update(
                f"Waiting for run {run_id} to stop ({waited:.0f}s of {grace:g}s)..."))
    line = console.print
    line(f"Run {run_id} is ", status_text(run.status), ".", sep="")
    if not run.is_finished:
        line("Its process is on another host: it stops at its next heartbeat.", style="dim")


@run_cli.command("delete", short_help="Delete a run and its event log.")
@click.argument("run_id")
@click.option("--force", "-f", is_flag=True, help="Delete it even if it is in progress.")
def delete_command(run_id: str, force: bool) -> None:
    """Delete a run and its event log (files its steps stored are kept)."""
    with _instance() as instance:
        run = _run_or_fail(instance, run_id)
        run_id = run.run_id
        if not force and run.status.value in ("STARTING", "STARTED", "CANCELING"):
            fail(f"Run {run_id} is {run.status.value}. Cancel it first (`headwater run cancel "
                 f"{run_id}`), or delete it anyway with --force.")
        instance.delete_run(run_id)
    click.echo(f"Deleted run {run_id}.")


@run_cli.command("wipe", short_help="Delete every run and event.")
@click.option("--force", "-f", is_flag=True, help="Do not ask for confirmation.")
def wipe_command(force: bool) -> None:
    """Delete every run and event of the instance (schedules are kept)."""
    with _instance() as instance:
        count = instance.get_runs_count()
        if not force:
            click.confirm(f"Delete all {count} runs of the instance at {instance.home}, with "
                          "their event logs?", abort=True)
        instance.wipe()
    click.echo(f"Deleted {count} runs.")


@run_cli.command("reexecute", short_help="Run steps of an earlier run again.")
@click.argument("run_id")
@click.option("--from-failure", is_flag=True,
              help="Run again every step that did not succeed in the run.")
@click.option("--steps", "step_selection", metavar="SELECTION",
              help='Steps to run again, comma-separated clauses over step keys: "load", '
                   '"transform*" (with what follows), "*report" (with what precedes).')
@click.option("-c", "--config", "config_files", multiple=True, metavar="FILE",
              help="Run config for the new run, instead of the run's own (YAML files, "
                   "deep-merged in order, later files winning).")
@click.option("--launch", is_flag=True,
              help="Submit the new run to the run coordinator (like pipeline launch) instead "
                   "of executing it here; prints its id.")
def reexecute_command(run_id: str, from_failure: bool, step_selection: str | None,
                      config_files: tuple[str, ...], launch: bool) -> None:
    """Run steps of an earlier run again; the other steps are not run: their outputs are
    loaded from the earlier run (which must have stored them with a persistent IO manager).

    Without --from-failure or --steps, every step runs again. The pipeline is loaded from
    the code the earlier run recorded.

    \b
    Examples:
        headwater run reexecute RUN_ID --from-failure
        headwater run reexecute RUN_ID --steps "transform*" -c fixed.yaml
    """
    from headwater.config.files import config_from_files
    from headwater.execution.reconstruct import ReconstructablePipeline
    from headwater.execution.reexecution import prepare_reexecution

    if from_failure and step_selection:
        raise click.UsageError("Give --from-failure or --steps, not both.")
    with reported_errors():
        run_config = config_from_files(list(config_files)) if config_files else None
    with _instance() as instance:
        parent = _run_or_fail(instance, run_id)
        run_id = parent.run_id
        if not parent.pipeline_origin:
            fail(f"Run {run_id} records no pointer to its pipeline's code (it was executed "
                 "from Python without reconstructable()): re-execute it from Python with "
                 "reexecute_pipeline(pipeline, run_id, instance=...).")
        pipeline = ReconstructablePipeline(parent.pipeline_origin)
        prepared, known = prepare_reexecution(pipeline, run_id, instance, run_config,
                                              step_selection, from_failure=from_failure)
        if launch:
            instance.create_run(prepared.run)
            instance.submit_run(prepared.run.run_id)
            click.echo(prepared.run.run_id)
            return
        from headwater.cli.run_execution import execute_with_report

        execute_with_report(instance, pipeline, prepared, known)
