"""Loggers: where a run's log lines and events are written besides the event log."""

from __future__ import annotations

import inspect
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from headwater.config import Field
from headwater.definitions.configurable import ConfigurableDefinition, config_field_for
from headwater.errors import HeadwaterInvalidDefinitionError


class LoggerDefinition(ConfigurableDefinition):
    """How to build a ``logging.Logger`` for a run.

    Args:
        logger_fn: ``fn(init_context) -> logging.Logger``.
        config_schema: Schema of ``loggers.<key>.config`` (None: any config).
        description: A human-readable description.
    """

    def __init__(self, logger_fn: Callable[[InitLoggerContext], logging.Logger],
                 config_schema: Any = None, description: str | None = None) -> None:
        if not callable(logger_fn):
            raise HeadwaterInvalidDefinitionError(
                f"A logger needs a callable logger_fn, received {logger_fn!r}."
            )
        self.logger_fn = logger_fn
        self.config_schema = config_schema
        self.config_field = config_field_for(config_schema, "a logger")
        self.description = description

    @property
    def _frozen_function(self) -> Any:
        return self.logger_fn

    def _copy_for_configured(self, config_schema: Any, description: str | None,
                             name: str | None) -> LoggerDefinition:
        return LoggerDefinition(self.logger_fn, config_schema, description)

    def configured(self, config_or_config_fn: Any, config_schema: Any = None,
                   description: str | None = None) -> LoggerDefinition:
        """A logger with its config fixed, or mapped from a new outer schema."""
        return self._configured(config_or_config_fn, config_schema, description, None)


class InitLoggerContext:
    """What a logger function receives: ``logger_config``, ``logger_def``, ``pipeline_def``,
    ``run_id``."""

    __slots__ = ("logger_config", "logger_def", "pipeline_def", "run_id")

    def __init__(self, logger_config: Any, logger_def: LoggerDefinition | None = None,
                 pipeline_def: Any = None, run_id: str | None = None) -> None:
        self.logger_config = logger_config
        self.logger_def = logger_def
        self.pipeline_def = pipeline_def
        self.run_id = run_id


def build_init_logger_context(logger_config: Any = None, pipeline_def: Any = None
                              ) -> InitLoggerContext:
    """An init context for calling a logger function directly in a test."""
    return InitLoggerContext(logger_config, pipeline_def=pipeline_def)


def logger(config_schema: Any = None, description: str | None = None) -> Any:
    """Define a logger from ``fn(init_context) -> logging.Logger`` (bare or called)."""
    if inspect.isfunction(config_schema):
        fn = config_schema
        return LoggerDefinition(fn, description=fn.__doc__)
    return lambda fn: LoggerDefinition(fn, config_schema, description or fn.__doc__)


_LOGGER_CONFIG = {
    "log_level": Field(str, default_value="INFO",
                       description="DEBUG, INFO, WARNING, ERROR or CRITICAL."),
    "name": Field(str, default_value="headwater", description="The logger's name."),
}

_COLORS = {logging.DEBUG: "\033[34m", logging.INFO: "\033[32m", logging.WARNING: "\033[33m",
           logging.ERROR: "\033[31m", logging.CRITICAL: "\033[1;31m"}


class _ColoredFormatter(logging.Formatter):
    def __init__(self, colored: bool) -> None:
        super().__init__("%(asctime)s - %(name)s - %(levelname)s - %(message)s")
        self.colored = colored

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if not self.colored:
            return text
        return f"{_COLORS.get(record.levelno, '')}{text}\033[0m"


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"timestamp": record.created, "level": record.levelname,
                   "name": record.name, "message": record.getMessage()}
        payload.update(getattr(record, "headwater_meta", None) or {})
        return json.dumps(payload, default=str)


def _level(config: dict[str, Any]) -> int:
    name = str(config["log_level"]).upper()
    level = logging.getLevelName(name)
    if not isinstance(level, int):
        raise HeadwaterInvalidDefinitionError(
            f'Unknown log_level "{config["log_level"]}": use DEBUG, INFO, WARNING, ERROR or '
            "CRITICAL."
        )
    return level


def _stderr_logger(config: dict[str, Any], formatter: logging.Formatter) -> logging.Logger:
    # A private Logger object, not one from logging.getLogger: it is not kept in the global
    # registry, so a long-lived process does not collect one per run.
    log = logging.Logger(config["name"], _level(config))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    log.addHandler(handler)
    return log


colored_console_logger = LoggerDefinition(
    lambda ctx: _stderr_logger(ctx.logger_config,
                               _ColoredFormatter(colored=sys.stderr.isatty())),
    config_schema=_LOGGER_CONFIG,
    description="Human-readable lines on stderr, colored by level on a terminal.",
)

json_console_logger = LoggerDefinition(
    lambda ctx: _stderr_logger(ctx.logger_config, _JsonFormatter()),
    config_schema=_LOGGER_CONFIG,
    description="One JSON object per line on stderr, with the run's structured metadata.",
)
