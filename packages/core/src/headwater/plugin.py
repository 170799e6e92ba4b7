"""Core's own plugin: the executors, IO managers, loggers and instance parts every
Headwater has, registered through the same hooks and the same entry-point group
(``[project.entry-points.headwater] headwater = "headwater.plugin"``) as any integration.

The instance parts are imported when the registry is first built, which a run does on its
first use of a plugin-provided name; ``import headwater`` imports none of this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from headwater.definitions.executor import ExecutorDefinition
from headwater.definitions.io_manager import (
    IOManagerDefinition,
    custom_path_fs_io_manager,
    fs_io_manager,
    mem_io_manager,
)
from headwater.definitions.logger import (
    LoggerDefinition,
    colored_console_logger,
    json_console_logger,
)
from headwater.execution.executors.builtin import default_executors
from headwater.plugins.markers import hookimpl


@hookimpl
def headwater_executors() -> Sequence[ExecutorDefinition]:
    """``in_process`` and ``multiprocess``."""
    return list(default_executors)


@hookimpl
def headwater_io_managers() -> Mapping[str, IOManagerDefinition]:
    """``fs_io_manager``, ``mem_io_manager`` and ``custom_path_fs_io_manager``."""
    return {"fs_io_manager": fs_io_manager, "mem_io_manager": mem_io_manager,
            "custom_path_fs_io_manager": custom_path_fs_io_manager}


@hookimpl
def headwater_loggers() -> Mapping[str, LoggerDefinition]:
    """``console`` and ``json``."""
    return {"console": colored_console_logger, "json": json_console_logger}


@hookimpl
def headwater_instance_components() -> Mapping[str, Mapping[str, type]]:
    """The instance parts selectable by name in ``headwater.yaml``."""
    from headwater.instance.artifacts import LocalArtifactStorage
    from headwater.instance.compute_logs import LocalComputeLogManager, NoOpComputeLogManager
    from headwater.instance.run_coordinator import DefaultRunCoordinator, QueuedRunCoordinator
    from headwater.instance.run_launcher import DefaultRunLauncher
    from headwater.instance.storage.sqlite import (
        InMemoryEventLogStorage,
        InMemoryRunStorage,
        InMemoryScheduleStorage,
        SqliteEventLogStorage,
        SqliteRunStorage,
        SqliteScheduleStorage,
    )

    return {
        "run_storage": {"sqlite": SqliteRunStorage, "in_memory": InMemoryRunStorage},
        "event_log_storage": {"sqlite": SqliteEventLogStorage,
                              "in_memory": InMemoryEventLogStorage},
        "schedule_storage": {"sqlite": SqliteScheduleStorage,
                             "in_memory": InMemoryScheduleStorage},
        "compute_logs": {"local": LocalComputeLogManager, "noop": NoOpComputeLogManager},
        "local_artifact_storage": {"local": LocalArtifactStorage},
        "run_coordinator": {"default": DefaultRunCoordinator, "queued": QueuedRunCoordinator},
        "run_launcher": {"default": DefaultRunLauncher},
    }
