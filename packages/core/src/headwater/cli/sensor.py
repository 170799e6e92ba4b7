"""``headwater sensor``: list, start and stop sensors, preview an evaluation, set or delete
a sensor's cursor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import click

from headwater.cli.errors import opened_instance
from headwater.cli.scheduling import (
    JobKind,
    choice_options,
    last_tick_text,
    list_jobs,
    list_options,
    start_jobs,
    status_of,
    stop_jobs,
)
from headwater.cli.targets import CodeTarget, target_options
from headwater.instance.jobs import JobState, JobType, TickRecord


@click.group("sensor")
def sensor_cli() -> None:
    """Sensors: the daemon evaluates each running sensor every minimum_interval_seconds and
    launches the runs it asks for (one per run key, ever).

    Every command takes the code: -w workspace.yaml (./workspace.yaml by default), or
    -f FILE / -m MODULE.
    """


def _row(repository_name: str, sensor: Any, state: JobState | None,
         last_ticks: Sequence[TickRecord], now: dt.datetime) -> tuple[Any, ...]:
    return (sensor.name, repository_name, sensor.pipeline_name,
            f"{sensor.minimum_interval_seconds}s", status_of(state),
            state.cursor if state is not None and state.cursor else "-",
            last_tick_text(last_ticks))


def _started(repository_name: str, sensor: Any, now: dt.datetime) -> str:
    return (f'Started sensor "{sensor.name}" of repository "{repository_name}"; it is '
            f"evaluated every {sensor.minimum_interval_seconds}s.")


SENSORS = JobKind(JobType.SENSOR, duty="sensors",
                  columns=("sensor", "repository", "pipeline", "every", "status", "cursor",
                           "last evaluation"),
                  row=_row, started=_started)


@sensor_cli.command("list")
@list_options(SENSORS)
def list_command(target: CodeTarget, only: str | None) -> None:
    """Each sensor: its pipeline, interval, status, cursor and last evaluation.

    \b
    Example:
        headwater sensor list -w workspace.yaml
    """
    list_jobs(SENSORS, target, only)


@sensor_cli.command("start")
@choice_options(SENSORS, "start")
def start_command(target: CodeTarget, names: tuple[str, ...], start_all: bool) -> None:
    """Start sensors: the daemon evaluates each every minimum_interval_seconds.

    \b
    Example:
        headwater sensor start new_files -w workspace.yaml
    """
    start_jobs(SENSORS, target, names, start_all)


@sensor_cli.command("stop")
@choice_options(SENSORS, "stop")
def stop_command(target: CodeTarget, names: tuple[str, ...], stop_all: bool) -> None:
    """Stop sensors: the daemon evaluates them no more (cursor and history are kept).

    \b
    Example:
        headwater sensor stop new_files
    """
    stop_jobs(SENSORS, target, names, stop_all)


@sensor_cli.command("preview")
@target_options(pipeline_name=False)
@click.argument("name")
@click.option("--cursor", metavar="VALUE",
              help="Evaluate with this cursor instead of the sensor's stored one.")
@click.option("--last-run-key", metavar="KEY",
              help="Evaluate as if this was the run key of its last run.")
def preview_command(target: CodeTarget, name: str, cursor: str | None,
                    last_run_key: str | None) -> None:
    """Evaluate a sensor once, here, and show the runs it asks for and its new cursor.
    Nothing is launched and the stored cursor is left as it is.

    \b
    Examples:
        headwater sensor preview new_files
        headwater sensor preview new_files --cursor ""

    Exits 1 when the sensor raises (its traceback is shown).
    """
    from headwater.cli.console import make_console
    from headwater.cli.scheduling import print_tick_data
    from headwater.daemon.sensors import run_key_run_id
    from headwater.definitions.sensor import build_sensor_context
    from headwater.execution.events import SerializableErrorInfo
    from headwater.instance.jobs import JobType, job_origin_id

    console = make_console()
    with opened_instance() as instance:
        repository, sensor = target.workspace.find_sensor(name, target.location,
                                                          target.repository)
        origin = job_origin_id(JobType.SENSOR, repository.name, name)
        state = instance.get_job_state(origin)
        if state is not None:
            cursor = state.cursor if cursor is None else cursor
            last_run_key = state.last_run_key if last_run_key is None else last_run_key
        context = build_sensor_context(
            instance, cursor=cursor, repository_name=repository.name,
            last_completion_time=state.last_tick_timestamp if state is not None else None,
            last_run_key=last_run_key)
        try:
            data = sensor.evaluate_tick(context)
        except Exception as error:
            console.print(SerializableErrorInfo.from_exception(error).to_string(), style="red")
            raise click.exceptions.Exit(1) from None
        requested_before = [request.run_key for request in data.run_requests
                            if request.run_key is not None
                            and instance.has_run(run_key_run_id(origin, request.run_key))]
    print_tick_data(console, data, requested_before)


@sensor_cli.command("cursor")
@target_options(pipeline_name=False)
@click.argument("name")
@click.option("--set", "value", metavar="VALUE", help="The cursor the next evaluation sees.")
@click.option("--delete", is_flag=True, help="Delete the cursor: the next evaluation starts "
                                             "from nothing.")
def cursor_command(target: CodeTarget, name: str, value: str | None, delete: bool) -> None:
    """Set or delete the cursor a sensor's next evaluation sees.

    \b
    Examples:
        headwater sensor cursor new_files --set 2026-05-01T00:00
        headwater sensor cursor new_files --delete
    """
    from headwater.daemon.jobs import set_sensor_cursor

    if (value is None) == (not delete):
        raise click.UsageError("Give --set VALUE or --delete (one of them).")
    with opened_instance() as instance:
        repository, sensor = target.workspace.find_sensor(name, target.location,
                                                          target.repository)
        set_sensor_cursor(instance, repository.name, sensor.name, value)
    click.echo(f'Deleted the cursor of sensor "{name}".' if delete
               else f'Set the cursor of sensor "{name}" to "{value}".')
