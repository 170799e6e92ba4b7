"""headwater-postgres's hook implementations: PostgreSQL run, event-log and schedule
storage, selectable by the name ``postgres`` in ``headwater.yaml``.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
"""

from __future__ import annotations

from collections.abc import Mapping

from headwater.integration import hookimpl


@hookimpl
def headwater_instance_components() -> Mapping[str, Mapping[str, type]]:
    """``run_storage: {name: postgres, config: ...}``, and the same for the event log and
    the schedules."""
    from headwater_postgres.storage import (
        PostgresEventLogStorage,
        PostgresRunStorage,
        PostgresScheduleStorage,
    )

    return {"run_storage": {"postgres": PostgresRunStorage},
            "event_log_storage": {"postgres": PostgresEventLogStorage},
            "schedule_storage": {"postgres": PostgresScheduleStorage}}
