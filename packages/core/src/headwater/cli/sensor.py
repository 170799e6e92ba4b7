"""``headwater sensor``: list, start and stop sensors, preview an evaluation, set or delete
a sensor's cursor."""

from __future__ import annotations

import time

import click

from headwater.cli.errors import opened_instance
from headwater.cli.targets import CodeTarget, target_options


@click.group("sensor")
def sensor_cli() -> None:
    """Sensors: the daemon evaluates each running sensor every minimum_interval_seconds and
    launches the runs it asks for (one per run key, ever).

    Every command takes the code: -w workspace.yaml (./workspace.yaml by default), or
    -f FILE / -m MODULE.
    """


@sensor_cli.command("list")
@target_options(pipeline_name=False)
@click.option("--running", "only", flag_value="running", help="Only running sensors.")
@click.option("--stopped", "only", flag_value="stopped", help="Only stopped sensors.")
def list_command(target: CodeTarget, only: str | None) -> None:
    """Each sensor: its pipeline, interval, status, cursor and last evaluation.

    \b
    Example:
        headwater sensor list -w workspace.yaml
    """
    from headwater.cli.console import make_console, new_table, print_table
    from headwater.cli.scheduling import last_tick_text, status_of
    from headwater.instance.jobs import JobType, job_origin_id

    console = make_console()
    table = new_table(console)
    for column in ("sensor", "repository", "pipeline", "every", "status", "cursor",
                   "last evaluation"):
        table.add_column(column, overflow="fold")
    with opened_instance() as instance:
        for repository, sensor in target.workspace.sensors(target.location, target.repository):
            origin = job_origin_id(JobType.SENSOR, repository.name, sensor.name)
            state = instance.get_job_state(origin)
            running = state is not None and state.is_running
            if only is not None and running != (only == "running"):
                continue
            table.add_row(sensor.name, repository.name, sensor.pipeline_name,
                          f"{sensor.minimum_interval_seconds}s", status_of(state),
                          state.cursor if state is not None and state.cursor else "-",
                          last_tick_text(instance.get_job_ticks(origin, limit=1)))
    if not table.row_count:
        console.print("No sensors." if only is None else f"No {only} sensors.")
        return
    print_table(console, table)


@sensor_cli.command("start")
@target_options(pipeline_name=False)
@click.argument("names", nargs=-1, metavar="NAME...")
@click.option("--start-all", is_flag=True, help="Start every sensor of the code.")
def start_command(target: CodeTarget, names: tuple[str, ...], start_all: bool) -> None:
    """Start sensors: the daemon evaluates each every minimum_interval_seconds.

    \b
    Example:
        headwater sensor start new_files -w workspace.yaml
    """
    from headwater.cli.scheduling import chosen_jobs, daemon_hint
    from headwater.daemon.jobs import start_job
    from headwater.instance.jobs import JobType

    chosen = chosen_jobs(target, "sensor", names, start_all, "--start-all")
    with opened_instance() as instance:
        for repository_name, sensor in chosen:
            start_job(instance, JobType.SENSOR, repository_name, sensor.name, time.time())
            click.echo(f'Started sensor "{sensor.name}" of repository "{repository_name}"; it '
                       f"is evaluated every {sensor.minimum_interval_seconds}s.")
        hint = daemon_hint(instance, "sensors")
    if hint:
        click.echo(hint, err=True)


@sensor_cli.command("stop")
@target_options(pipeline_name=False)
@click.argument("names", nargs=-1, metavar="NAME...")
@click.option("--stop-all", is_flag=True, help="Stop every sensor of the code.")
def stop_command(target: CodeTarget, names: tuple[str, ...], stop_all: bool) -> None:
    """Stop sensors: the daemon evaluates them no more (cursor and history are kept).

    \b
    Example:
        headwater sensor stop new_files
    """
    from headwater.cli.scheduling import chosen_jobs
    from headwater.daemon.jobs import stop_job
    from headwater.instance.jobs import JobType

    chosen = chosen_jobs(target, "sensor", names, stop_all, "--stop-all")
    with opened_instance() as instance:
        for repository_name, sensor in chosen:
            state = stop_job(instance, JobType.SENSOR, repository_name, sensor.name)
            click.echo(f'Stopped sensor "{sensor.name}".' if state is not None
                       else f'Sensor "{sensor.name}" was not running.')


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
