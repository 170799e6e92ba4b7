"""What runs on the Dask workers.

A worker process keeps one headwater Worker per run (pipeline loaded, plan built,
resources built on first need), shared by the threads that run that run's steps, and
forgets it when the driver says the run is over.
"""

from __future__ import annotations

import threading
from typing import Any

from headwater.execution.executors.worker import Worker

_workers: dict[str, Worker] = {}
_lock = threading.Lock()


def _worker_for(payload: dict[str, Any], queue_name: str) -> Worker:
    run_id = payload["run"].run_id
    with _lock:
        worker = _workers.get(run_id)
        if worker is None:
            from distributed import Queue

            events = Queue(queue_name)
            worker = Worker(events.put, payload)
            _workers[run_id] = worker
        return worker


def run_step(payload: dict[str, Any], step_key: str, retry_number: int,
             overrides: dict[str, Any], queue_name: str) -> str:
    """Run one step of a run on this worker; its events go to the run's queue."""
    worker = _worker_for(payload, queue_name)
    worker.run_step(worker.step_for(step_key, overrides), retry_number)
    return step_key


def forget_run(run_id: str) -> None:
    """Tear down what this worker process built for a run (called on every worker)."""
    with _lock:
        worker = _workers.pop(run_id, None)
    if worker is not None:
        worker.close()
