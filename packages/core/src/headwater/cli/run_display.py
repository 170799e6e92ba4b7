"""How ``headwater run`` shows runs: the run table, one run in full, event-log lines."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from headwater.cli.console import format_duration, new_table, print_table
from headwater.execution.events import EventLogEntry, PipelineFailureData, StepFailureData
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.records import RunRecord, RunStepStats, StepEventStatus

STATUS_STYLES = {
    PipelineRunStatus.SUCCESS: "green",
    PipelineRunStatus.FAILURE: "red",
    PipelineRunStatus.CANCELED: "red",
    PipelineRunStatus.CANCELING: "yellow",
    PipelineRunStatus.STARTED: "cyan",
    PipelineRunStatus.STARTING: "cyan",
    PipelineRunStatus.QUEUED: "dim",
    PipelineRunStatus.NOT_STARTED: "dim",
}
_STEP_STYLES = {
    StepEventStatus.SUCCESS: "green",
    StepEventStatus.FAILURE: "red",
    StepEventStatus.SKIPPED: "yellow",
    StepEventStatus.UP_FOR_RETRY: "yellow",
    StepEventStatus.IN_PROGRESS: "cyan",
}
_LEVEL_STYLES = {logging.WARNING: "yellow", logging.ERROR: "red", logging.CRITICAL: "bold red"}


def format_time(timestamp: float | None) -> str:
    """A local time, ``2024-05-01 13:45:12``; ``-`` for None."""
    if timestamp is None:
        return "-"
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def status_text(status: PipelineRunStatus) -> Text:
    """A run status, colored."""
    return Text(status.value, style=STATUS_STYLES.get(status, ""))


def run_duration(start: float | None, end: float | None, now: float | None = None) -> str:
    """How long a run (or step) took, or has been going (``…`` after it); ``-`` if it did not
    start."""
    if start is None:
        return "-"
    if end is None:
        return format_duration((now or time.time()) - start) + "…"
    return format_duration(end - start)


def print_run_table(console: Console, records: Sequence[RunRecord]) -> None:
    """One row per run: id, status, pipeline, start, duration."""
    table = new_table(console)
    table.add_column("Run id", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Pipeline", overflow="fold")
    table.add_column("Started", no_wrap=True)
    table.add_column("Duration", justify="right", no_wrap=True)
    now = time.time()
    for record in records:
        run = record.run
        end = record.end_time if run.is_finished else None
        if run.is_finished and end is None:
            end = record.update_timestamp
        table.add_row(run.run_id, status_text(run.status), run.pipeline_name,
                      format_time(record.start_time),
                      run_duration(record.start_time, end, now))
    print_table(console, table)


def print_run(console: Console, record: RunRecord, steps: Sequence[RunStepStats],
              failures: Sequence[EventLogEntry] = ()) -> None:
    """A run in full: what ran, where it stands, its tags, config, steps and, for a failed
    run, its errors (``failures``: its step and pipeline failure entries)."""
    import yaml

    run = record.run
    console.print(Text.assemble(("Run ", "bold"), (run.run_id, "bold"), "  ",
                                status_text(run.status)))
    fields: list[tuple[str, str]] = [
        ("pipeline", run.pipeline_name),
        ("mode", run.mode),
        ("created", format_time(record.create_timestamp)),
        ("started", format_time(record.start_time)),
        ("ended", format_time(record.end_time if run.is_finished else None)),
        ("duration", run_duration(record.start_time,
                                  record.end_time if run.is_finished else None)),
    ]
    if run.solid_selection:
        fields.append(("solids", ", ".join(run.solid_selection)))
    if run.step_keys_to_execute:
        fields.append(("steps", ", ".join(run.step_keys_to_execute)))
    if run.parent_run_id:
        fields.append(("parent run", run.parent_run_id))
        fields.append(("root run", run.root_run_id or run.parent_run_id))
    if run.pipeline_origin:
        fields.append(("code", _describe_origin(run.pipeline_origin)))
    for label, value in fields:
        console.print(Text.assemble((f"  {label + ':':<12}", "dim"), value))
    console.print(Text("Tags:", style="bold"))
    for key, value in sorted(run.tags.items()) or [("(none)", "")]:
        console.print(Text(f"  {key}: {value}" if value else f"  {key}"))
    console.print(Text("Config:", style="bold"))
    config = yaml.safe_dump(run.run_config, sort_keys=False).rstrip("\n") \
        if run.run_config else "{}"
    for line in config.splitlines():
        console.print(Text(f"  {line}"))
    console.print(Text("Steps:", style="bold"))
    if not steps:
        console.print(Text("  (no step started)", style="dim"))
    else:
        print_table(console, _steps_table(console, run, steps))
    _print_errors(console, failures)


def _print_errors(console: Console, failures: Sequence[EventLogEntry]) -> None:
    """The error of each failure entry: where it happened, the message, the stack."""
    errors = []
    for entry in failures:
        data = entry.headwater_event.event_specific_data if entry.headwater_event else None
        if isinstance(data, (StepFailureData, PipelineFailureData)) and data.error is not None:
            errors.append((entry, data.error))
    if not errors:
        return
    console.print(Text("Errors:", style="bold"))
    for entry, error in errors:
        where = f'step "{entry.step_key}"' if entry.step_key else "the run"
        console.print(Text.assemble(("  In ", "dim"), where, (": ", "dim"), error.message))
        for line in "".join(error.stack).rstrip("\n").splitlines():
            console.print(Text(f"    {line}", style="dim"))


def _steps_table(console: Console, run: PipelineRun, steps: Sequence[RunStepStats]) -> Any:
    table = new_table(console)
    table.add_column("  Step", overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Attempts", justify="right")
    table.add_column("Started", no_wrap=True)
    table.add_column("Duration", justify="right", no_wrap=True)
    for step in steps:
        status = Text(step.status.value, style=_STEP_STYLES.get(step.status, ""))
        duration = run_duration(step.start_time, step.end_time)
        if step.status is StepEventStatus.IN_PROGRESS and run.is_finished:
            # The run ended while the step ran (its process died, or it was canceled).
            status, duration = Text("DID NOT FINISH", style="red"), "-"
        table.add_row(f"  {step.step_key}", status, str(step.attempts),
                      format_time(step.start_time), duration)
    return table


def _describe_origin(origin: dict[str, Any]) -> str:
    where = origin.get("python_file") or origin.get("module") or "?"
    attribute = origin.get("attribute")
    return f"{where}:{attribute}" if attribute else str(where)


def entry_line(entry: EventLogEntry) -> Text:
    """One event-log entry: time, step, kind (event type or log level), message."""
    clock = datetime.datetime.fromtimestamp(entry.timestamp).strftime("%H:%M:%S.%f")[:-3]
    kind = entry.event_type.value if entry.event_type is not None \
        else logging.getLevelName(entry.level)
    style = _LEVEL_STYLES.get(entry.level, "dim" if entry.event_type is not None else "")
    line = Text.assemble((clock, "dim"), " ")
    if entry.step_key:
        line.append(f"{entry.step_key} ", style="cyan")
    line.append(f"{kind} ", style=style or "bold")
    line.append(entry.user_message, style="" if entry.event_type is not None else style)
    error = entry.error_info
    if error is not None and entry.level >= logging.ERROR:
        line.append("\n" + error.to_string().rstrip("\n"), style="red")
    return line
