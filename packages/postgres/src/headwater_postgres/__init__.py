"""PostgreSQL storage for a Headwater instance.

Choose it in ``headwater.yaml`` by name (``run_storage: {name: postgres, config: ...}``)
or by class (``{module: headwater_postgres, class: PostgresRunStorage, config: ...}``).
"""

from headwater_postgres.config import pg_config_schema, postgres_url
from headwater_postgres.storage import (
    PostgresEventLogStorage,
    PostgresRunStorage,
    PostgresScheduleStorage,
)

__version__ = "0.1.0"

__all__ = [
    "PostgresEventLogStorage",
    "PostgresRunStorage",
    "PostgresScheduleStorage",
    "pg_config_schema",
    "postgres_url",
]
