"""Headwater integration for NAME.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``); importing it gives the definitions themselves, for code that prefers
objects to names::

    from headwater_NAME import NAME_client_resource
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "Client": "headwater_NAME.resources",
    "NAME_client_resource": "headwater_NAME.resources",
}

__version__ = "0.1.0"

__all__ = ["Client", "NAME_client_resource"]

__getattr__, __dir__ = lazy_names(__name__, _LAZY)

if TYPE_CHECKING:
    from headwater_NAME.resources import Client, NAME_client_resource
