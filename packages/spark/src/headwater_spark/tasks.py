"""What runs on the Spark executors: one step of a run, as the only task of a Spark job.

The task runs in one of Spark's Python workers. It builds a Headwater ``Worker`` (the
pipeline loaded from its code pointer, the run's plan rebuilt, the step's resources built),
runs the step, tears the resources down, and returns every event and log line the step
emitted, pickled, as the task's result; the driver records them in the run's instance.

A Python worker runs one task at a time in a process of its own, so the step's stdout and
stderr are captured for its compute log (the worker talks to Spark over a socket, not over
its standard streams).
"""

from __future__ import annotations

import os
import pickle
import socket
from collections.abc import Iterable, Iterator
from typing import Any

from headwater.integration import Worker


def run_step(payload: dict[str, Any], step_key: str, retry_number: int,
             overrides: dict[str, Any], partition: Iterable[Any]) -> Iterator[tuple]:
    """Run one attempt of a step (the function of the step's one-partition Spark job).

    Args:
        payload: What the Worker is built from (see ``headwater.integration.worker_payload``).
        step_key: The step.
        retry_number: Which attempt this is (0 for the first).
        overrides: Fan-in inputs narrowed by the driver to the outputs that exist.
        partition: The job's one partition (the step key), read to its end.

    Yields:
        One ``(runner, [pickled EventLogEntry, ...])``: where the step ran, and what it sent.
    """
    # Read the partition to its end: a Python worker that leaves input unread cannot tell
    # Spark where its task's stream ended, so it exits and the next task starts a new
    # interpreter (and loads the pipeline again) instead of reusing it.
    for _ in partition:
        pass
    entries: list[bytes] = []
    worker = Worker(lambda entry: entries.append(pickle.dumps(entry)), payload)
    try:
        worker.run_step(worker.step_for(step_key, overrides), retry_number,
                        capture_output=True)
    finally:
        worker.close()
    yield (f"{socket.gethostname()}:{os.getpid()}", entries)
