"""headwater-NAME's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``),
through the ``headwater`` entry point in pyproject.toml. Keep it cheap to import: import
heavy client libraries inside the hooks or the definitions' functions.

Every hook is optional; delete the ones this integration does not need. The full list,
with what each receives and returns, is in ``headwater.plugins.hookspecs`` and in the
plugin author's guide (docs/plugins/authoring.md).
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """Resources by name: a mode binds one with ``resource_defs={"client": "NAME_client"}``.

    Names are global across installed plugins; prefix them with the integration's name.
    """
    from headwater_NAME.resources import NAME_client_resource

    return {"NAME_client": NAME_client_resource}


# More registries, when the integration has them (each its own module, see STYLE.md):
#
# @hookimpl
# def headwater_io_managers():             # io_managers.py
#     return {"NAME_io_manager": NAME_io_manager}
#
# @hookimpl
# def headwater_executors():               # executor.py; a list of ExecutorDefinitions
#     return [NAME_executor]
#
# @hookimpl
# def headwater_loggers():
#     return {"NAME_logger": NAME_logger}
#
# Lifecycle hooks (alerting, metrics) take any subset of their arguments by name and run
# only when the plugin is enabled; see the guide:
#
# @hookimpl
# def headwater_step_failed(run, step_key, error):
#     ...
