"""headwater-airflow's hook implementations: the ``headwater airflow`` commands.

Headwater imports this module when plugins are first needed; it imports neither Airflow
nor the rest of this package until a command runs.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_cli_commands() -> list[Any]:
    """``headwater airflow scaffold ...``."""
    from headwater_airflow.cli import airflow_cli

    return [airflow_cli]
