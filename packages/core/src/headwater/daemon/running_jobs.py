"""The running schedules or sensors of the instance, with their definitions in the
daemon's workspace, and the duty skeleton that acts on each of them in turn."""

from __future__ import annotations

import abc
import logging
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from headwater.daemon.duty import DaemonDuty
from headwater.instance.jobs import JobState, JobType

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import LoadedRepository, Workspace

_log = logging.getLogger("headwater.daemon")


class RunningJobs:
    """Finds the running jobs of one type and their definitions; a running job the
    workspace does not have is skipped, with a warning logged once.

    Args:
        workspace: The daemon's code.
        job_type: Schedules or sensors.
    """

    def __init__(self, workspace: Workspace, job_type: JobType) -> None:
        self.workspace = workspace
        self.job_type = job_type
        self._reported_missing: set[str] = set()

    def __call__(self, instance: Instance
                 ) -> Iterator[tuple[JobState, LoadedRepository, Any]]:
        """``(state, repository, definition)`` of each running job the workspace has."""
        kind = self.job_type.value.lower()
        for state in instance.all_job_states(self.job_type):
            if not state.is_running:
                continue
            repository = self.workspace.get_repository(state.repository_name)
            definitions = {} if repository is None else {
                definition.name: definition
                for definition in (repository.definition.schedule_defs
                                   if self.job_type is JobType.SCHEDULE
                                   else repository.definition.sensor_defs)}
            if repository is not None and state.name in definitions:
                self._reported_missing.discard(state.origin_id)
                yield state, repository, definitions[state.name]
            elif state.origin_id not in self._reported_missing:
                self._reported_missing.add(state.origin_id)
                _log.warning('The %s "%s" of repository "%s" is running, but the daemon\'s '
                             "code does not have it, so it is left alone. Stop it "
                             "(headwater %s stop), or run the daemon with the code that has "
                             "it.", kind, state.name, state.repository_name, kind)


class RunningJobsDuty(DaemonDuty):
    """A duty that, each iteration, does what is due for every running job of one type
    (ticks a schedule, evaluates a sensor), then sleeps until the next job is due.

    A job that raises is logged and the others go on; the iteration then raises the first
    error, for the duty's heartbeat. Subclasses set ``name``, ``job_type`` and ``action``
    and say what acting on a job is and when it is due next.

    Args:
        workspace: Where the jobs' code is.
        poll_interval_seconds: The longest sleep between iterations.
        clock: The time (``time.time``); only the sleep between iterations reads it.

    Attributes:
        next_tick_timestamp: When the first running job is due next, as of the last
            iteration (None before it, or when none runs).
    """

    job_type: JobType
    # What acting on a job is called in the log: "tick", "evaluate".
    action: str
    # The shortest sleep between iterations.
    min_wait_seconds: float = 0.0

    def __init__(self, workspace: Workspace, poll_interval_seconds: float = 2.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.workspace = workspace
        self.poll_interval_seconds = poll_interval_seconds
        self.clock = clock
        self.next_tick_timestamp: float | None = None
        self._running = RunningJobs(workspace, self.job_type)

    @property
    def interval_seconds(self) -> float:  # type: ignore[override]
        """Until the next running job is due, between ``min_wait_seconds`` and the poll
        interval."""
        if self.next_tick_timestamp is None:
            return self.poll_interval_seconds
        wait = self.next_tick_timestamp - self.clock()
        return min(self.poll_interval_seconds, max(self.min_wait_seconds, wait))

    def run_iteration(self, instance: Instance, now: float) -> None:
        failures: list[Exception] = []
        next_due: list[float] = []
        for state, repository, definition in self._running(instance):
            try:
                state = self.act(instance, repository, definition, state, now)
            except Exception as error:
                _log.exception("Could not %s %s %s.", self.action,
                               self.job_type.value.lower(), definition.name)
                failures.append(error)
            next_due.append(self.next_due(definition, state, now))
        self.next_tick_timestamp = min(next_due, default=None)
        if failures:
            raise failures[0]

    @abc.abstractmethod
    def act(self, instance: Instance, repository: LoadedRepository, definition: Any,
            state: JobState, now: float) -> JobState:
        """Do what is due by ``now`` for one running job. Returns its state afterwards."""

    @abc.abstractmethod
    def next_due(self, definition: Any, state: JobState, now: float) -> float:
        """When the job is due next, given its state after this iteration's ``act`` (its
        state before, when ``act`` raised)."""
