"""``headwater schedule``: list, start and stop schedules, preview their ticks, show their
history, forget them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import click

from headwater.cli.errors import fail, opened_instance
from headwater.cli.scheduling import (
    JobKind,
    choice_options,
    format_zoned,
    last_tick_text,
    list_jobs,
    list_options,
    start_jobs,
    status_of,
    stop_jobs,
)
from headwater.cli.targets import CodeTarget, target_options
from headwater.instance.jobs import JobState, JobType, TickRecord


@click.group("schedule")
def schedule_cli() -> None:
    """Schedules: the daemon runs a pipeline at the cron times of each running schedule.

    Every command but wipe takes the code: -w workspace.yaml (./workspace.yaml by default),
    or -f FILE / -m MODULE.
    """


def _row(repository_name: str, schedule: Any, state: JobState | None,
         last_ticks: Sequence[TickRecord], now: dt.datetime) -> tuple[Any, ...]:
    zone = schedule.execution_timezone
    running = state is not None and state.is_running
    return (schedule.name, repository_name, schedule.pipeline_name,
            f"{schedule.cron_schedule} ({zone or 'UTC'})", status_of(state),
            format_zoned(next(schedule.fire_times(now)), zone) if running else "-",
            last_tick_text(last_ticks, zone))


def _started(repository_name: str, schedule: Any, now: dt.datetime) -> str:
    next_tick = next(schedule.fire_times(now))
    return (f'Started schedule "{schedule.name}" of repository "{repository_name}"; '
            f"next tick at {format_zoned(next_tick, schedule.execution_timezone)}.")


SCHEDULES = JobKind(JobType.SCHEDULE, duty="scheduler",
                    columns=("schedule", "repository", "pipeline", "cron", "status",
                             "next tick", "last tick"),
                    row=_row, started=_started)


@schedule_cli.command("list")
@list_options(SCHEDULES)
def list_command(target: CodeTarget, only: str | None) -> None:
    """Each schedule: its pipeline, cron and time zone, status, next and last tick.

    \b
    Example:
        headwater schedule list -w workspace.yaml --running
    """
    list_jobs(SCHEDULES, target, only)


@schedule_cli.command("start")
@choice_options(SCHEDULES, "start")
def start_command(target: CodeTarget, names: tuple[str, ...], start_all: bool) -> None:
    """Start schedules: the daemon ticks each at its cron times from now on (earlier times
    are not caught up).

    \b
    Examples:
        headwater schedule start nightly_orders -w workspace.yaml
        headwater schedule start --start-all
    """
    start_jobs(SCHEDULES, target, names, start_all)


@schedule_cli.command("stop")
@choice_options(SCHEDULES, "stop")
def stop_command(target: CodeTarget, names: tuple[str, ...], stop_all: bool) -> None:
    """Stop schedules: the daemon ticks them no more (their history is kept).

    \b
    Example:
        headwater schedule stop nightly_orders
    """
    stop_jobs(SCHEDULES, target, names, stop_all)


@schedule_cli.command("preview")
@target_options(pipeline_name=False)
@click.argument("name")
@click.option("--ticks", "count", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many next tick times to show.")
@click.option("--after", metavar="TIME",
              help="Show the ticks after this time (ISO 8601; in the schedule's time zone "
                   "unless it has an offset) instead of after now.")
def preview_command(target: CodeTarget, name: str, count: int, after: str | None) -> None:
    """The next tick times of a schedule, and the runs it asks for at the first of them
    (evaluated here; nothing is launched or stored).

    \b
    Examples:
        headwater schedule preview nightly_orders
        headwater schedule preview nightly_orders --after 2026-03-28T00:00 --ticks 3

    Exits 1 when the schedule raises (its traceback is shown).
    """
    from itertools import islice

    from headwater.cli.console import make_console
    from headwater.cli.scheduling import print_tick_data
    from headwater.definitions.cron import timezone
    from headwater.definitions.schedule import build_schedule_context

    with opened_instance() as instance:
        _, schedule = target.workspace.find_schedule(name, target.location, target.repository)
        zone = schedule.execution_timezone
        start = _parse_time(after, zone) if after is not None else dt.datetime.now(dt.UTC)
        ticks = list(islice(schedule.fire_times(start), count))
        console = make_console()
        console.print(f'Schedule "{name}" ({schedule.cron_schedule}, {zone or "UTC"}): next '
                      f"ticks after {format_zoned(start, zone)}:")
        for tick in ticks:
            console.print(f"  {format_zoned(tick, zone)}")
        console.print(f"At {format_zoned(ticks[0], zone)}:")
        context = build_schedule_context(instance, ticks[0].astimezone(timezone(zone)))
        try:
            data = schedule.evaluate_tick(context)
        except Exception as error:
            from headwater.execution.events import SerializableErrorInfo

            console.print(SerializableErrorInfo.from_exception(error).to_string(),
                          style="red")
            raise click.exceptions.Exit(1) from None
        print_tick_data(console, data)


@schedule_cli.command("logs")
@target_options(pipeline_name=False)
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most this many ticks, latest first.")
@click.option("--traceback", "tracebacks", is_flag=True,
              help="Also print the traceback of each failed tick.")
def logs_command(target: CodeTarget, name: str, limit: int, tracebacks: bool) -> None:
    """A schedule's ticks, latest first: when, how each went, the runs it launched, why it
    skipped or what it raised.

    \b
    Example:
        headwater schedule logs nightly_orders --traceback
    """
    from headwater.cli.console import make_console
    from headwater.cli.scheduling import print_ticks
    from headwater.instance.jobs import JobType, job_origin_id

    with opened_instance() as instance:
        repository, schedule = target.workspace.find_schedule(name, target.location,
                                                              target.repository)
        records = instance.get_job_ticks(
            job_origin_id(JobType.SCHEDULE, repository.name, name), limit)
    console = make_console()
    if not records:
        console.print(f'Schedule "{name}" has not ticked yet.')
        return
    print_ticks(console, records, schedule.execution_timezone, tracebacks)


@schedule_cli.command("wipe")
@click.option("--force", "-f", is_flag=True, help="Do not ask for confirmation.")
def wipe_command(force: bool) -> None:
    """Stop every schedule and delete every tick of every schedule in the instance (their
    runs are kept)."""
    from headwater.instance.jobs import JobType

    with opened_instance() as instance:
        states = instance.all_job_states(JobType.SCHEDULE)
        if not force:
            click.confirm(f"Stop and forget all {len(states)} schedules of the instance at "
                          f"{instance.home}, with their tick history?", abort=True)
        for state in states:
            instance.delete_job_state(state.origin_id)
    click.echo(f"Forgot {len(states)} schedules.")



def _parse_time(text: str, timezone_name: str | None) -> dt.datetime:
    from headwater.definitions.cron import timezone

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        fail(f'--after "{text}" is not an ISO 8601 time; write it like 2026-03-28T02:30 or '
             "2026-03-28T02:30+01:00.")
    return moment if moment.tzinfo is not None else moment.replace(
        tzinfo=timezone(timezone_name))
