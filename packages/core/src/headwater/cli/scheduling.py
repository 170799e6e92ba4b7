"""What ``headwater schedule`` and ``headwater sensor`` share: choosing the schedules or
sensors named, and showing tick histories, the runs an evaluation asks for, job status, and
whether the daemon is there to act."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from headwater.cli.console import new_table, print_table
from headwater.cli.errors import reported_errors
from headwater.cli.targets import CodeTarget
from headwater.definitions.cron import timezone
from headwater.definitions.run_request import TickData
from headwater.instance.jobs import JobState, TickRecord, TickStatus

TICK_STYLES = {TickStatus.SUCCESS: "green", TickStatus.FAILURE: "red",
               TickStatus.SKIPPED: "yellow", TickStatus.STARTED: "cyan"}
# A duty with no heartbeat for this long is taken as not running.
_DAEMON_SILENT_SECONDS = 60.0


def chosen_jobs(target: CodeTarget, kind: str, names: Sequence[str], every: bool,
                every_flag: str) -> list[tuple[str, Any]]:
    """``(repository name, definition)`` of each schedule (``kind`` "schedule") or sensor
    ("sensor") named, or of every one of the code when ``every``."""
    if bool(names) == every:
        raise click.UsageError(f"Name the {kind}s, or give {every_flag} (not both).")
    with reported_errors():
        workspace = target.workspace
        listed = workspace.schedules if kind == "schedule" else workspace.sensors
        find = workspace.find_schedule if kind == "schedule" else workspace.find_sensor
        found = (listed(target.location, target.repository) if every
                 else [find(name, target.location, target.repository) for name in names])
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
