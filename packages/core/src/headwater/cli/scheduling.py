"""What ``headwater schedule`` and ``headwater sensor`` share: listing, starting and stopping
their jobs, and showing tick histories, the runs an evaluation asks for, job status, and
whether the daemon is there to act."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from headwater.cli.console import make_console, new_table, print_table
from headwater.cli.errors import opened_instance, reported_errors
from headwater.cli.targets import CodeTarget, target_options
from headwater.definitions.cron import timezone
from headwater.definitions.run_request import TickData
from headwater.instance.jobs import JobState, JobType, TickRecord, TickStatus, job_origin_id

TICK_STYLES = {TickStatus.SUCCESS: "green", TickStatus.FAILURE: "red",
               TickStatus.SKIPPED: "yellow", TickStatus.STARTED: "cyan"}
# A duty with no heartbeat for this long is taken as not running.
_DAEMON_SILENT_SECONDS = 60.0


@dataclass(frozen=True)
class JobKind:
    """What schedules and sensors differ in when they are listed, started and stopped.

    Attributes:
        job_type: Schedules or sensors.
        duty: The daemon duty that acts on the running ones (its heartbeat says whether a
            daemon is there).
        columns: The columns of ``list``.
        row: The cells of a job's row of ``list``, from its repository's name, its
            definition, its state (None when never started), its last tick (a list of at
            most one) and the time now.
        started: What ``start`` says of a job it started, from its repository's name, its
            definition and the time it was started.
    """

    job_type: JobType
    duty: str
    columns: tuple[str, ...]
    row: Callable[[str, Any, JobState | None, Sequence[TickRecord], dt.datetime],
                  Sequence[Any]]
    started: Callable[[str, Any, dt.datetime], str]

    @property
    def noun(self) -> str:
        """``schedule`` or ``sensor``."""
        return self.job_type.value.lower()

    def all_in(self, target: CodeTarget) -> list[tuple[Any, Any]]:
        """``(repository, definition)`` of each job of the code."""
        workspace = target.workspace
        listed = workspace.schedules if self.job_type is JobType.SCHEDULE else workspace.sensors
        return listed(target.location, target.repository)

    def find_in(self, target: CodeTarget, name: str) -> tuple[Any, Any]:
        """``(repository, definition)`` of the job named ``name``."""
        workspace = target.workspace
        find = (workspace.find_schedule if self.job_type is JobType.SCHEDULE
                else workspace.find_sensor)
        return find(name, target.location, target.repository)


def list_options(kind: JobKind) -> Callable[[Callable[..., Any]], Any]:
    """The options of ``list``: the code, and ``--running`` or ``--stopped`` (``only``)."""

    def decorate(command: Callable[..., Any]) -> Any:
        for only in ("stopped", "running"):
            command = click.option(f"--{only}", "only", flag_value=only,
                                   help=f"Only {only} {kind.noun}s.")(command)
        return target_options(pipeline_name=False)(command)

    return decorate


def choice_options(kind: JobKind, verb: str) -> Callable[[Callable[..., Any]], Any]:
    """The options of ``start`` or ``stop`` (``verb``): the code, and the names of the jobs
    (``names``) or ``--start-all`` / ``--stop-all``."""

    def decorate(command: Callable[..., Any]) -> Any:
        command = click.option(f"--{verb}-all", is_flag=True,
                               help=f"{verb.capitalize()} every {kind.noun} of the code.")(command)
        command = click.argument("names", nargs=-1, metavar="NAME...")(command)
        return target_options(pipeline_name=False)(command)

    return decorate


def list_jobs(kind: JobKind, target: CodeTarget, only: str | None) -> None:
    """Print a table of the jobs of the code (``only`` "running" or "stopped" ones)."""
    console = make_console()
    table = new_table(console)
    for column in kind.columns:
        table.add_column(column, overflow="fold")
    now = dt.datetime.now(dt.UTC)
    with opened_instance() as instance:
        for repository, definition in kind.all_in(target):
            origin = job_origin_id(kind.job_type, repository.name, definition.name)
            state = instance.get_job_state(origin)
            running = state is not None and state.is_running
            if only is not None and running != (only == "running"):
                continue
            table.add_row(*kind.row(repository.name, definition, state,
                                    instance.get_job_ticks(origin, limit=1), now))
    if not table.row_count:
        console.print(f"No {kind.noun}s." if only is None else f"No {only} {kind.noun}s.")
        return
    print_table(console, table)


def start_jobs(kind: JobKind, target: CodeTarget, names: Sequence[str], every: bool) -> None:
    """Start the jobs named (every one of the code when ``every``), saying so of each, and
    remind to start the daemon when none seems to run."""
    from headwater.daemon.jobs import start_job

    chosen = _chosen_jobs(kind, target, names, every, "--start-all")
    now = dt.datetime.now(dt.UTC)
    with opened_instance() as instance:
        for repository_name, definition in chosen:
            start_job(instance, kind.job_type, repository_name, definition.name,
                      now.timestamp())
            click.echo(kind.started(repository_name, definition, now))
        hint = daemon_hint(instance, kind.duty)
    if hint:
        click.echo(hint, err=True)


def stop_jobs(kind: JobKind, target: CodeTarget, names: Sequence[str], every: bool) -> None:
    """Stop the jobs named (every one of the code when ``every``), saying so of each."""
    from headwater.daemon.jobs import stop_job

    chosen = _chosen_jobs(kind, target, names, every, "--stop-all")
    with opened_instance() as instance:
        for repository_name, definition in chosen:
            state = stop_job(instance, kind.job_type, repository_name, definition.name)
            click.echo(f'Stopped {kind.noun} "{definition.name}".' if state is not None
                       else f'{kind.noun.capitalize()} "{definition.name}" was not running.')


def _chosen_jobs(kind: JobKind, target: CodeTarget, names: Sequence[str], every: bool,
                 every_flag: str) -> list[tuple[str, Any]]:
    """``(repository name, definition)`` of each job named, or of every one of the code
    when ``every``."""
    if bool(names) == every:
        raise click.UsageError(f"Name the {kind.noun}s, or give {every_flag} (not both).")
    with reported_errors():
        found = (kind.all_in(target) if every
                 else [kind.find_in(target, name) for name in names])
    return [(repository.name, definition) for repository, definition in found]


def format_zoned(moment: float | dt.datetime | None, timezone_name: str | None = None) -> str:
    """A time in a time zone (the local one when None): ``2026-05-01 03:00:00 CEST``."""
    if moment is None:
        return "-"
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.fromtimestamp(moment, dt.UTC)
    zone = timezone(timezone_name) if timezone_name is not None else None
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def status_of(state: JobState | None) -> Text:
    """RUNNING (green) or STOPPED (dim); a job never started is stopped."""
    if state is not None and state.is_running:
        return Text("RUNNING", style="green")
    return Text("STOPPED", style="dim")


def last_tick_text(records: Sequence[TickRecord], timezone_name: str | None = None) -> Text:
    """The last tick's status and time, or ``-``."""
    if not records:
        return Text("-")
    tick = records[0].tick
    return Text.assemble((tick.status.value, TICK_STYLES[tick.status]),
                         f" {format_zoned(tick.timestamp, timezone_name)}")


def print_ticks(console: Console, records: Sequence[TickRecord], timezone_name: str | None,
                tracebacks: bool) -> None:
    """A table of ticks, latest first; with ``tracebacks``, each failure's traceback after."""
    table = new_table(console)
    for column in ("tick", "status", "runs", "details"):
        table.add_column(column, overflow="fold")
    for record in records:
        tick = record.tick
        details = (tick.error.message if tick.error is not None
                   else tick.skip_reason or (f"cursor {tick.cursor}" if tick.cursor else ""))
        table.add_row(format_zoned(tick.timestamp, timezone_name),
                      Text(tick.status.value, style=TICK_STYLES[tick.status]),
                      "\n".join(tick.run_ids) or "-", details)
    print_table(console, table)
    if tracebacks:
        for record in records:
            if record.tick.error is not None:
                console.print(Text(f"\nTick at {format_zoned(record.tick.timestamp, timezone_name)}:",
                                   style="bold"))
                console.print(Text(record.tick.error.to_string(), style="red"))


def print_tick_data(console: Console, data: TickData,
                    requested_before: Sequence[str] = ()) -> None:
    """What an evaluation asks for: each run request (run key, tags, run config), or why
    none; run keys in ``requested_before`` are marked as having their run already."""
    import yaml

    if not data.run_requests:
        console.print(f"No run requested: {data.skip_message or 'it asked for none.'}")
    for number, request in enumerate(data.run_requests, start=1):
        key = request.run_key if request.run_key is not None else "(none)"
        note = " — has its run already: no new run" if request.run_key in requested_before else ""
        console.print(Text.assemble((f"Run request {number}", "bold"), f": run key {key}{note}"))
        if request.tags:
            console.print("  tags: " + ", ".join(f"{k}={v}" for k, v in sorted(request.tags.items())))
        config = yaml.safe_dump(request.run_config, sort_keys=False).rstrip() \
            if request.run_config else "{}"
        console.print("  run config:")
        console.print(Text("\n".join(f"    {line}" for line in config.splitlines())))
    if data.cursor is not None:
        console.print(f"New cursor: {data.cursor}")


def daemon_hint(instance: Any, duty: str) -> str | None:
    """A reminder to start the daemon when its ``duty`` shows no recent heartbeat."""
    heartbeat = instance.get_daemon_heartbeats().get(duty)
    if heartbeat is not None and time.time() - heartbeat.timestamp < _DAEMON_SILENT_SECONDS:
        return None
    return ("No daemon seems to be running: start one with the same code, e.g. "
            "`headwater daemon run -w workspace.yaml`.")
