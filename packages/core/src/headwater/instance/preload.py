"""What the multiprocess executor's fork server loads once, before it forks any worker.

A worker forked from a server that has imported this module starts with Headwater's
execution code, the instance's storage code and the plugin registry already in memory: it
only opens the instance, loads the pipeline and builds its plan. Importing this module
anywhere else is harmless (it loads what a worker would load anyway). It sits with the
instance, the lowest layer that may load both execution and storage code; the multiprocess
executor names it to the fork server by its module name.
"""

from __future__ import annotations

import contextlib
import os

import headwater.execution.api
import headwater.execution.executors.worker  # noqa: F401  (the worker's own code)
from headwater.plugins import manager as _plugins

# The environment variables that decide which plugins load (see get_plugin_manager).
_PLUGIN_VARIABLES = (_plugins.DISABLE_AUTOLOAD_ENV, _plugins.DISABLE_PLUGINS_ENV)


def plugin_environment() -> tuple[str | None, ...]:
    """What the plugin variables say in this process now."""
    return tuple(os.environ.get(name) for name in _PLUGIN_VARIABLES)


# What they said when the registry below was built.
WARMED_WITH = plugin_environment()


def forget_if_stale() -> None:
    """Drop the registry built here when the run's environment (applied by the worker after
    the fork) chooses plugins differently: the worker then builds its own, as a spawned one
    would."""
    if plugin_environment() != WARMED_WITH:
        with _plugins._manager_lock:
            _plugins._manager = None


def _warm() -> None:
    # The plugin registry (entry points, every plugin's definitions) and the SQLite storage
    # the instance opens: most of a spawned worker's start-up. A plugin or storage that
    # cannot load here is loaded (and reported) again by each worker, as before.
    with contextlib.suppress(Exception):
        _ = _plugins.get_plugin_manager().registry
    with contextlib.suppress(Exception):
        import headwater.instance.storage.sqlite  # noqa: F401


_warm()
