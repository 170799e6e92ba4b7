"""Loggers: where a run's log lines and events are written besides the event log."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from headwater.config import Field
from headwater.definitions.configurable import ConfigurableDefinition, config_field_for
from headwater.errors import HeadwaterInvalidDefinitionError

if TYPE_CHECKING:
    import logging


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

def _colored_console(ctx: InitLoggerContext) -> logging.Logger:
    # The logging module (with traceback, string and threading) loads with the first run's
    # logger, not with ``import headwater``.
    from headwater.definitions import console_logging

    return console_logging.colored_stderr_logger(ctx.logger_config)


def _json_console(ctx: InitLoggerContext) -> logging.Logger:
    from headwater.definitions import console_logging

    return console_logging.json_stderr_logger(ctx.logger_config)


colored_console_logger = LoggerDefinition(
    _colored_console,
    config_schema=_LOGGER_CONFIG,
    description="Human-readable lines on stderr, colored by level on a terminal.",
)

json_console_logger = LoggerDefinition(
    _json_console,
    config_schema=_LOGGER_CONFIG,
    description="One JSON object per line on stderr, with the run's structured metadata.",
)
