"""The run's log: every event and log line goes to the event log and to the run's loggers."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence
from typing import Any

from headwater.config.secrets import has_secrets, mask
from headwater.execution.events import EventLogEntry, HeadwaterEvent, entry_for_event


class LogManager:
    """``context.log``: write log lines (and, internally, events) for a run or a step.

    Every line is recorded in the event log; it also reaches each of the run's loggers
    (console, JSON, plugins) whose level lets it through.
    """

    __slots__ = ("_min_level", "loggers", "pipeline_name", "recorder", "run_id",
                 "solid_handle", "step_key")

    def __init__(self, run_id: str, pipeline_name: str, loggers: Sequence[logging.Logger],
                 recorder: Any, step_key: str | None = None,
                 solid_handle: str | None = None) -> None:
        self.run_id = run_id
        self.pipeline_name = pipeline_name
        self.loggers = list(loggers)
        self.recorder = recorder
        self.step_key = step_key
        self.solid_handle = solid_handle
        self._min_level = min((lg.getEffectiveLevel() for lg in self.loggers),
                              default=logging.CRITICAL + 1)

    def for_step(self, step_key: str, solid_handle: str) -> LogManager:
        """The same log, tagged with a step."""
        return LogManager(self.run_id, self.pipeline_name, self.loggers, self.recorder,
                          step_key, solid_handle)

    def _emit(self, level: int, message: str, entry: EventLogEntry) -> EventLogEntry:
        if has_secrets():
            message = mask(message)
            if message != entry.user_message:
                entry = dataclasses.replace(entry, user_message=message)
        if self.recorder is not None:
            self.recorder.handle_new_event(entry)
        if level >= self._min_level:
            event = entry.headwater_event
            label = event.event_type_value if event is not None else None
            where = " - ".join(p for p in (self.pipeline_name, self.run_id[:8], self.step_key,
                                           label) if p)
            meta = {"run_id": self.run_id, "pipeline_name": self.pipeline_name,
                    "step_key": self.step_key, "solid_handle": self.solid_handle,
                    "event_type": label}
            for lg in self.loggers:
                if lg.isEnabledFor(level):
                    lg.log(level, f"{where} - {message}", extra={"headwater_meta": meta})
        return entry

    def log(self, level: int, message: str) -> None:
        """Write a log line at ``level``."""
        entry = EventLogEntry(self.run_id, time.time(), level, str(message), self.step_key,
                              self.pipeline_name)
        self._emit(level, str(message), entry)

    def debug(self, message: str) -> None:
        self.log(logging.DEBUG, message)

    def info(self, message: str) -> None:
        self.log(logging.INFO, message)

    def warning(self, message: str) -> None:
        self.log(logging.WARNING, message)

    warn = warning

    def error(self, message: str) -> None:
        self.log(logging.ERROR, message)

    def critical(self, message: str) -> None:
        self.log(logging.CRITICAL, message)

    def log_event(self, event: HeadwaterEvent) -> EventLogEntry:
        """Record an event; returns the stored entry."""
        entry = entry_for_event(self.run_id, event)
        return self._emit(entry.level, entry.user_message, entry)
