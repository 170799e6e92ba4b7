"""Core's own executors, IO managers and loggers, registered through the same hooks any
plugin uses."""

from __future__ import annotations

from typing import Any

from headwater.definitions.executor import default_executors
from headwater.definitions.io_manager import (
    custom_path_fs_io_manager,
    fs_io_manager,
    mem_io_manager,
)
from headwater.definitions.logger import colored_console_logger, json_console_logger
from headwater.plugins.manager import hookimpl


@hookimpl
def headwater_executors() -> list[Any]:
    return list(default_executors)


@hookimpl
def headwater_io_managers() -> dict[str, Any]:
    return {"fs_io_manager": fs_io_manager, "mem_io_manager": mem_io_manager,
            "custom_path_fs_io_manager": custom_path_fs_io_manager}


@hookimpl
def headwater_loggers() -> dict[str, Any]:
    return {"console": colored_console_logger, "json": json_console_logger}
