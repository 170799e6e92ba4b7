"""headwater-notebook's hook implementations: the ``notebook`` solid factory and the
``headwater notebook`` commands."""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_solid_factories() -> dict[str, Any]:
    from headwater_notebook.solids import define_notebook_solid

    return {"notebook": define_notebook_solid}


@hookimpl
def headwater_cli_commands() -> list[Any]:
    from headwater_notebook.cli import notebook_cli

    return [notebook_cli]
