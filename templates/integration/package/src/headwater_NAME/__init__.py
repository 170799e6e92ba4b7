"""Headwater integration for NAME.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``); importing it gives the definitions themselves, for code that prefers
objects to names::

    from headwater_NAME import NAME_client_resource
"""

from headwater_NAME.resources import Client, NAME_client_resource

__version__ = "0.1.0"

__all__ = ["Client", "NAME_client_resource"]
