"""The SQLite and in-memory storages, as ``headwater.yaml`` names them.

Run, event-log and schedule storage on the same ``base_dir`` share one database file,
``<base_dir>/headwater.db`` (by default ``$HEADWATER_HOME/history/headwater.db``): one
schema revision to migrate, one file to back up, and one set of connections per process.
The ``in_memory`` storages of an instance share one in-memory database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from headwater.config import Field, StringSource
from headwater.instance.components import ComponentContext
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.event_log import SqlEventLogStorage
from headwater.instance.storage.runs import SqlRunStorage
from headwater.instance.storage.schedules import SqlScheduleStorage

DATABASE_FILE = "headwater.db"
SQLITE_CONFIG = {
    "base_dir": Field(StringSource, is_required=False,
                      description="The folder of the database file (default: "
                                  "$HEADWATER_HOME/history)."),
}


def sqlite_database(config: Mapping[str, Any], context: ComponentContext) -> SqlDatabase:
    """The instance's SQLite database in the configured folder, shared by its storages."""
    base_dir = config.get("base_dir") or os.path.join(context.home, "history")
    path = os.path.join(os.path.abspath(os.path.expanduser(base_dir)), DATABASE_FILE)
    return context.shared(("sql", path), lambda: SqlDatabase.sqlite_file(path))


def memory_database(context: ComponentContext) -> SqlDatabase:
    """The instance's in-memory database, shared by its in-memory storages."""
    return context.shared(("sql", "memory"), SqlDatabase.sqlite_memory)


class SqliteRunStorage(SqlRunStorage):
    """Runs in ``<base_dir>/headwater.db``."""

    @classmethod
    def config_schema(cls) -> Any:
        return SQLITE_CONFIG

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> SqliteRunStorage:
        return cls(sqlite_database(config, context))


class SqliteEventLogStorage(SqlEventLogStorage):
    """Run events in ``<base_dir>/headwater.db``."""

    @classmethod
    def config_schema(cls) -> Any:
        return SQLITE_CONFIG

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> SqliteEventLogStorage:
        return cls(sqlite_database(config, context))


class SqliteScheduleStorage(SqlScheduleStorage):
    """Schedule and sensor state in ``<base_dir>/headwater.db``."""

    @classmethod
    def config_schema(cls) -> Any:
        return SQLITE_CONFIG

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> SqliteScheduleStorage:
        return cls(sqlite_database(config, context))


class InMemoryRunStorage(SqlRunStorage):
    """Runs in this process's memory, gone with it."""

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> InMemoryRunStorage:
        return cls(memory_database(context))


class InMemoryEventLogStorage(SqlEventLogStorage):
    """Run events in this process's memory, gone with it."""

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> InMemoryEventLogStorage:
        return cls(memory_database(context))


class InMemoryScheduleStorage(SqlScheduleStorage):
    """Schedule and sensor state in this process's memory, gone with it."""

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> InMemoryScheduleStorage:
        return cls(memory_database(context))
