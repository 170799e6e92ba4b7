"""PostgreSQL storage for a Headwater instance.

Choose it in ``headwater.yaml`` by name (``run_storage: {name: postgres, config: ...}``)
or by class (``{module: headwater_postgres, class: PostgresRunStorage, config: ...}``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "pg_config_schema": "headwater_postgres.config",
    "postgres_url": "headwater_postgres.config",
    "PostgresEventLogStorage": "headwater_postgres.storage",
    "PostgresRunStorage": "headwater_postgres.storage",
    "PostgresScheduleStorage": "headwater_postgres.storage",
}

__version__ = "0.1.0"

__all__ = [
    "PostgresEventLogStorage",
    "PostgresRunStorage",
    "PostgresScheduleStorage",
    "pg_config_schema",
    "postgres_url",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_postgres.config import pg_config_schema, postgres_url
    from headwater_postgres.storage import (
        PostgresEventLogStorage,
        PostgresRunStorage,
        PostgresScheduleStorage,
    )
