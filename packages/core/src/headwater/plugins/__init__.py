"""Plugins: how integration packages (and core itself) contribute resources, IO managers,
executors, loggers, types, solid factories, CLI commands and lifecycle hooks.

See :mod:`headwater.plugins.hookspecs` for the hooks, and the plugin author's guide in the
docs. ``hookimpl`` marks a hook implementation::

    from headwater.integration import hookimpl

    @hookimpl
    def headwater_executors():
        return [my_executor]
"""

from headwater.plugins.manager import (
    DISABLE_AUTOLOAD_ENV,
    DISABLE_PLUGINS_ENV,
    ENTRY_POINT_GROUP,
    HeadwaterPluginManager,
    PluginInfo,
    Registry,
    get_plugin_manager,
    reset_plugin_manager,
)
from headwater.plugins.markers import hookimpl, hookspec

__all__ = [
    "DISABLE_AUTOLOAD_ENV",
    "DISABLE_PLUGINS_ENV",
    "ENTRY_POINT_GROUP",
    "HeadwaterPluginManager",
    "PluginInfo",
    "Registry",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "reset_plugin_manager",
]
