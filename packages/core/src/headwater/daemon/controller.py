"""Running daemon duties: one thread per duty, a heartbeat per duty in the instance.

``DaemonController(instance, duties).run_once()`` does one iteration of every duty, in the
calling thread, with the time given (what tests use); ``start()`` / ``stop()`` run each duty
in a thread of its own until stopped (what ``headwater daemon run`` does).

Only one daemon works for an instance at a time. A started controller holds the instance's
daemon lease (renewed every third of ``daemon.lease_seconds``) while its duties run; a
second daemon started on the same instance waits as a standby, trying for the lease, and
takes over once the first releases it (when it stops) or leaves it unrenewed for
``daemon.lease_seconds`` (when it died).
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
from headwater.instance.records import DaemonHeartbeat, DaemonLease

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
        self._leading = threading.Event()
        self._threads: list[threading.Thread] = []
        self.lease: DaemonLease | None = None

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

    def try_lease(self) -> bool:
        """Take or renew the instance's daemon lease; whether this daemon now holds it."""
        try:
            self.lease = self.instance.acquire_daemon_lease(self.daemon_id)
        except Exception:
            # The storage may be down for a moment: keep going as before until the lease
            # would have run out, then stop working (another daemon may have it by then).
            _log.exception("Could not renew the daemon lease.")
            lease_seconds = self.instance.daemon_settings.lease_seconds
            return (self.is_leader and self.lease is not None
                    and time.time() - self.lease.renewed < lease_seconds)
        leading = self.lease.daemon_id == self.daemon_id
        if leading and not self._leading.is_set():
            _log.info("Daemon %s holds the lease of the instance: its duties run.",
                      self.daemon_id)
        elif not leading and (self._leading.is_set() or not self._threads):
            _log.info("Daemon %s (pid %s on %s) holds the lease of the instance: this daemon "
                      "waits as a standby.", self.lease.daemon_id, self.lease.pid,
                      self.lease.hostname)
        (self._leading.set if leading else self._leading.clear)()
        return leading

    @property
    def is_leader(self) -> bool:
        """Whether this daemon held the lease at its last renewal."""
        return self._leading.is_set()

    def start(self) -> None:
        """Run every duty in a thread of its own while this daemon holds the instance's
        lease, until :meth:`stop`."""
        self._stop.clear()
        self._threads = [threading.Thread(target=self._lease_loop, daemon=True,
                                          name="headwater-daemon-lease")]
        self._threads += [threading.Thread(target=self._loop, args=(duty,), daemon=True,
                                           name=f"headwater-daemon-{duty.name}")
                          for duty in self.duties]
        self.try_lease()
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask every duty's thread to stop after its current iteration, wait for them, and
        give the lease up so that a standby takes over at once."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []
        if self._leading.is_set():
            self._leading.clear()
            try:
                self.instance.release_daemon_lease(self.daemon_id)
            except Exception:
                _log.exception("Could not release the daemon lease; it runs out by itself.")

    @property
    def is_running(self) -> bool:
        """Whether duty threads are running."""
        return any(thread.is_alive() for thread in self._threads)

    def _lease_loop(self) -> None:
        renew_every = self.instance.daemon_settings.lease_seconds / 3
        while not self._stop.wait(renew_every if self.is_leader else renew_every / 2):
            self.try_lease()

    def _loop(self, duty: DaemonDuty) -> None:
        while not self._stop.is_set():
            if self._leading.is_set():
                self.run_duty_once(duty)
                self._stop.wait(duty.interval_seconds)
            else:
                self._stop.wait(min(duty.interval_seconds, 0.5))

    def __enter__(self) -> DaemonController:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
