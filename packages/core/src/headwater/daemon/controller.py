"""Running daemon duties: one thread per duty, a heartbeat per duty in the instance.

``DaemonController(instance, duties).run_once()`` does one iteration of every duty, in the
calling thread, with the time given (what tests use); ``start()`` / ``stop()`` run each duty
in a thread of its own until stopped (what ``headwater daemon run`` does).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from headwater.daemon.duty import DaemonDuty
from headwater.execution.events import SerializableErrorInfo
from headwater.instance.records import DaemonHeartbeat

if TYPE_CHECKING:
    from headwater.instance import Instance

_log = logging.getLogger("headwater.daemon")


class DaemonController:
    """Runs duties for an instance and records a heartbeat for each after every iteration.

    Args:
        instance: The instance the duties work on (persistent: see ``headwater daemon run``).
        duties: The duties.
        daemon_id: How heartbeats name this daemon (a new id when None).
        clock: The time, in seconds since the epoch (``time.time``; tests give their own).
    """

    def __init__(self, instance: Instance, duties: Sequence[DaemonDuty],
                 daemon_id: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.instance = instance
        self.duties = list(duties)
        self.daemon_id = daemon_id or str(uuid.uuid4())
        self.clock = clock
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def run_once(self, now: float | None = None) -> dict[str, SerializableErrorInfo | None]:
        """One iteration of every duty, in order, in this thread.

        Args:
            now: The time the duties are given (the clock's when None).

        Returns:
            Each duty's error (None when its iteration went well), by duty name.
        """
        return {duty.name: self.run_duty_once(duty, now) for duty in self.duties}

    def run_duty_once(self, duty: DaemonDuty,
                      now: float | None = None) -> SerializableErrorInfo | None:
        """One iteration of ``duty``, then its heartbeat; returns the iteration's error."""
        error = None
        try:
            duty.run_iteration(self.instance, self.clock() if now is None else now)
        except Exception as raised:
            error = SerializableErrorInfo.from_exception(raised)
            _log.exception("The daemon duty %s raised; it runs again in %gs.", duty.name,
                           duty.interval_seconds)
        try:
            self.instance.add_daemon_heartbeat(
                DaemonHeartbeat(duty.name, self.daemon_id, self.clock(), error))
        except Exception:
            # The storage may be down for a moment: the next iteration writes again.
            _log.exception("Could not record the heartbeat of the daemon duty %s.", duty.name)
        return error

    # -- threads ---------------------------------------------------------------------------

    def start(self) -> None:
        """Run every duty in a thread of its own, until :meth:`stop`."""
        self._stop.clear()
        self._threads = [threading.Thread(target=self._loop, args=(duty,), daemon=True,
                                          name=f"headwater-daemon-{duty.name}")
                         for duty in self.duties]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask every duty's thread to stop after its current iteration, and wait for them."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    @property
    def is_running(self) -> bool:
        """Whether duty threads are running."""
        return any(thread.is_alive() for thread in self._threads)

    def _loop(self, duty: DaemonDuty) -> None:
        while not self._stop.is_set():
            self.run_duty_once(duty)
            self._stop.wait(duty.interval_seconds)

    def __enter__(self) -> DaemonController:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
