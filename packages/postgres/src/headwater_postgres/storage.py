"""Run, event-log and schedule storage in PostgreSQL: Headwater's SQL storage on a server.

Storages of one instance that name the same database share one ``SqlDatabase`` (one
connection pool, one schema check).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.integration import (
    ComponentContext,
    SqlDatabase,
    SqlEventLogStorage,
    SqlRunStorage,
    SqlScheduleStorage,
)
from headwater_postgres.config import pg_config_schema, postgres_url


def postgres_database(config: Mapping[str, Any], context: ComponentContext) -> SqlDatabase:
    """The instance's database at the configured URL, shared by its storages."""
    url = postgres_url(config)
    key = ("sql", url.render_as_string(hide_password=False))
    return context.shared(key, lambda: SqlDatabase.from_url(url))


class PostgresRunStorage(SqlRunStorage):
    """Runs in PostgreSQL."""

    @classmethod
    def config_schema(cls) -> Any:
        return pg_config_schema()

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> PostgresRunStorage:
        return cls(postgres_database(config, context))


class PostgresEventLogStorage(SqlEventLogStorage):
    """Run events in PostgreSQL, written in batches."""

    @classmethod
    def config_schema(cls) -> Any:
        return pg_config_schema()

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> PostgresEventLogStorage:
        return cls(postgres_database(config, context))


class PostgresScheduleStorage(SqlScheduleStorage):
    """Schedule and sensor state in PostgreSQL."""

    @classmethod
    def config_schema(cls) -> Any:
        return pg_config_schema()

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> PostgresScheduleStorage:
        return cls(postgres_database(config, context))
