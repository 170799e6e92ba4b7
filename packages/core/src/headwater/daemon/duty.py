"""A duty of the daemon: one job done again and again (dequeue runs, watch runs, tick
schedules, evaluate sensors).

A duty is a small object with a ``name``, an ``interval_seconds`` and a
``run_iteration(instance, now)``. The controller calls ``run_iteration`` every interval, in
a thread of the duty's own, and records a heartbeat for the duty after each iteration (with
the error, if the iteration raised). Write a new duty by subclassing :class:`DaemonDuty`
and adding it to :func:`headwater.daemon.duties.required_duties`::

    class TickSchedules(DaemonDuty):
        name = "scheduler"
        interval_seconds = 30.0

        def run_iteration(self, instance, now):
            for schedule in due_schedules(instance, now):
                ...
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.instance import Instance


class DaemonDuty(abc.ABC):
    """One job of the daemon, done every ``interval_seconds``.

    Attributes:
        name: The duty's name: its heartbeat's key, shown by ``headwater daemon status``.
        interval_seconds: How long the daemon waits between the end of one iteration and the
            start of the next.
    """

    name: str
    interval_seconds: float

    @abc.abstractmethod
    def run_iteration(self, instance: Instance, now: float) -> None:
        """Do the job once.

        Args:
            instance: The daemon's instance.
            now: The time of this iteration (seconds since the epoch); use it rather than
                reading the clock, so that tests can give the time.

        An exception ends this iteration only: it is recorded on the duty's heartbeat, and
        the next iteration runs as usual.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} every {self.interval_seconds:g}s>"
