"""Executor definitions: how the steps of a run are carried out (one process, a pool, a
cluster).

The definition names the executor and its config; the implementation lives with the
execution layer (core's ``in_process`` and ``multiprocess`` executors, in
``headwater.execution.executors``) or in a plugin, and is built when a run uses it.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from headwater.config import Field, Selector
from headwater.definitions.configurable import ConfigurableDefinition, config_field_for
from headwater.definitions.utils import check_valid_name


class ExecutorRequirement(enum.Enum):
    """What an executor needs from a run before it can be used."""

    RECONSTRUCTABLE_PIPELINE = "RECONSTRUCTABLE_PIPELINE"
    NON_EPHEMERAL_INSTANCE = "NON_EPHEMERAL_INSTANCE"
    PERSISTENT_OUTPUTS = "PERSISTENT_OUTPUTS"


def multiple_process_executor_requirements() -> list[ExecutorRequirement]:
    """What every executor that runs steps in other processes needs."""
    return list(ExecutorRequirement)


class RetryMode(enum.Enum):
    """Whether an executor honours retries."""

    ENABLED = "enabled"
    DISABLED = "disabled"

    @staticmethod
    def from_config(config: dict[str, Any] | None) -> RetryMode:
        return RetryMode.DISABLED if config and "disabled" in config else RetryMode.ENABLED


class Executor(ABC):
    """Carries out an execution plan, yielding the events of the run as they happen."""

    @abstractmethod
    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[Any]:
        """Execute the steps of ``execution_plan`` and yield their events."""

    @property
    @abstractmethod
    def retries(self) -> RetryMode:
        """Whether this executor retries steps."""


class InitExecutorContext:
    """What an executor creation function receives."""

    __slots__ = ("executor_config", "executor_def", "instance", "pipeline")

    def __init__(self, pipeline: Any, executor_def: ExecutorDefinition,
                 executor_config: Any, instance: Any) -> None:
        self.pipeline = pipeline
        self.executor_def = executor_def
        self.executor_config = executor_config
        self.instance = instance


class ExecutorDefinition(ConfigurableDefinition):
    """A named executor and its config.

    Args:
        name: The key under ``execution:`` in run config.
        config_schema: Schema of ``execution.<name>.config``.
        executor_creation_fn: ``fn(init_context) -> Executor``.
        description: A human-readable description.
        requirements: ExecutorRequirements checked before a run starts.
    """

    def __init__(self, name: str, config_schema: Any = None,
                 executor_creation_fn: Callable[[InitExecutorContext], Executor] | None = None,
                 description: str | None = None,
                 requirements: Iterable[ExecutorRequirement] | None = None) -> None:
        self.name = check_valid_name(name, "executor name")
        self.config_schema = config_schema
        self.config_field = config_field_for(config_schema, f'executor "{name}"')
        self._creation_fn = executor_creation_fn
        self.description = description
        self.requirements = frozenset(requirements or ())

    @property
    def executor_creation_fn(self) -> Callable[[InitExecutorContext], Executor]:
        fn = self._creation_fn
        assert fn is not None, f"executor {self.name} has no creation function"
        return fn

    def _copy_for_configured(self, config_schema: Any, description: str | None,
                             name: str | None) -> ExecutorDefinition:
        return ExecutorDefinition(name or self.name, config_schema, self._creation_fn,
                                  description, self.requirements)

    def configured(self, config_or_config_fn: Any, name: str | None = None,
                   config_schema: Any = None, description: str | None = None
                   ) -> ExecutorDefinition:
        """An executor with its config fixed, or mapped from a new outer schema."""
        return self._configured(config_or_config_fn, config_schema, description, name)


def executor(name: str | None = None, config_schema: Any = None,
             requirements: Iterable[ExecutorRequirement] | None = None) -> Any:
    """Define an executor from ``fn(init_context) -> Executor``."""

    def decorator(fn: Callable[[InitExecutorContext], Executor]) -> ExecutorDefinition:
        return ExecutorDefinition(name or fn.__name__, config_schema, fn, fn.__doc__,
                                  requirements)

    return decorator


def retries_config() -> Field:
    """The ``retries`` field every built-in executor accepts."""
    return Field(Selector({"enabled": {}, "disabled": {}}), is_required=False,
                 default_value={"enabled": {}},
                 description="Whether failed steps are retried per their retry policies.")
