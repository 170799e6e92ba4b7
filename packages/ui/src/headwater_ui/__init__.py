"""Headwater's web UI: an ASGI app (Starlette) with a JSON API, served by ``headwater ui``.

``create_app(UIContext(instance, load_workspace))`` builds the app; the command line
serves it with uvicorn on 127.0.0.1:3000 by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "create_app": "headwater_ui.app",
    "UIContext": "headwater_ui.context",
}

__all__ = ["UIContext", "create_app"]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_ui.app import create_app
    from headwater_ui.context import UIContext
