"""Run coordinators: what happens to a run submitted with ``instance.submit_run``.

``run_coordinator`` in ``headwater.yaml`` chooses one:

* ``default``: the run is launched at once (``instance.launch_run``).
* ``queued``: the run waits in the queue (status QUEUED) until the daemon's run queue
  launches it, respecting how many runs may be in progress at once, overall and per tag,
  and launching runs with a higher ``headwater/priority`` tag first::

      run_coordinator:
        name: queued
        config:
          max_concurrent_runs: 4
          tag_concurrency_limits:
            - {key: database, value: warehouse, limit: 1}   # runs tagged database=warehouse
            - {key: team, limit: 2}                         # runs with any "team" tag
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.config import Array, Field
from headwater.definitions.utils import PRIORITY_TAG
from headwater.execution.events import HeadwaterEventType
from headwater.execution.run import PipelineRun
from headwater.instance.components import ComponentContext

if TYPE_CHECKING:
    from headwater.instance.instance import Instance



class RunCoordinator(abc.ABC):
    """Decides when a submitted run is launched."""

    @abc.abstractmethod
    def submit_run(self, instance: Instance, run: PipelineRun) -> PipelineRun:
        """Take a run that is recorded (NOT_STARTED) towards being launched; returns it as
        it now stands."""


class DefaultRunCoordinator(RunCoordinator):
    """Launches every submitted run at once."""

    def submit_run(self, instance: Instance, run: PipelineRun) -> PipelineRun:
        return instance.launch_run(run.run_id)

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> DefaultRunCoordinator:
        return cls()


@dataclass(frozen=True)
class TagConcurrencyLimit:
    """At most ``limit`` runs in progress with the tag ``key`` (equal to ``value``, when
    given; with any value, counted together, when not).

    Attributes:
        key: The tag key.
        value: The tag value, or None for every value of the key.
        limit: How many such runs may be in progress at once.
    """

    key: str
    value: str | None
    limit: int

    def applies_to(self, tags: Mapping[str, str]) -> bool:
        """Whether a run with these tags counts towards this limit."""
        return self.key in tags and (self.value is None or tags[self.key] == self.value)


class QueuedRunCoordinator(RunCoordinator):
    """Puts submitted runs in a queue that the daemon launches from.

    Args:
        max_concurrent_runs: How many runs may be in progress at once (-1: no limit).
        tag_concurrency_limits: Limits on runs in progress with some tag.
        dequeue_interval_seconds: How often the daemon looks at the queue.
    """

    def __init__(self, max_concurrent_runs: int = 10,
                 tag_concurrency_limits: Sequence[TagConcurrencyLimit] = (),
                 dequeue_interval_seconds: float = 5.0) -> None:
        self.max_concurrent_runs = max_concurrent_runs
        self.tag_concurrency_limits = list(tag_concurrency_limits)
        self.dequeue_interval_seconds = dequeue_interval_seconds

    def submit_run(self, instance: Instance, run: PipelineRun) -> PipelineRun:
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_ENQUEUED,
                                  f"Run {run.run_id} was added to the run queue.")
        return instance.get_run_by_id(run.run_id) or run

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "max_concurrent_runs": Field(
                int, default_value=10,
                description="How many runs may be in progress at once; -1 for no limit."),
            "tag_concurrency_limits": Field(
                Array({"key": str, "value": Field(str, is_required=False), "limit": int}),
                default_value=[],
                description="Limits on runs in progress with a tag: {key, value, limit}; "
                            "without value, every run with the key counts."),
            "dequeue_interval_seconds": Field(
                float, default_value=5.0,
                description="How often the daemon looks at the queue."),
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> QueuedRunCoordinator:
        limits = [TagConcurrencyLimit(item["key"], item.get("value"), item["limit"])
                  for item in config["tag_concurrency_limits"]]
        return cls(config["max_concurrent_runs"], limits, config["dequeue_interval_seconds"])


def run_priority(run: PipelineRun) -> int:
    """The run's ``headwater/priority`` tag as a number (0 when absent or not a number)."""
    value = run.tags.get(PRIORITY_TAG)
    try:
        return int(value) if value is not None else 0
    except ValueError:
        logging.getLogger("headwater").warning(
            'Run %s has the tag %s="%s", which is not a whole number; it is queued with '
            "priority 0.", run.run_id, PRIORITY_TAG, value)
        return 0
