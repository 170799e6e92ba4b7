"""The driver's side of a run's slots: long-running Spark tasks that pull steps.

A *slot* is one task of a Spark job the driver starts for the run (a *slot job*, one
partition per slot). The slot connects back to the driver (at ``spark.driver.host``, see
:mod:`headwater_spark.tasks`) and runs the steps it is handed one after another, so a step
costs a message each way instead of a Spark job of its own.

:class:`SlotPool` listens for the slots, hands each ready step to an idle slot (or keeps
it until one is idle), starts slot jobs as the steps waiting need them (up to the slots
wanted), and puts what the slots send on the run's message queue, for the run's thread to
record. Messages on the queue:

* ``("entry", EventLogEntry)``: an event or log line a step emitted, as it was emitted;
* ``("done", step_key, runner)``: the step's attempt ended;
* ``("crashed", step_key, traceback, runner)``: the slot could not load the pipeline;
* ``("lost", job, step_key, runner)``: the slot's connection ended while it ran the step;
* ``("job_ended", job, error)``: a slot job ended (``error`` None when it ended because
  its slots were told to stop), after the messages of all its slots.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import itertools
import queue
import secrets
import socket
import threading
from collections import deque
from typing import Any

from headwater_spark.wire import Channel

# How long a connecting slot has to say who it is.
_HELLO_SECONDS = 30.0
# After a slot job ended, how long its slots' connections may take to deliver what their
# tasks sent before the driver breaks them (a lost machine never closes its connection).
_DRAIN_SECONDS = 10.0


class _Slot:
    """One connected slot: its connection, its job, where it runs, and the step it runs."""

    __slots__ = ("channel", "job", "runner", "step_key")

    def __init__(self, channel: Channel, job: int, runner: str) -> None:
        self.channel = channel
        self.job = job
        self.runner = runner
        self.step_key: str | None = None


class SlotPool:
    """A run's slots, the steps waiting for one, and the slot jobs that start them.

    Args:
        context: The run's SparkContext.
        payload: What a slot's Worker is built from.
        job_group: The Spark job group of the run's jobs (cancelled with the run).
        wanted: At most this many slots at once.
        bind_host: The address the driver listens on.
        advertise_host: The address the slots connect to (``spark.driver.host``).
        messages: Where what the slots send goes (see the module's docstring).
    """

    def __init__(self, context: Any, payload: dict[str, Any], job_group: str, wanted: int,
                 bind_host: str, advertise_host: str, messages: queue.Queue) -> None:
        self.context = context
        self.payload = payload
        self.job_group = job_group
        self.wanted = max(1, wanted)
        self.messages = messages
        self.token = secrets.token_hex(16)
        self.listener = socket.create_server((bind_host, 0))
        self.address = (advertise_host, self.listener.getsockname()[1])
        self.pending: deque[tuple[str, int, Any]] = deque()
        self.idle: list[_Slot] = []
        self.connected: set[_Slot] = set()
        # Slots of each job whose task has not connected (yet, or ever).
        self.unconnected: dict[int, int] = {}
        self.jobs: dict[int, threading.Thread] = {}
        self.releasing = False
        self.closing = False
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, daemon=True,
                                          name="headwater-spark-slots")
        self._acceptor.start()

    # -- what the run's thread calls ---------------------------------------------------------

    def put(self, step_key: str, retry_number: int, overrides: Any) -> None:
        """Hand a ready step to an idle slot, or keep it for the next slot that is idle."""
        with self._lock:
            self.pending.append((step_key, retry_number, overrides))
            self._dispatch()
            self._grow()

    def take_pending(self) -> list[str]:
        """Forget the steps no slot has taken (the run stops, or cannot run them)."""
        with self._lock:
            keys = [key for key, _, _ in self.pending]
            self.pending.clear()
            return keys

    @property
    def alive(self) -> bool:
        """Whether a slot runs, or a slot job is starting one."""
        with self._lock:
            return bool(self.connected) or any(self.unconnected.values())

    def release(self, releasing: bool) -> None:
        """While ``releasing``, slots that end a step stop (and idle ones stop now), giving
        their cores back for steps that run as jobs of their own; after it, slots start
        again as steps wait."""
        with self._lock:
            self.releasing = releasing
            if releasing:
                self._stop_idle()
            else:
                self._grow()

    def close(self, cancel: bool, timeout: float) -> None:
        """Tell every slot to stop and wait up to ``timeout`` seconds for the slot jobs to end
        (cancelling them after that, or at once when ``cancel``)."""
        with self._lock:
            self.closing = True
            self.pending.clear()
            self._stop_idle()
            jobs = list(self.jobs.values())
        if cancel and jobs:
            self.context.cancelJobGroup(self.job_group)
        for thread in jobs:
            thread.join(timeout)
        if any(thread.is_alive() for thread in jobs):
            self.context.cancelJobGroup(self.job_group)
            for thread in jobs:
                thread.join(timeout)
        self.listener.close()

    # -- under the lock ----------------------------------------------------------------------

    def _dispatch(self) -> None:
        while self.pending and self.idle:
            self._hand(self.idle.pop(), self.pending.popleft())

    def _hand(self, slot: _Slot, item: tuple[str, int, Any]) -> None:
        step_key, retry_number, overrides = item
        slot.step_key = step_key
        # A broken connection ends the slot's reader, which reports the step lost.
        with contextlib.suppress(OSError):
            slot.channel.send("step", step_key, retry_number, overrides)

    def _stop_idle(self) -> None:
        for slot in self.idle:
            with contextlib.suppress(OSError):
                slot.channel.send("stop")
        self.idle.clear()

    def _became_idle(self, slot: _Slot) -> None:
        if self.closing or self.releasing:
            with contextlib.suppress(OSError):
                slot.channel.send("stop")
        elif self.pending:
            self._hand(slot, self.pending.popleft())
        else:
            self.idle.append(slot)

    def _grow(self) -> None:
        """Start a slot job for the steps waiting that the slots starting will not take."""
        if self.closing or self.releasing:
            return
        starting = sum(self.unconnected.values())
        count = min(len(self.pending) - starting,
                    self.wanted - len(self.connected) - starting)
        if count <= 0:
            return
        number = next(self._numbers)
        self.unconnected[number] = count
        thread = threading.Thread(target=self._run_job, args=(number, count), daemon=True,
                                  name=f"headwater-spark-slot-job-{number}")
        self.jobs[number] = thread
        thread.start()

    # -- threads -----------------------------------------------------------------------------

    def _run_job(self, number: int, count: int) -> None:
        from headwater_spark import tasks

        error: BaseException | None = None
        try:
            self.context.setJobGroup(self.job_group, f"headwater slots ({count})",
                                     interruptOnCancel=True)
            serve = functools.partial(tasks.serve_steps, self.payload, self.address,
                                      self.token, number)
            self.context.parallelize(range(count), count).mapPartitions(serve).collect()
        except BaseException as raised:
            error = raised
        with self._lock:
            self.unconnected.pop(number, None)
            mine = [slot for slot in self.connected if slot.job == number]
        # Its tasks have ended: what they sent is on its way, or their connections are
        # dead without the driver knowing (a lost machine). Give the readers a moment.
        self._wait_for_readers(mine)
        self.messages.put(("job_ended", number, error))
        with self._lock:
            self.jobs.pop(number, None)
            if error is None:
                self._grow()  # slots stopped while releasing, and steps wait again

    def _wait_for_readers(self, slots: list[_Slot]) -> None:
        deadline = threading.Event()
        timer = threading.Timer(_DRAIN_SECONDS, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                with self._lock:
                    if not any(slot in self.connected for slot in slots):
                        return
                deadline.wait(0.02)
            for slot in slots:
                slot.channel.shut()
            while True:
                with self._lock:
                    if not any(slot in self.connected for slot in slots):
                        return
                threading.Event().wait(0.02)
        finally:
            timer.cancel()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return  # the pool was closed
            threading.Thread(target=self._serve, args=(sock,), daemon=True,
                             name="headwater-spark-slot").start()

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(_HELLO_SECONDS)
        channel = Channel(sock)
        try:
            kind, token, job, runner = channel.receive()
        except (EOFError, OSError, ValueError, TypeError):
            channel.close()
            return
        if kind != "hello" or not isinstance(token, str) \
                or not hmac.compare_digest(token, self.token):
            channel.close()  # not one of this run's slots
            return
        sock.settimeout(None)
        slot = _Slot(channel, job, runner)
        with self._lock:
            if self.unconnected.get(job):
                self.unconnected[job] -= 1
            self.connected.add(slot)
            self._became_idle(slot)
        self._read(slot)

    def _read(self, slot: _Slot) -> None:
        try:
            while True:
                message = slot.channel.receive()
                kind = message[0]
                if kind == "entry":
                    self.messages.put(message)
                elif kind == "done":
                    self.messages.put(("done", message[1], slot.runner))
                    with self._lock:
                        slot.step_key = None
                        self._became_idle(slot)
                elif kind == "crashed":
                    self.messages.put(("crashed", message[1], message[2], slot.runner))
        except Exception:
            pass  # the slot ended, or its connection broke: what it held is lost
        finally:
            with self._lock:
                held, slot.step_key = slot.step_key, None
                if held is not None:
                    self.messages.put(("lost", slot.job, held, slot.runner))
                self.connected.discard(slot)
                if slot in self.idle:
                    self.idle.remove(slot)
            slot.channel.close()
