"""The published interface for integration authors.

An integration package (``headwater-<name>``) imports ``headwater`` for everything a user
writes (solids, resources, IO managers, config types, errors) and this module for what only
an integration needs: the plugin marker (``hookimpl``) and the background sender of
lifecycle plugins (``BackgroundDelivery``), the executor base and the remote-step protocol
that out-of-process executors share (``RemoteExecutor``, ``RemoteSteps``, ``Worker``), the
run recorder (``RunRecorder``, ``SharedRunRecorder``) and step execution
(``StepExecution``), what a compute-log manager or an instance storage implements
(``ComputeLogManager``, ``UploadingComputeLogManager``, ``RunStorage``,
``EventLogStorage``, ``ScheduleStorage`` and their SQL bases), the serializer that
crosses processes, and ``lazy_names``, with which a package's ``__init__`` loads its names on
first use. The plugin author's guide (docs/plugins/authoring.md) shows each in
use. Nothing else of Headwater's internals (``headwater.execution``, ``headwater.instance``,
``headwater.cli``, ...) is promised to stay where it is; what is named here is, and the
layering test holds every integration in this repository to it.

Names load on first use, so importing this module costs nothing until a name is used::

    from headwater.integration import ComputeLogManager, hookimpl
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.lazy import lazy_names

# name -> module that defines it ("module:attribute" when the name differs there). Grouped
# by what an integration builds.
_EXPORTS: dict[str, str] = {
    # Plugins: the hook implementation marker.
    "hookimpl": "headwater.plugins.markers",
    # Lifecycle plugins: send what the hooks saw in a background thread, in order.
    "BackgroundDelivery": "headwater.plugins.delivery",
    # Errors an integration raises or translates, and where the settings they name are.
    "ConfigPlace": "headwater.config.place",
    "HeadwaterCliError": "headwater.errors",
    "HeadwaterInstanceError": "headwater.errors",
    "HeadwaterInstanceConfigError": "headwater.errors",
    # Executors: definitions and the engine protocol of an executor that runs steps
    # elsewhere (multiprocess, Dask, Spark).
    "RetryMode": "headwater.definitions.executor",
    "retries_config": "headwater.definitions.executor",
    "DEFAULT_IO_MANAGER_KEY": "headwater.definitions.utils",
    "RemoteExecutor": "headwater.execution.executors.remote",
    "RemoteSteps": "headwater.execution.executors.remote",
    "FanInOverrides": "headwater.execution.executors.remote",
    "fan_in_overrides": "headwater.execution.executors.remote",
    "worker_payload": "headwater.execution.executors.remote",
    "ActiveExecution": "headwater.execution.active",
    "RetryState": "headwater.execution.active",
    "RunContext": "headwater.execution.context",
    "report_decisions": "headwater.execution.executors.in_process",
    "fail_lost_step": "headwater.execution.executors.remote",
    "record_remote_entry": "headwater.execution.executors.remote",
    "Worker": "headwater.execution.executors.worker",
    "StepExecution": "headwater.execution.step",
    "ExecutionStep": "headwater.execution.plan",
    "FromMultipleSources": "headwater.execution.plan",
    "FromStepOutput": "headwater.execution.plan",
    "SerializableErrorInfo": "headwater.execution.events",
    # Running solids outside a pipeline run (notebooks, development contexts).
    "LogManager": "headwater.execution.log_manager",
    "RunRecorder": "headwater.execution.recorder",
    "InMemoryRunRecorder": "headwater.execution.recorder",
    "SharedRunRecorder": "headwater.execution.recorder",
    "ResourceScope": "headwater.execution.resources",
    "prepare_run": "headwater.execution.api",
    "build_loggers": "headwater.execution.api",
    # Executing some steps of a recorded run in this process (schedulers whose tasks are
    # steps: Airflow).
    "execute_run_steps": "headwater.execution.run_steps",
    # A process that executes part of a run records itself on it and beats (the run
    # monitor fails the run if the process dies).
    "RunHeartbeat": "headwater.instance.run_process",
    "RunProcess": "headwater.execution.process",
    # Instance components selectable in headwater.yaml.
    "ComponentContext": "headwater.instance.components",
    "CapturedLogs": "headwater.instance.compute_logs",
    "ComputeLogManager": "headwater.instance.compute_logs",
    "LocalComputeLogManager": "headwater.instance.compute_logs",
    "UploadingComputeLogManager": "headwater.instance.compute_logs",
    "RunStorage": "headwater.instance.storage.base",
    "EventLogStorage": "headwater.instance.storage.base",
    "ScheduleStorage": "headwater.instance.storage.base",
    "SqlDatabase": "headwater.instance.storage.database",
    "SqlRunStorage": "headwater.instance.storage.runs",
    "SqlEventLogStorage": "headwater.instance.storage.event_log",
    "SqlScheduleStorage": "headwater.instance.storage.schedules",
    # Command-line groups a plugin adds: end a command with a message (exit status 2).
    "fail_command": "headwater.cli.errors:fail",
    # Front ends (the web UI): the command line's code options and error reporting, the
    # workspace, the run config schema and selection of a launch, re-execution, the
    # daemon's jobs, and the tags of partitioned runs and backfills.
    "reported_errors": "headwater.cli.errors",
    "CodeTarget": "headwater.cli.targets",
    "target_options": "headwater.cli.targets",
    "Workspace": "headwater.workspace.workspace",
    "BARE_PIPELINES_REPOSITORY": "headwater.workspace.locations",
    "describe_config": "headwater.config.describe:describe",
    "sample_config": "headwater.config.describe",
    "run_config_schema_for": "headwater.execution.api",
    "select_solids": "headwater.execution.selection",
    "split_selection": "headwater.execution.selection",
    "prepare_reexecution": "headwater.execution.reexecution",
    "JobType": "headwater.instance.jobs",
    "job_origin_id": "headwater.instance.jobs",
    "start_job": "headwater.daemon.jobs",
    "stop_job": "headwater.daemon.jobs",
    "PARTITION_TAG": "headwater.definitions.partition",
    "PARTITION_SET_TAG": "headwater.definitions.partition",
    "BACKFILL_TAG": "headwater.definitions.partition",
    # An integration package's names, loaded on first use (Headwater imports every
    # installed integration when it loads plugins).
    "lazy_names": "headwater.lazy",
    # Values that cross processes.
    "serialize": "headwater.serdes",
    "deserialize": "headwater.serdes",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_names(__name__, _EXPORTS)[0]


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from headwater.cli.errors import fail as fail_command
    from headwater.cli.errors import reported_errors
    from headwater.cli.targets import CodeTarget, target_options
    from headwater.config.describe import describe as describe_config
    from headwater.config.describe import sample_config
    from headwater.config.place import ConfigPlace
    from headwater.daemon.jobs import start_job, stop_job
    from headwater.definitions.executor import RetryMode, retries_config
    from headwater.definitions.partition import BACKFILL_TAG, PARTITION_SET_TAG, PARTITION_TAG
    from headwater.definitions.utils import DEFAULT_IO_MANAGER_KEY
    from headwater.errors import (
        HeadwaterCliError,
        HeadwaterInstanceConfigError,
        HeadwaterInstanceError,
    )
    from headwater.execution.active import ActiveExecution, RetryState
    from headwater.execution.api import build_loggers, prepare_run, run_config_schema_for
    from headwater.execution.context import RunContext
    from headwater.execution.events import SerializableErrorInfo
    from headwater.execution.executors.in_process import report_decisions
    from headwater.execution.executors.remote import (
        FanInOverrides,
        RemoteExecutor,
        RemoteSteps,
        fail_lost_step,
        fan_in_overrides,
        record_remote_entry,
        worker_payload,
    )
    from headwater.execution.executors.worker import Worker
    from headwater.execution.log_manager import LogManager
    from headwater.execution.plan import ExecutionStep, FromMultipleSources, FromStepOutput
    from headwater.execution.process import RunProcess
    from headwater.execution.recorder import (
        InMemoryRunRecorder,
        RunRecorder,
        SharedRunRecorder,
    )
    from headwater.execution.reexecution import prepare_reexecution
    from headwater.execution.resources import ResourceScope
    from headwater.execution.run_steps import execute_run_steps
    from headwater.execution.selection import select_solids, split_selection
    from headwater.execution.step import StepExecution
    from headwater.instance.components import ComponentContext
    from headwater.instance.compute_logs import (
        CapturedLogs,
        ComputeLogManager,
        LocalComputeLogManager,
        UploadingComputeLogManager,
    )
    from headwater.instance.jobs import JobType, job_origin_id
    from headwater.instance.run_process import RunHeartbeat
    from headwater.instance.storage.base import EventLogStorage, RunStorage, ScheduleStorage
    from headwater.instance.storage.database import SqlDatabase
    from headwater.instance.storage.event_log import SqlEventLogStorage
    from headwater.instance.storage.runs import SqlRunStorage
    from headwater.instance.storage.schedules import SqlScheduleStorage
    from headwater.lazy import lazy_names
    from headwater.plugins.delivery import BackgroundDelivery
    from headwater.plugins.markers import hookimpl
    from headwater.serdes import deserialize, serialize
    from headwater.workspace.locations import BARE_PIPELINES_REPOSITORY
    from headwater.workspace.workspace import Workspace
