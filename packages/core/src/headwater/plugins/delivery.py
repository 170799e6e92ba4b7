"""Sending off a run's critical path: one background thread per process, in order.

Lifecycle hooks run between a run's events, so nothing they do may wait on the network. A
plugin that sends what it saw to a service hands a job (a function) to its
:class:`BackgroundDelivery`; a daemon thread runs the jobs one after the other. Before the
process exits, the jobs still queued get a bounded time to finish (``exit_timeout``), so a
short-lived ``headwater pipeline execute`` still delivers, and an unreachable endpoint
delays the exit by that bound at most.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from collections.abc import Callable


class BackgroundDelivery:
    """Runs jobs in a daemon thread, in the order they were submitted.

    Args:
        name: The thread's name, e.g. ``"headwater-acme"``.
        destination: What the jobs send to, for the message logged when one fails
            (``"Sending to <destination> failed."``).
        logger: Where a failed job is logged (the plugin's logger).

    Example::

        DELIVERY = BackgroundDelivery("headwater-acme", "Acme",
                                      logging.getLogger("headwater_acme"))
        DELIVERY.submit(lambda: client.send(event))
    """

    def __init__(self, name: str, destination: str, logger: logging.Logger) -> None:
        self._name = name
        self._destination = destination
        self._logger = logger
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self.exit_timeout = 5.0
        atexit.register(lambda: self.wait(self.exit_timeout))

    def submit(self, job: Callable[[], None]) -> None:
        """Queue ``job``; it runs soon in the background thread. Errors it raises are logged."""
        with self._idle:
            self._pending += 1
            # A forked child (a worker process) inherits the object but not the thread.
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
                self._pid = os.getpid()
                self._thread.start()
        self._jobs.put(job)

    def wait(self, timeout: float) -> bool:
        """Wait until every submitted job has run, at most ``timeout`` seconds.

        Returns:
            True when nothing is left to send.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:
                self._logger.exception("Sending to %s failed.", self._destination)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
