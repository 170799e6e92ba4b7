"""The console loggers' formatters and handlers, loaded with the first run that logs.

:mod:`headwater.definitions.logger` defines ``colored_console_logger`` and
``json_console_logger``; what they build lives here, so that ``import headwater`` does not
load the logging module.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from headwater.errors import HeadwaterInvalidDefinitionError

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


def colored_stderr_logger(config: dict[str, Any]) -> logging.Logger:
    """Human-readable lines on stderr, colored by level when stderr is a terminal."""
    return _stderr_logger(config, _ColoredFormatter(colored=sys.stderr.isatty()))


def json_stderr_logger(config: dict[str, Any]) -> logging.Logger:
    """One JSON object per line on stderr."""
    return _stderr_logger(config, _JsonFormatter())
