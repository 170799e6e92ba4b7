"""The hooks a Headwater plugin may implement.

This module is the plugin author's reference. A plugin is a module (or object) with
functions named after these hooks and marked with ``headwater.plugins.hookimpl``; it is
found through the ``headwater`` entry-point group of its distribution::

    # pyproject.toml of headwater-acme
    [project.entry-points.headwater]
    acme = "headwater_acme.plugin"

    # headwater_acme/plugin.py
    from headwater.plugins import hookimpl

    @hookimpl
    def headwater_resources():
        return {"acme_client": acme_client_resource}

Two families of hooks:

* **Registries** contribute named definitions. They are called once, when plugins are
  loaded; what they return is merged by name (two plugins giving the same name is an error
  that names both).
* **Lifecycle** hooks are called as runs and steps progress. They run in the process that
  records the run; a lifecycle hook that raises is recorded as an engine event and never
  fails the run. Lifecycle hooks of a plugin run only when the plugin is enabled in the
  instance's ``headwater.yaml`` (``plugins: {acme: {config: {...}}}``) or registered
  directly in the plugin manager.

An implementation may accept any subset of a hook's arguments, by name.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("headwater")


# -- registries ------------------------------------------------------------------------------


@hookspec
def headwater_resources() -> dict[str, Any]:
    """Resources this plugin provides, by name: ``{"snowflake": snowflake_resource}``.

    A mode binds one by name (``ModeDefinition(resource_defs={"warehouse": "snowflake"})``);
    its config schema then validates ``resources.warehouse.config``.

    Returns:
        ``{name: ResourceDefinition}``.
    """


@hookspec
def headwater_io_managers() -> dict[str, Any]:
    """IO managers this plugin provides, by name (``{"s3_pickle": s3_pickle_io_manager}``);
    bound by name like resources (``resource_defs={"io_manager": "s3_pickle"}``).

    Returns:
        ``{name: IOManagerDefinition}``.
    """


@hookspec
def headwater_executors() -> list[Any]:
    """Executors this plugin provides.

    A mode that does not list its executors accepts every executor installed plugins
    provide, so installing the plugin makes ``execution: {<name>: {config: ...}}`` available
    to existing pipelines.

    Returns:
        A list of ExecutorDefinitions (each named).
    """


@hookspec
def headwater_loggers() -> dict[str, Any]:
    """Loggers this plugin provides, by name.

    Returns:
        ``{name: LoggerDefinition}``.
    """


@hookspec
def headwater_types() -> list[Any]:
    """Runtime types this plugin provides (e.g. a DataFrame type with a loader).

    Returns:
        A list of HeadwaterTypes, or ``(python_class, HeadwaterType)`` pairs to make a class
        usable in type hints.
    """


@hookspec
def headwater_solid_factories() -> dict[str, Any]:
    """Functions that build solids ("run this SQL", "run this notebook"), by name.

    Returns:
        ``{name: callable returning a SolidDefinition}``.
    """


@hookspec
def headwater_cli_commands() -> list[Any]:
    """Command groups this plugin adds to the ``headwater`` command line.

    Returns:
        A list of ``click.Command`` (usually groups named after the plugin:
        ``headwater acme ...``).
    """


@hookspec
def headwater_instance_components() -> dict[str, dict[str, Any]]:
    """Instance components selectable by name in ``headwater.yaml``.

    Returns:
        ``{kind: {name: class}}`` where kind is one of ``run_storage``,
        ``event_log_storage``, ``schedule_storage``, ``compute_logs``, ``run_launcher``,
        ``run_coordinator``.
    """


@hookspec
def headwater_plugin_config_schema() -> Any:
    """The config schema of this plugin's entry under ``plugins:`` in headwater.yaml.

    Returns:
        A config schema (as for ``config_schema`` anywhere), or None for none.
    """


@hookspec
def headwater_configure(config: Any) -> None:
    """Receive this plugin's validated config from headwater.yaml, before any lifecycle
    hook is called.

    Args:
        config: The processed value of ``plugins.<name>.config``.
    """


# -- lifecycle -------------------------------------------------------------------------------


@hookspec
def headwater_run_started(run: Any) -> None:
    """A run started executing.

    Args:
        run: The PipelineRun.
    """


@hookspec
def headwater_run_succeeded(run: Any) -> None:
    """A run finished successfully.

    Args:
        run: The PipelineRun.
    """


@hookspec
def headwater_run_failed(run: Any, error: Any) -> None:
    """A run failed.

    Args:
        run: The PipelineRun.
        error: The SerializableErrorInfo of the run-level error, or None when steps failed.
    """


@hookspec
def headwater_run_canceled(run: Any) -> None:
    """A run was canceled.

    Args:
        run: The PipelineRun.
    """


@hookspec
def headwater_step_started(run: Any, step_key: str) -> None:
    """A step started (or restarted, for a retry).

    Args:
        run: The PipelineRun.
        step_key: The step's key.
    """


@hookspec
def headwater_step_succeeded(run: Any, step_key: str, duration_ms: float) -> None:
    """A step succeeded.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        duration_ms: How long the step's attempt took.
    """


@hookspec
def headwater_step_failed(run: Any, step_key: str, error: Any) -> None:
    """A step failed for good (after any retries).

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        error: The SerializableErrorInfo of the failure.
    """


@hookspec
def headwater_step_retried(run: Any, step_key: str, retry_number: int, error: Any) -> None:
    """A step failed and will be retried.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        retry_number: The number of the coming attempt's retry (1 for the first retry).
        error: The SerializableErrorInfo of the failed attempt.
    """


@hookspec
def headwater_asset_materialized(run: Any, step_key: str, materialization: Any) -> None:
    """A step materialized an asset.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        materialization: The AssetMaterialization.
    """


@hookspec
def headwater_event_logged(run: Any, entry: Any) -> None:
    """Any event or log line was recorded for a run (called for every entry).

    Args:
        run: The PipelineRun.
        entry: The EventLogEntry.
    """
