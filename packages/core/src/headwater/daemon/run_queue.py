"""The run queue: the daemon launches queued runs within the queued coordinator's limits.

Each iteration takes the QUEUED runs, highest ``headwater/priority`` first and oldest
first among equals, and launches each one that fits: fewer than ``max_concurrent_runs``
runs in progress, and every tag limit that applies to the run below its limit. A run that
does not fit a tag limit waits while runs after it may go. Each launched run records
PIPELINE_DEQUEUED, then starts (PIPELINE_STARTING); a run that cannot be launched ends
FAILURE with the reason, rather than being tried again forever.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from headwater.daemon.duty import DaemonDuty
from headwater.errors import HeadwaterRunStatusConflictError
from headwater.execution.events import HeadwaterEventType
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.records import RunRecord, RunsFilter
from headwater.instance.run_coordinator import QueuedRunCoordinator, run_priority

if TYPE_CHECKING:
    from headwater.instance import Instance

IN_PROGRESS = (PipelineRunStatus.STARTING, PipelineRunStatus.STARTED,
               PipelineRunStatus.CANCELING)
_log = logging.getLogger("headwater.daemon")


class RunQueueDuty(DaemonDuty):
    """Launches queued runs as the queued run coordinator's limits allow.

    Args:
        coordinator: The instance's queued coordinator (its limits and interval).
    """

    name = "run_queue"

    def __init__(self, coordinator: QueuedRunCoordinator) -> None:
        self.coordinator = coordinator
        self.interval_seconds = coordinator.dequeue_interval_seconds

    def run_iteration(self, instance: Instance, now: float) -> None:
        queued = instance.get_run_records(RunsFilter(statuses=[PipelineRunStatus.QUEUED]))
        if not queued:
            return
        in_progress = instance.get_runs(RunsFilter(statuses=IN_PROGRESS))
        for run in self.runs_to_launch(queued, in_progress):
            self._launch(instance, run)

    def runs_to_launch(self, queued: list[RunRecord],
                       in_progress: list[PipelineRun]) -> list[PipelineRun]:
        """The queued runs to launch now, in order, given the runs in progress."""
        limit = self.coordinator.max_concurrent_runs
        tag_limits = self.coordinator.tag_concurrency_limits
        running = len(in_progress)
        tag_counts = [sum(1 for run in in_progress if tag_limit.applies_to(run.tags))
                      for tag_limit in tag_limits]
        chosen = []
        for record in sorted(queued, key=lambda r: (-run_priority(r.run), r.storage_id)):
            if 0 <= limit <= running:
                break
            applying = [i for i, tag_limit in enumerate(tag_limits)
                        if tag_limit.applies_to(record.run.tags)]
            if any(tag_counts[i] >= tag_limits[i].limit for i in applying):
                continue
            chosen.append(record.run)
            running += 1
            for i in applying:
                tag_counts[i] += 1
        return chosen

    def _launch(self, instance: Instance, run: PipelineRun) -> None:
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_DEQUEUED,
                                  f"Run {run.run_id} was taken from the run queue.")
        try:
            instance.launch_run(run.run_id)
        except HeadwaterRunStatusConflictError as taken:
            # Another daemon or launcher started it first: it is theirs to run.
            _log.info("Queued run %s was launched by another process (it is %s).",
                      run.run_id, taken.current)
        except Exception as error:
            _log.exception("Could not launch queued run %s.", run.run_id)
            current = instance.get_run_by_id(run.run_id) or run
            if not current.is_finished:
                instance.report_run_failed(
                    current, f"Run {run.run_id} was taken from the queue but could not be "
                             f"launched: {error}", error)
