"""Showing a run as it happens: a line as each step starts and ends, what the solids log,
the failures with the user's traceback, and a one-line summary.

Events come from the run's event iterator; log lines come through the recorder
(``ReportingRecorder``), which records every entry in the instance and sees them in order.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from typing import Any

from rich.console import Console
from rich.text import Text

from headwater.cli.console import format_duration, symbols_for
from headwater.execution.api import PRESET_NAME_TAG
from headwater.execution.events import EventLogEntry, HeadwaterEvent, SerializableErrorInfo
from headwater.execution.run import PipelineRun

_INDENT = "    "
_HEADWATER_DIRECTORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# What the console logger shows by default: debug lines stay in the event log.
_SHOWN_LOG_LEVEL = logging.INFO
_LEVEL_STYLES = {logging.WARNING: "yellow", logging.ERROR: "red", logging.CRITICAL: "bold red"}


class RunReport:
    """Prints one run on a console.

    Args:
        console: Where to print.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.symbols = symbols_for(console)
        self.run: PipelineRun | None = None
        self.succeeded: list[str] = []
        self.failed: list[str] = []
        self.skipped: list[str] = []
        self.outcome: str | None = None
        self._started_at = time.perf_counter()
        self._step_started: dict[str, float] = {}
        self._next_attempt: dict[str, int] = {}
        self._steps_seen: dict[str, None] = {}  # in order of first appearance

    # -- what the recorder reports -----------------------------------------------------

    def run_created(self, run: PipelineRun) -> None:
        """Print the header of the run."""
        self.run = run
        self._started_at = time.perf_counter()
        header = Text.assemble((run.pipeline_name, "bold"), f" · mode {run.mode}")
        preset = run.tags.get(PRESET_NAME_TAG)
        if preset:
            header.append(f" · preset {preset}")
        if run.solid_selection:
            header.append(f" · solids {','.join(run.solid_selection)}")
        header.append(f" · run {run.run_id}", style="dim")
        self.console.print(header)

    def log_line(self, entry: EventLogEntry) -> None:
        """Print a line a solid (or the run) logged, if its level is shown."""
        if entry.step_key is not None:
            self._steps_seen.setdefault(entry.step_key)
        if entry.level < _SHOWN_LOG_LEVEL:
            return
        line = Text(_INDENT)
        if entry.step_key is not None:
            line.append(f"{entry.step_key}: ", style="cyan")
        if entry.level >= logging.WARNING:
            line.append(f"{logging.getLevelName(entry.level)} ",
                        style=_LEVEL_STYLES.get(entry.level, ""))
        line.append(_indented(entry.user_message, _INDENT + "  ").lstrip(),
                    style=_LEVEL_STYLES.get(entry.level, ""))
        self.console.print(line)

    # -- what the event iterator yields ------------------------------------------------

    def event(self, event: HeadwaterEvent) -> None:
        """Print what an event means for the person watching the run."""
        kind = event.event_type_value
        key = event.step_key
        if key is not None:
            self._steps_seen.setdefault(key)
        handler = getattr(self, f"_on_{kind.lower()}", None)
        if handler is not None:
            handler(event)

    def _on_step_start(self, event: HeadwaterEvent) -> None:
        self._step_started[event.step_key or ""] = time.perf_counter()
        self._step_line(self.symbols.start, "dim", event.step_key, "")

    def _on_step_restarted(self, event: HeadwaterEvent) -> None:
        self._step_started[event.step_key or ""] = time.perf_counter()
        attempt = self._next_attempt.get(event.step_key or "")
        self._step_line(self.symbols.start, "dim", event.step_key,
                        f"attempt {attempt}" if attempt else "restarted")

    def _on_step_success(self, event: HeadwaterEvent) -> None:
        self.succeeded.append(event.step_key or "")
        duration = format_duration(event.event_specific_data.duration_ms / 1000.0)
        self._step_line(self.symbols.success, "green", event.step_key, duration)

    def _on_step_failure(self, event: HeadwaterEvent) -> None:
        key = event.step_key or ""
        self.failed.append(key)
        started = self._step_started.get(key)
        after = f" after {format_duration(time.perf_counter() - started)}" if started else ""
        data = event.event_specific_data
        error: SerializableErrorInfo | None = getattr(data, "error", None)
        user_failure = getattr(data, "user_failure_data", None)
        why = (user_failure.description if user_failure is not None else None) or \
            (error.message if error is not None else None)
        self._step_line(self.symbols.failure, "bold red", event.step_key,
                        f"failed{after}" + (f": {why}" if why else ""))
        if user_failure is not None:
            for label, value in user_failure.metadata.items():
                self.console.print(Text(f"{_INDENT}{label}: {_metadata_text(value)}"))
        if error is not None:
            self._traceback(error)

    def _on_step_skipped(self, event: HeadwaterEvent) -> None:
        self.skipped.append(event.step_key or "")
        upstream = event.event_specific_data.skipped_dependencies
        why = f"skipped: {', '.join(upstream)} produced no output" if upstream else "skipped"
        self._step_line(self.symbols.skipped, "yellow", event.step_key, why)

    def _on_step_up_for_retry(self, event: HeadwaterEvent) -> None:
        data = event.event_specific_data
        self._next_attempt[event.step_key or ""] = data.retry_number + 1
        wait = f" in {format_duration(data.seconds_to_wait)}" if data.seconds_to_wait else ""
        cause = f"failed: {data.error.message}; " if data.error is not None else ""
        self._step_line(self.symbols.retry, "yellow", event.step_key,
                        f"{cause}retry {data.retry_number}{wait}")

    def _on_hook_errored(self, event: HeadwaterEvent) -> None:
        self._step_line(self.symbols.failure, "red", event.step_key, event.message or "")

    def _on_pipeline_success(self, event: HeadwaterEvent) -> None:
        self.outcome = "succeeded"

    def _on_pipeline_canceled(self, event: HeadwaterEvent) -> None:
        self.outcome = "canceled"
        self.console.print(Text.assemble((f"{self.symbols.failure} ", "bold red"),
                                         event.message or ""))

    def _on_pipeline_failure(self, event: HeadwaterEvent) -> None:
        self.outcome = "failed"
        error = getattr(event.event_specific_data, "error", None)
        if error is not None:
            # Not a step's failure: the run itself could not go on (e.g. a resource failed).
            self.console.print(Text.assemble((f"{self.symbols.failure} ", "bold red"),
                                             event.message or ""))
            self._traceback(error)

    # -- the end -----------------------------------------------------------------------

    @property
    def success(self) -> bool:
        return self.outcome == "succeeded"

    @property
    def not_run(self) -> list[str]:
        """Steps the run knew of but never started (e.g. downstream of a failure)."""
        done = set(self._step_started) | set(self.skipped)
        return [key for key in self._steps_seen if key not in done]

    def interrupted(self) -> None:
        """Note that the run was interrupted (unless it already recorded its cancelation)."""
        if self.outcome != "canceled":
            self.outcome = "interrupted"

    def summary(self) -> None:
        """Print the one-line summary: outcome, duration, step counts, run id."""
        assert self.run is not None, "the recorder reports the run before its events"
        outcome = self.outcome or "failed"
        mark, style = ((self.symbols.success, "bold green") if self.success
                       else (self.symbols.failure, "bold red"))
        duration = format_duration(time.perf_counter() - self._started_at)
        total = len(self.succeeded) + len(self.failed) + len(self.skipped) + len(self.not_run)
        counts = (f"{total} step{'' if total == 1 else 's'}: {len(self.succeeded)} succeeded, "
                  f"{len(self.failed)} failed")
        if self.failed:
            counts += f" ({', '.join(self.failed)})"
        counts += f", {len(self.skipped)} skipped"
        if self.not_run:
            counts += f", {len(self.not_run)} not run"
        if total == 0 and not self.success:
            # e.g. a resource that failed to start: "0 steps" would read as an empty plan.
            counts = "no step started"
        line = Text.assemble((f"{mark} {self.run.pipeline_name} {outcome} in {duration}", style),
                             f" · {counts}", (f" · run {self.run.run_id}", "dim"))
        self.console.print(line)

    # -- helpers -----------------------------------------------------------------------

    def _step_line(self, mark: str, style: str, step_key: str | None, detail: str) -> None:
        line = Text.assemble((f"{mark} ", style), (step_key or "", "bold"))
        if detail:
            line.append(f"  {detail}", style="dim" if style == "dim" else "")
        self.console.print(line)

    def _traceback(self, error: SerializableErrorInfo) -> None:
        user_error = _without_headwater_frames(error)
        if user_error is None:
            return  # Headwater's own error: its message, already shown, says it all
        text = user_error.to_string().rstrip("\n")
        self.console.print(Text(_indented(text, _INDENT), style="red"))


class ReportingRecorder:
    """Records a run in an instance, and shows its header and log lines on a RunReport.

    Everything else execution asks of its recorder (storage, references for other
    processes, compute logs) is the instance's.

    Args:
        instance: Where the run is recorded.
        report: Where it is shown.
    """

    def __init__(self, instance: Any, report: RunReport) -> None:
        self.instance = instance
        self.report = report

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)

    def create_run(self, run: PipelineRun) -> PipelineRun:
        created: PipelineRun = self.instance.create_run(run)
        self.report.run_created(created)
        return created

    def handle_new_event(self, entry: EventLogEntry) -> None:
        self.instance.handle_new_event(entry)
        if entry.headwater_event is None:
            self.report.log_line(entry)


def _without_headwater_frames(error: SerializableErrorInfo) -> SerializableErrorInfo | None:
    """The error with the frames of Headwater's own code that lead into the user's code
    left out, so that the traceback starts where the user's code was called; None when no
    user code is in it (nor in its causes)."""
    stack = list(error.stack)
    while stack and _is_headwater_frame(stack[0]):
        stack.pop(0)
    cause = _without_headwater_frames(error.cause) if error.cause is not None else None
    if not stack and cause is None:
        return None
    return dataclasses.replace(error, stack=stack, cause=cause)


def _is_headwater_frame(frame: str) -> bool:
    return frame.lstrip().startswith(f'File "{_HEADWATER_DIRECTORY}')


def _indented(text: str, indent: str) -> str:
    return "\n".join(indent + line for line in text.splitlines())


def _metadata_text(value: Any) -> str:
    return str(getattr(value, "value", value))
