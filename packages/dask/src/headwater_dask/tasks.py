"""What runs on the Dask workers.

A worker process keeps one headwater Worker per run (pipeline loaded, plan built,
resources built on first need), shared by the threads that run that run's steps, and
forgets it when the driver says the run is over.

Every event and log line a step emits goes on the run's Dask queue as
``(attempt, runner, pickled entry)``: the attempt is the Dask key the driver submitted,
the runner the address of this worker. The driver tells by the runner when Dask ran an
attempt again on another worker after the first one was lost. Entries travel pickled, so
that the scheduler (which holds the queue) needs no Headwater to carry them, and in
batches: a put is a round trip to the scheduler, and a trivial step emits six entries.
An entry waits at most ``FLUSH_SECONDS`` for its batch. What a step emitted last (for a
trivial step: all of it) is not put on the queue but returned as the task's result, which
reaches the driver with the news that the task finished: no round trip to the scheduler
per step. Every batch put earlier is on the queue before the task returns.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import threading
import time
from typing import Any

from headwater import EventLogEntry
from headwater.integration import Worker

FLUSH_SECONDS = 0.1


class _Outbox:
    """Entries on their way to the run's queue, sent in batches: at once when nothing was
    sent for ``FLUSH_SECONDS``, else when that much time has passed, or on ``flush``."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue
        self._entries: list[tuple[str | None, str, bytes]] = []
        self._lock = threading.Lock()
        # Held while a batch is put, so that batches reach the queue in order.
        self._sending = threading.Lock()
        self._timer: threading.Timer | None = None
        self._last_sent = 0.0

    def add(self, item: tuple[str | None, str, bytes]) -> None:
        with self._lock:
            self._entries.append(item)
            wait = self._last_sent + FLUSH_SECONDS - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self.flush)
                    self._timer.daemon = True
                    self._timer.start()
                return
        self.flush()

    def flush(self) -> None:
        with self._sending:
            with self._lock:
                batch, self._entries = self._entries, []
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
                self._last_sent = time.monotonic()
            if batch:
                self.queue.put(batch)

    def take(self, attempt: str) -> list[tuple[str | None, str, bytes]]:
        """Take the entries of ``attempt`` not sent yet (the caller delivers them); the
        batches sent before are on the queue when this returns."""
        with self._sending, self._lock:
            taken = [item for item in self._entries if item[0] == attempt]
            if taken:
                self._entries = [item for item in self._entries if item[0] != attempt]
                # They are on their way: the next step's first entry waits for a batch.
                self._last_sent = time.monotonic()
            return taken


class _RunOnWorker:
    """One run's state in one worker process: the headwater Worker and the event queue."""

    def __init__(self, payload: dict[str, Any], queue_name: str) -> None:
        from distributed import Queue, get_worker

        dask_worker = get_worker()
        self.runner = dask_worker.address
        # Capturing output redirects the whole process's stdout and stderr: only a worker
        # that runs one step at a time, in a process of its own (not the run's, as with
        # LocalCluster(processes=False)), can give each step its own.
        self.capture_output = (dask_worker.state.nthreads == 1
                               and os.getpid() != payload["driver_pid"])
        self.queue = Queue(queue_name)
        self.outbox = _Outbox(self.queue)
        self.current = threading.local()
        try:
            self.worker = Worker(self.send, payload)
        except BaseException:
            self.queue.close()
            raise

    def send(self, entry: EventLogEntry) -> None:
        attempt = getattr(self.current, "attempt", None)
        self.outbox.add((attempt, self.runner, pickle.dumps(entry)))

    def run_step(self, step_key: str, retry_number: int, overrides: dict[str, Any],
                 attempt: str) -> list[tuple[str | None, str, bytes]]:
        """Run the step; return its entries not sent yet (see the module's docstring)."""
        self.current.attempt = attempt
        try:
            step = self.worker.step_for(step_key, overrides)
            self.worker.run_step(step, retry_number, capture_output=self.capture_output)
        except BaseException:
            # The task fails: what the step emitted goes on the queue, as it cannot go
            # with a result.
            self.outbox.flush()
            raise
        finally:
            self.current.attempt = None
        return self.outbox.take(attempt)

    def close(self) -> None:
        try:
            self.worker.close()
            self.outbox.flush()
        finally:
            self.queue.close()


_runs: dict[str, _RunOnWorker] = {}
_lock = threading.Lock()


def run_step(payload: dict[str, Any], step_key: str, retry_number: int,
             overrides: dict[str, Any], queue_name: str,
             attempt: str) -> bytes:
    """Run one step of a run on this worker; its events go to the run's queue, and the last
    of them come back as the result: a pickled list of ``(attempt, runner, pickled
    entry)`` (one blob, which Dask sizes and sends without looking inside).

    Args:
        payload: What the headwater Worker needs (see ``Worker``).
        step_key: The step to run.
        retry_number: Which attempt of the step this is (0 for the first).
        overrides: Fan-in inputs narrowed by the driver to the outputs that exist.
        queue_name: The run's Dask queue.
        attempt: The Dask key of this task, sent along with each event.
    """
    run_id = payload["run"].run_id
    with _lock:
        run = _runs.get(run_id)
        if run is None:
            run = _runs[run_id] = _RunOnWorker(payload, queue_name)
    return pickle.dumps(run.run_step(step_key, retry_number, overrides, attempt))


async def forget_run(run_id: str) -> None:
    """Tear down what this worker process built for a run (called on every worker).

    A coroutine, so that Dask runs it on the worker's event loop, which hands the work to a
    thread and stays free meanwhile: a task of the run may still be setting up (holding the
    lock, and needing the loop to reach the scheduler), and the teardown is user code.
    """
    await asyncio.to_thread(_forget, run_id)


def _forget(run_id: str) -> None:
    with _lock:
        run = _runs.pop(run_id, None)
    if run is not None:
        run.close()
