"""Writing in batches: items wait in memory and are written together, never one by one.

A batch is written when the caller asks (``add(item, flush=True)`` or ``flush()``), when an
item is added and the oldest waiting item is older than ``max_delay``, and by a background
thread once the oldest waiting item reaches ``max_delay``, so that nothing waits longer
than that even if no more items arrive. A process that dies therefore loses at most the
items of the last ``max_delay`` seconds; the caller flushes where that is not enough.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from headwater.errors import HeadwaterError

_T = TypeVar("_T")
_log = logging.getLogger("headwater.instance")
_LIVE: weakref.WeakSet[BatchWriter[object]] = weakref.WeakSet()


class BatchWriter(Generic[_T]):
    """Buffers items and hands them to ``write`` in batches, in the order they were added.

    Args:
        write: Writes a batch durably; raising leaves the batch waiting, to be written with
            the next one.
        max_delay: The longest an item waits, in seconds.
        name: Names the background thread.
    """

    def __init__(self, write: Callable[[list[_T]], None], max_delay: float = 0.1,
                 name: str = "headwater-batch-writer") -> None:
        self._write = write
        self._max_delay = max_delay
        self._name = name
        self._items: list[_T] = []
        self._oldest: float | None = None
        # ``_lock`` guards the waiting items; ``_write_lock`` lets one batch be written at a
        # time, so that batches reach storage in the order their items were added.
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        # Whether the thread waits with no deadline: only then does a new batch wake it (a
        # thread already waiting for an older batch's deadline looks again when it wakes).
        self._idle = False
        self._closed = False
        _LIVE.add(self)

    @property
    def pending(self) -> int:
        """How many items wait to be written."""
        return len(self._items)

    def add(self, item: _T, flush: bool = False) -> None:
        """Queue ``item``; write the batch now if ``flush`` or if it has waited long enough."""
        with self._lock:
            self._items.append(item)
            if self._oldest is None:
                self._oldest = time.monotonic()
            due = (flush or self._closed
                   or time.monotonic() - self._oldest >= self._max_delay)
            wake = not due and (self._idle or self._thread is None)
            # Only a wake-up makes the thread busy: after a batch written here at once, an
            # idle thread still waits for a wake-up to see the next item.
            if wake:
                self._idle = False
        if due:
            self.flush()
        elif wake:
            self._ensure_thread()
            self._wake.set()

    def flush(self) -> None:
        """Write every waiting item now."""
        with self._write_lock:
            with self._lock:
                items, self._items, self._oldest = self._items, [], None
            if not items:
                return
            try:
                self._write(items)
            except BaseException:
                with self._lock:
                    self._items[:0] = items
                    self._oldest = time.monotonic()
                raise

    def discard(self, keep: Callable[[_T], bool] | None = None) -> int:
        """Drop the waiting items (when storage cannot take them), all of them or those
        ``keep`` rejects; how many were dropped."""
        with self._write_lock, self._lock:
            kept = [item for item in self._items if keep(item)] if keep is not None else []
            dropped, self._items = len(self._items) - len(kept), kept
            if not kept:
                self._oldest = None
        return dropped

    def close(self) -> None:
        """Write what waits and stop the background thread."""
        with self._lock:
            self._closed = True
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self.flush()

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is not None or self._closed:
                return
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        failing = False
        while True:
            self._wake.clear()
            with self._lock:
                if self._closed:
                    return
                oldest = self._oldest
                self._idle = oldest is None
            if oldest is None:
                self._wake.wait()
                continue
            delay = oldest + self._max_delay - time.monotonic()
            if delay > 0:
                self._wake.wait(delay)
                continue
            try:
                self.flush()
                failing = False
            except Exception as error:
                # The batch stays queued; the next flush (or the caller's) tries again and
                # raises to the caller if storage is still failing. Said once per failure,
                # with a traceback only when the error does not explain itself.
                if not failing:
                    _log.warning("Could not write a batch of %s (%s); retrying.", self._name,
                                 error, exc_info=not isinstance(error, HeadwaterError))
                failing = True
                self._wake.wait(self._max_delay)

    def _after_fork(self) -> None:
        # The child got a copy of the parent's queue (the parent writes it) and no thread.
        self._items = []
        self._oldest = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._idle = False


def _flush_all_at_exit() -> None:
    for writer in list(_LIVE):
        try:
            writer.close()
        except Exception:
            _log.exception("Could not write the last batch of %s at exit.", writer._name)


def _reset_all_after_fork() -> None:
    for writer in list(_LIVE):
        writer._after_fork()


atexit.register(_flush_all_at_exit)
os.register_at_fork(after_in_child=_reset_all_after_fork)
