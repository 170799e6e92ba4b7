"""The run monitor: runs in progress whose process is gone end FAILURE, with the reason.

A run started by the run launcher, or executed by ``headwater pipeline execute``, records
its process (pid and host) and writes a heartbeat every few seconds (see
:mod:`headwater.instance.run_process`). Each iteration, for every run STARTING, STARTED or
CANCELING with a recorded process, the monitor fails the run when

* its process is on this host and no longer exists (``kill -9``, a crash, out of memory;
  the pid and the process's start time are checked, so a later process given the same pid
  does not count), or
* its process is on another host and its heartbeat is older than
  ``run_monitoring.heartbeat_timeout_seconds``. Such a process may still be alive (a network
  partition, a stopped machine): it learns that it lost the run at its next step start or
  at the run's end, where the run's status is compare-and-set, and stops without recording
  more than why it stopped.

A process on this host that is alive is never failed for a late heartbeat: a solid holding
the GIL, or a process stopped with SIGSTOP, goes on when it can and ends its run itself.

The reason is recorded as an engine event, then PIPELINE_FAILURE (a run that was being
canceled ends CANCELED instead). Runs executed from Python record no process and are left
alone.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from headwater.daemon.duty import DaemonDuty
from headwater.execution.events import EngineEventData
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.records import RunRecord, RunsFilter
from headwater.instance.run_launcher import process_log_path
from headwater.instance.run_process import RunProcess

if TYPE_CHECKING:
    from headwater.instance import Instance

MONITORED_STATUSES = (PipelineRunStatus.STARTING, PipelineRunStatus.STARTED,
                      PipelineRunStatus.CANCELING)


class RunMonitorDuty(DaemonDuty):
    """Fails runs in progress whose process died or went silent.

    Args:
        interval_seconds: Between two looks (``run_monitoring.poll_interval_seconds``).
        heartbeat_timeout_seconds: How old a heartbeat may be
            (``run_monitoring.heartbeat_timeout_seconds``).
    """

    name = "run_monitor"

    def __init__(self, interval_seconds: float, heartbeat_timeout_seconds: float) -> None:
        self.interval_seconds = interval_seconds
        self.heartbeat_timeout_seconds = heartbeat_timeout_seconds

    @classmethod
    def for_instance(cls, instance: Instance) -> RunMonitorDuty:
        """The monitor as the instance's ``run_monitoring`` settings configure it."""
        settings = instance.run_monitoring
        return cls(settings.poll_interval_seconds, settings.heartbeat_timeout_seconds)

    def run_iteration(self, instance: Instance, now: float) -> None:
        for record in instance.get_run_records(RunsFilter(statuses=MONITORED_STATUSES)):
            reason = self.why_gone(record, now)
            if reason is None:
                continue
            # Read again: a process that ended normally recorded the run's end before it
            # exited, and a dead process writes nothing more.
            run = instance.get_run_by_id(record.run.run_id)
            if run is None or run.status not in MONITORED_STATUSES:
                continue
            self._end_run(instance, run, reason)

    def why_gone(self, record: RunRecord, now: float) -> str | None:
        """Why the run's process is to be taken as gone, or None if it is not."""
        process = RunProcess.of(record.run)
        if process is None:
            return None
        if process.is_local:
            # The operating system knows for sure; a heartbeat can be late from a process
            # that is alive (stopped, or its heartbeat thread starved by a solid holding
            # the GIL), and failing such a run would let it be re-executed while it goes on.
            return None if process.is_alive() else f"its process ({process.describe()}) is gone"
        last = record.heartbeat_timestamp or record.update_timestamp
        silent = now - last
        if silent > self.heartbeat_timeout_seconds:
            return (f"its process ({process.describe()}) wrote no heartbeat for {silent:.1f}s "
                    f"(the limit is {self.heartbeat_timeout_seconds:g}s)")
        return None

    def _end_run(self, instance: Instance, run: PipelineRun, reason: str) -> None:
        found = f"The run monitor found that run {run.run_id} is {run.status.value} but {reason}"
        log_path = process_log_path(instance, run.run_id)
        if os.path.exists(log_path):
            found += f"; what the process printed is in {log_path}"
        instance.report_engine_event(f"{found}.", run, EngineEventData())
        if run.status is PipelineRunStatus.CANCELING:
            instance.report_run_canceled(run, f"Run {run.run_id} was canceled: {reason}.")
        else:
            instance.report_run_failed(
                run, f"Run {run.run_id} failed: {reason}. Steps it was running did not "
                     "finish.")
