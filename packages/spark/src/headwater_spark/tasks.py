"""What runs on the Spark executors: the steps of a run, in Spark's Python workers.

Two kinds of task run steps:

* :func:`serve_steps`, a long-running *slot*: one of the partitions of the run's slot job.
  It connects to the driver (see :mod:`headwater_spark.wire`), then runs the steps the
  driver hands it, one after another, until the driver says stop. It builds its Headwater
  ``Worker`` (the pipeline loaded from its code pointer, the run's plan rebuilt) once, on
  its first step, and sends every event and log line to the driver as the step emits it.
* :func:`run_step`, the only task of a job of its own, for a step that asks for task
  resources (Spark schedules its resource profile); it returns what the step emitted as
  the task's result.

A Python worker runs one task at a time in a process of its own, so a step's stdout and
stderr are captured for its compute log (the worker talks to Spark over a socket, not over
its standard streams).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import traceback
from collections.abc import Iterable, Iterator
from typing import Any

from headwater.integration import Worker
from headwater_spark.wire import Channel

# How long a slot tries to reach the driver before its task fails.
CONNECT_SECONDS = 30.0


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _read_to_end(partition: Iterable[Any]) -> None:
    # A Python worker that leaves its task's input unread cannot tell Spark where the
    # task's stream ended, so it exits and the next task starts a new interpreter (and
    # loads the pipeline again) instead of reusing it.
    for _ in partition:
        pass


def serve_steps(payload: dict[str, Any], address: tuple[str, int], token: str, job: int,
                partition: Iterable[Any]) -> Iterator[str]:
    """Run the steps the driver hands out until it says stop (the function of a slot).

    Args:
        payload: What the Worker is built from (``headwater.integration.worker_payload``).
        address: Where the driver listens for its slots.
        token: The run's secret, which the driver checks before it hands out a step.
        job: The number of the slot job, for the driver's bookkeeping.
        partition: The slot's partition (its index), read to its end.

    Yields:
        Where the slot ran (host:pid).
    """
    _read_to_end(partition)
    try:
        sock = socket.create_connection(address, timeout=CONNECT_SECONDS)
    except OSError as error:
        raise ConnectionError(
            f"The Spark task could not reach the run's driver at {address[0]}:{address[1]} "
            f"({error}). The executors connect to the driver at spark.driver.host: set it "
            "(execution.spark.config.spark_conf) to an address they can reach.") from error
    sock.settimeout(None)
    channel = Channel(sock)
    worker: Worker | None = None
    try:
        channel.send("hello", token, job, _runner())
        while True:
            try:
                message = channel.receive()
            except EOFError:
                return  # the driver is gone, and has failed what this slot ran
            if message[0] == "stop":
                break
            _, step_key, retry_number, overrides = message
            if worker is None:
                try:
                    worker = Worker(lambda entry: channel.send("entry", entry), payload)
                except BaseException:
                    channel.send("crashed", step_key, traceback.format_exc())
                    raise
            worker.run_step(worker.step_for(step_key, overrides), retry_number,
                            capture_output=True)
            channel.send("done", step_key)
    finally:
        if worker is not None:
            # What tearing the resources down logs still goes to the driver, if it listens.
            with contextlib.suppress(OSError):
                worker.close()
        channel.close()
    yield _runner()


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
    _read_to_end(partition)
    entries: list[bytes] = []
    worker = Worker(lambda entry: entries.append(pickle.dumps(entry)), payload)
    try:
        worker.run_step(worker.step_for(step_key, overrides), retry_number,
                        capture_output=True)
    finally:
        worker.close()
    yield (_runner(), entries)
