"""The hooks a Headwater plugin may implement.

This module is the plugin author's reference. A plugin is a module (or object) with
functions named after these hooks and marked with ``headwater.plugins.hookimpl``; it is
found through the ``headwater`` entry-point group of its distribution::

    # pyproject.toml of headwater-acme
    [project.entry-points.headwater]
    acme = "headwater_acme.plugin"

    # headwater_acme/plugin.py
    from headwater.integration import hookimpl

    @hookimpl
    def headwater_resources():
        return {"acme_client": acme_client_resource}

Two families of hooks:

* **Registries** contribute named definitions. They are called once, when plugins are
  loaded (through pluggy, one plugin at a time, so that each contribution is known by its
  plugin and a plugin that raises is reported without hiding the others); what they
  return is merged by name (two plugins giving the same name is an error that names both).
* **Wrappers** surround a run, or a step, the way a context manager would (timing,
  tracing): implemented only as ``@hookimpl(wrapper=True)`` generators that ``yield``
  once; the run or the step executes at the ``yield``. Enabled like lifecycle hooks, and
  isolated like them (below).
* **Lifecycle** hooks are called as runs and steps progress, through pluggy
  (``pm.hook.headwater_step_failed(run=..., step_key=..., error=...)``): implementations
  run in pluggy's order (``tryfirst`` / ``trylast``). They run in the process that records the run; a
  lifecycle hook that raises is recorded as an engine event naming the plugin and never
  fails the run, and the other plugins' hooks still run. Lifecycle hooks of a plugin run
  only when the plugin is enabled in the instance's ``headwater.yaml``
  (``plugins: {acme: {config: {...}}}``) or registered directly in the plugin manager.

An implementation may accept any subset of a hook's arguments, by name; pluggy matches
them. Core's own executors, IO managers, loggers and instance parts are registered by the
plugin ``headwater`` (``headwater.plugin``), through these same hooks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.plugins.markers import hookspec

REGISTRY = "registry"
LIFECYCLE = "lifecycle"
WRAPPER = "wrapper"


def _registry(spec: Any) -> Any:
    """Marks a registry hook (called once per plugin, its answer merged by name)."""
    spec.headwater_family = REGISTRY
    return spec


def _lifecycle(spec: Any) -> Any:
    """Marks a lifecycle hook (called as runs and steps progress)."""
    spec.headwater_family = LIFECYCLE
    return spec


def _wrapper(spec: Any) -> Any:
    """Marks a wrapper hook (implemented only with ``@hookimpl(wrapper=True)``; surrounds a
    run or a step)."""
    spec.headwater_family = WRAPPER
    return spec


if TYPE_CHECKING:
    import click

    from headwater.definitions.events import AssetMaterialization
    from headwater.definitions.executor import ExecutorDefinition
    from headwater.definitions.io_manager import IOManagerDefinition
    from headwater.definitions.logger import LoggerDefinition
    from headwater.definitions.resource import ResourceDefinition
    from headwater.execution.events import EventLogEntry, SerializableErrorInfo
    from headwater.execution.run import PipelineRun
    from headwater.types import HeadwaterType


# -- registries ------------------------------------------------------------------------------


@hookspec
@_registry
def headwater_resources() -> Mapping[str, ResourceDefinition]:
    """Resources this plugin provides, by name: ``{"snowflake": snowflake_resource}``.

    A mode binds one by name (``ModeDefinition(resource_defs={"warehouse": "snowflake"})``);
    its config schema then validates ``resources.warehouse.config``.

    Returns:
        ``{name: ResourceDefinition}``.
    """


@hookspec
@_registry
def headwater_io_managers() -> Mapping[str, IOManagerDefinition]:
    """IO managers this plugin provides, by name (``{"s3_pickle": s3_pickle_io_manager}``);
    bound by name like resources (``resource_defs={"io_manager": "s3_pickle"}``).

    Returns:
        ``{name: IOManagerDefinition}``.
    """


@hookspec
@_registry
def headwater_executors() -> Sequence[ExecutorDefinition]:
    """Executors this plugin provides.

    A mode that does not list its executors accepts every executor installed plugins
    provide, so installing the plugin makes ``execution: {<name>: {config: ...}}`` available
    to existing pipelines.

    Returns:
        A list of ExecutorDefinitions (each named).
    """


@hookspec
@_registry
def headwater_loggers() -> Mapping[str, LoggerDefinition]:
    """Loggers this plugin provides, by name.

    Returns:
        ``{name: LoggerDefinition}``.
    """


@hookspec
@_registry
def headwater_types() -> Sequence[HeadwaterType | tuple[type, HeadwaterType]]:
    """Runtime types this plugin provides (e.g. a DataFrame type with a loader).

    Returns:
        A list of HeadwaterTypes, or ``(python_class, HeadwaterType)`` pairs to make a class
        usable in type hints.
    """


@hookspec
@_registry
def headwater_solid_factories() -> Mapping[str, Any]:
    """Functions that build solids ("run this SQL", "run this notebook"), by name.

    Returns:
        ``{name: callable returning a SolidDefinition}``.
    """


@hookspec
@_registry
def headwater_cli_commands() -> Sequence[click.Command]:
    """Command groups this plugin adds to the ``headwater`` command line.

    Returns:
        A list of ``click.Command`` (usually groups named after the plugin:
        ``headwater acme ...``).
    """


@hookspec
@_registry
def headwater_instance_components() -> Mapping[str, Mapping[str, type]]:
    """Instance components selectable by name in ``headwater.yaml``.

    Returns:
        ``{kind: {name: class}}`` where kind is one of ``run_storage``,
        ``event_log_storage``, ``schedule_storage``, ``compute_logs``, ``run_launcher``,
        ``run_coordinator``.
    """


@hookspec(firstresult=True)
def headwater_plugin_config_schema() -> Any:
    """The config schema of this plugin's entry under ``plugins:`` in headwater.yaml.

    Called for one plugin at a time; the first answer that is not None is its schema.

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
@_lifecycle
def headwater_run_started(run: PipelineRun) -> None:
    """A run started executing.

    Args:
        run: The PipelineRun.
    """


@hookspec
@_lifecycle
def headwater_run_succeeded(run: PipelineRun) -> None:
    """A run finished successfully.

    Args:
        run: The PipelineRun.
    """


@hookspec
@_lifecycle
def headwater_run_failed(run: PipelineRun, error: SerializableErrorInfo | None) -> None:
    """A run failed.

    Args:
        run: The PipelineRun.
        error: The SerializableErrorInfo of the run-level error, or None when steps failed.
    """


@hookspec
@_lifecycle
def headwater_run_canceled(run: PipelineRun) -> None:
    """A run was canceled.

    Args:
        run: The PipelineRun.
    """


@hookspec
@_lifecycle
def headwater_step_started(run: PipelineRun, step_key: str) -> None:
    """A step started (or restarted, for a retry).

    Args:
        run: The PipelineRun.
        step_key: The step's key.
    """


@hookspec
@_lifecycle
def headwater_step_succeeded(run: PipelineRun, step_key: str, duration_ms: float) -> None:
    """A step succeeded.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        duration_ms: How long the step's attempt took.
    """


@hookspec
@_lifecycle
def headwater_step_failed(run: PipelineRun, step_key: str, error: SerializableErrorInfo) -> None:
    """A step failed for good (after any retries).

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        error: The SerializableErrorInfo of the failure.
    """


@hookspec
@_lifecycle
def headwater_step_retried(run: PipelineRun, step_key: str, retry_number: int,
                           error: SerializableErrorInfo) -> None:
    """A step failed and will be retried.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        retry_number: The number of the coming attempt's retry (1 for the first retry).
        error: The SerializableErrorInfo of the failed attempt.
    """


@hookspec
@_lifecycle
def headwater_asset_materialized(run: PipelineRun, step_key: str,
                                 materialization: AssetMaterialization) -> None:
    """A step materialized an asset.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
        materialization: The AssetMaterialization.
    """


@hookspec
@_lifecycle
def headwater_event_logged(run: PipelineRun, entry: EventLogEntry) -> None:
    """Any event or log line was recorded for a run (called for every entry).

    Args:
        run: The PipelineRun.
        entry: The EventLogEntry.
    """


# -- wrappers --------------------------------------------------------------------------------


@hookspec
@_wrapper
def headwater_run_wrapper(run: PipelineRun) -> None:
    """Surrounds a run's execution: a generator marked ``@hookimpl(wrapper=True)`` that
    yields once; the run executes at the ``yield``::

        @hookimpl(wrapper=True)
        def headwater_run_wrapper(run):
            with tracer.start_span(run.pipeline_name):
                return (yield)

    The ``yield`` raises what the run raised (an interrupted or canceled run); a run whose
    steps failed returns normally. A wrapper observes: what it returns, and whether it
    raises, does not change the run's outcome. Wrappers nest in pluggy's order (``tryfirst``
    outermost). One that raises is recorded as an engine event naming its plugin, and the
    run goes on (without it, when it raised before yielding). Called in the process that
    runs the run, for the plugins enabled for the run (as lifecycle hooks are); with a run
    wrapper, an iterating caller receives the run's events when the run ends (they are
    recorded, and logged, as they happen).

    Args:
        run: The PipelineRun.
    """


@hookspec
@_wrapper
def headwater_step_wrapper(run: PipelineRun, step_key: str) -> None:
    """Surrounds one attempt of one step, like ``headwater_run_wrapper`` surrounds a run.

    The step executes at the ``yield``, and the ``yield`` raises only what escaped the
    step's execution (a step whose solid raised has failed and returns normally: see its
    ``STEP_FAILURE``). Called in the process that executes the step — the in-process
    executor's steps; steps that executors run in other processes (multiprocess, Dask) are
    not wrapped. What the wrapper prints is kept with the step's captured output.

    Args:
        run: The PipelineRun.
        step_key: The step's key.
    """


def hooks_of(family: str) -> tuple[str, ...]:
    """The names of the hooks of one family (``REGISTRY``, ``LIFECYCLE`` or ``WRAPPER``), in the order
    of this module."""
    return tuple(name for name, value in globals().items()
                 if name.startswith("headwater_") and
                 getattr(value, "headwater_family", None) == family)
