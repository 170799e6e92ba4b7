"""Headwater's web UI: an ASGI app (Starlette) with a JSON API, served by ``headwater ui``.

``create_app(UIContext(instance, load_workspace))`` builds the app; the command line
serves it with uvicorn on 127.0.0.1:3000 by default.
"""

from headwater_ui.app import create_app
from headwater_ui.context import UIContext

__all__ = ["UIContext", "create_app"]
