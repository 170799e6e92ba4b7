"""headwater-ui's hook implementations: the ``headwater ui`` command.

Headwater imports this module when plugins are first needed; the command imports the web
server only when it runs, so that registering it costs nothing.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_cli_commands() -> list[Any]:
    """``headwater ui``: serve the web UI."""
    from headwater_ui.cli import ui_command

    return [ui_command]
