"""Core's executor definitions: ``in_process`` and ``multiprocess``.

Core's plugin (``headwater.plugin``) registers them like any plugin registers its own. Each
implementation is imported when a run uses it: the multiprocess executor brings
``multiprocessing``, which most runs never need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.config import Enum, EnumValue, Field
from headwater.definitions.executor import (
    ExecutorDefinition,
    InitExecutorContext,
    multiple_process_executor_requirements,
    retries_config,
)

if TYPE_CHECKING:
    from headwater.execution.executors.in_process import InProcessExecutor
    from headwater.execution.executors.multiprocess import MultiprocessExecutor


def _in_process(init_context: InitExecutorContext) -> InProcessExecutor:
    from headwater.execution.executors.in_process import create_in_process_executor

    return create_in_process_executor(init_context)


def _multiprocess(init_context: InitExecutorContext) -> MultiprocessExecutor:
    from headwater.execution.executors.multiprocess import create_multiprocess_executor

    return create_multiprocess_executor(init_context)


in_process_executor = ExecutorDefinition(
    "in_process",
    config_schema={"retries": retries_config()},
    executor_creation_fn=_in_process,
    description="Runs every step one after another in the process that launched the run.",
)

multiprocess_executor = ExecutorDefinition(
    "multiprocess",
    config_schema={
        "max_concurrent": Field(int, default_value=0,
                                description="Steps at once; 0 means the number of CPUs."),
        "start_method": Field(
            Enum("StartMethod", [EnumValue("spawn"), EnumValue("forkserver"),
                                 EnumValue("fork")]),
            default_value="forkserver",
            description="How worker processes start. forkserver (the default; spawn where "
                        "the platform has none) forks each worker from a server process "
                        "that has loaded Headwater once; spawn starts each worker from "
                        "scratch; fork copies the run's process, threads and locks included "
                        "(unsafe when it runs threads)."),
        "retries": retries_config(),
    },
    executor_creation_fn=_multiprocess,
    description="Runs steps in a pool of worker processes started once per run; needs a "
                "reconstructable pipeline, a persistent instance and a persistent IO manager.",
    requirements=multiple_process_executor_requirements(),
)

default_executors: list[ExecutorDefinition] = [in_process_executor, multiprocess_executor]
