"""Compute logs: what a step prints to stdout and stderr, kept per run and step.

Capture works on the process's file descriptors 1 and 2, not on ``sys.stdout``: what
subprocesses and C extensions print is captured too. It therefore captures everything the
process prints while it is on, so one step at a time per process; the in-process and
multiprocess executors run one step at a time in a process.

    manager = LocalComputeLogManager("/tmp/logs")
    with manager.capture(run_id, "load"):
        subprocess.run(["echo", "hello"])
    manager.read_logs(run_id, "load").stdout   # "hello\\n"
"""

from __future__ import annotations

import abc
import contextlib
import functools
import json
import logging
import os
import sys
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from headwater.config import Field, StringSource
from headwater.config.secrets import has_secrets, longest_secret, mask_bytes
from headwater.definitions.files import make_private_dirs, open_private
from headwater.errors import HeadwaterError, HeadwaterInvariantViolationError
from headwater.instance.components import ComponentContext

_STREAMS = (("out", 1), ("err", 2))
# How often the terminal is shown what a running step printed, and how long closing waits
# for the thread doing it.
_ECHO_INTERVAL = 0.05
_DRAIN_TIMEOUT = 2.0


@dataclass(frozen=True)
class CapturedLogs:
    """What a step printed.

    Attributes:
        stdout / stderr: The text (empty if nothing was captured).
    """

    stdout: str
    stderr: str


class ComputeLogManager(abc.ABC):
    """Captures and keeps what steps print."""

    @abc.abstractmethod
    def capture(self, run_id: str, step_key: str) -> contextlib.AbstractContextManager[None]:
        """A context manager: what the process prints inside it is kept for the step."""

    @abc.abstractmethod
    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        """What was captured for the step so far."""

    def dispose(self) -> None:  # noqa: B027 (optional: nothing to do by default)
        """Release what the manager holds."""


class NoOpComputeLogManager(ComputeLogManager):
    """Captures nothing: output goes where it would go anyway."""

    @contextlib.contextmanager
    def capture(self, run_id: str, step_key: str) -> Iterator[None]:
        yield

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        return CapturedLogs("", "")

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> NoOpComputeLogManager:
        return cls()


class LocalComputeLogManager(ComputeLogManager):
    """Keeps what steps print under ``<base_dir>/<run_id>/compute_logs/``.

    Each process of a run writes one file per stream (``<pid>.out``, ``<pid>.err``) for the
    whole run, kept open from step to step, and an index (``<pid>.index``) of the byte range
    each step wrote. Creating two files per step would cost more than a typical step's
    own overhead; appending ranges to files already open costs microseconds.
    :meth:`log_path` writes a step's output out to ``<step_key>.out|.err`` when a file per
    step is wanted (e.g. to upload it).

    Args:
        base_dir: The folder (by default ``$HEADWATER_HOME/storage``, next to the run's
            stored outputs).
        tee: Also let the output through to where it went before (the terminal), so that
            capturing hides nothing.
    """

    _capturing = threading.Lock()

    def __init__(self, base_dir: str, tee: bool = True) -> None:
        self.base_dir = os.path.abspath(os.path.expanduser(base_dir))
        self.tee = tee
        self._session: _RunSession | None = None
        self._session_lock = threading.Lock()
        _MANAGERS.add(self)

    def _folder(self, run_id: str) -> str:
        return os.path.join(self.base_dir, run_id, "compute_logs")

    def log_path(self, run_id: str, step_key: str, stream: str) -> str:
        """A file holding one stream (``"out"`` or ``"err"``) of a step, written now from
        the run's logs."""
        path = os.path.join(self._folder(run_id), f"{step_key}.{stream}")
        text = getattr(self.read_logs(run_id, step_key), "stdout" if stream == "out"
                       else "stderr")
        make_private_dirs(os.path.dirname(path))
        with open_private(path, "w", encoding="utf-8") as file:
            file.write(text)
        return path

    @contextlib.contextmanager
    def capture(self, run_id: str, step_key: str) -> Iterator[None]:
        if not self._capturing.acquire(blocking=False):
            raise HeadwaterInvariantViolationError(
                f'Cannot capture the output of step "{step_key}": this process is already '
                "capturing another step's output, and file descriptors 1 and 2 are one per "
                "process. Run steps that capture output one at a time per process.")
        try:
            session = self._session_for(run_id)
            with session.step(step_key):
                yield
        finally:
            self._capturing.release()

    def _session_for(self, run_id: str) -> _RunSession:
        with self._session_lock:
            session = self._session
            if session is not None and (session.run_id != run_id or session.pid != os.getpid()):
                if session.pid == os.getpid():
                    session.close()
                session = None
            if session is None:
                session = self._session = _RunSession(self._folder(run_id), run_id, self.tee)
            return session

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        folder = self._folder(run_id)
        segments = []
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            return CapturedLogs("", "")
        for name in names:
            if not name.endswith(".index"):
                continue
            prefix = os.path.join(folder, name[:-len(".index")])
            with open(os.path.join(folder, name), encoding="utf-8") as index:
                for line in index:
                    record = json.loads(line)
                    if record["step"] == step_key:
                        segments.append((record["t"], prefix, record))
        segments.sort(key=lambda segment: segment[0])
        streams = []
        for stream in ("out", "err"):
            parts = []
            for _, prefix, record in segments:
                start, end = record[stream]
                parts.append(_read_range(f"{prefix}.{stream}", start, end))
            streams.append(b"".join(parts).decode("utf-8", errors="replace"))
        return CapturedLogs(*streams)

    def dispose(self) -> None:
        with self._session_lock:
            if self._session is not None and self._session.pid == os.getpid():
                self._session.close()
            self._session = None

    @classmethod
    def config_schema(cls) -> Any:
        return {
            "base_dir": Field(StringSource, is_required=False,
                              description="The folder (default: $HEADWATER_HOME/storage)."),
            "tee": Field(bool, default_value=True,
                         description="Also let the output through to the terminal."),
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    context: ComponentContext) -> LocalComputeLogManager:
        base_dir = config.get("base_dir") or os.path.join(context.home, "storage")
        return cls(base_dir, tee=config["tee"])


class UploadingComputeLogManager(ComputeLogManager):
    """Captures on local disk, and keeps each stream in an object store when the step ends.

    The base of the compute-log managers of object stores (S3, GCS, Azure Blob Storage):
    capture is :class:`LocalComputeLogManager`'s (files under ``local_dir``); when the step
    ends, successful or not, each stream is uploaded to
    ``<prefix>/storage/<run_id>/compute_logs/<step_key>.out|.err``. An upload that fails
    leaves the step's outcome alone: the logs stay on local disk and a warning names why
    (logged under the subclass's module). Reading prefers the local files and falls back
    to the store, so another machine (the UI's) reads what a worker printed.

    A subclass keeps its own config schema, client and error translation, and says how to
    talk to its store: :meth:`describe` (a key, for messages), :meth:`upload` and
    :meth:`download`. Those raise the integration's own errors, subclasses of
    ``HeadwaterError`` that name the thing, the place and the fix.

    Args:
        local_dir: Where logs are written while a step runs.
        prefix: The key prefix ("" for the store's root).
        skip_empty_files: Upload nothing for a stream the step printed nothing to.
        tee: Also let the output through to the terminal while capturing.
    """

    def __init__(self, local_dir: str, prefix: str = "headwater",
                 skip_empty_files: bool = False, tee: bool = True) -> None:
        self.prefix = prefix.strip("/")
        self.skip_empty_files = skip_empty_files
        self.local = LocalComputeLogManager(local_dir, tee=tee)

    def log_key(self, run_id: str, step_key: str, stream: str) -> str:
        """The key of one stream (``"out"`` or ``"err"``) of a step."""
        parts = [self.prefix, "storage", run_id, "compute_logs", f"{step_key}.{stream}"]
        return "/".join(part for part in parts if part)

    @abc.abstractmethod
    def describe(self, key: str) -> str:
        """Where ``key`` is, for messages (e.g. ``"s3://bucket/key"``)."""

    @abc.abstractmethod
    def upload(self, key: str, data: bytes, doing: str) -> None:
        """Store ``data`` under ``key``, replacing what is there.

        Args:
            key: From :meth:`log_key`.
            data: The stream's text, UTF-8 encoded.
            doing: What Headwater was doing, for the error message (``'uploading the
                compute logs of step "load" to s3://bucket/key'``).

        Raises:
            HeadwaterError: (the integration's subclass) when the store refused or could
                not be reached.
        """

    @abc.abstractmethod
    def download(self, key: str, doing: str) -> bytes | None:
        """What is stored under ``key``, or None when nothing is.

        Args:
            key: From :meth:`log_key`.
            doing: What Headwater was doing, for the error message.

        Raises:
            HeadwaterError: (the integration's subclass) when the store refused or could
                not be reached.
        """

    @contextlib.contextmanager
    def capture(self, run_id: str, step_key: str) -> Iterator[None]:
        try:
            with self.local.capture(run_id, step_key):
                yield
        finally:
            self._upload(run_id, step_key)

    def _upload(self, run_id: str, step_key: str) -> None:
        logs = self.local.read_logs(run_id, step_key)
        for (stream, _), text in zip(_STREAMS, (logs.stdout, logs.stderr), strict=True):
            if self.skip_empty_files and not text:
                continue
            key = self.log_key(run_id, step_key, stream)
            try:
                self.upload(key, text.encode("utf-8"),
                            f'uploading the compute logs of step "{step_key}" to '
                            f"{self.describe(key)}")
            except HeadwaterError as error:
                # The step's outcome stands: its logs stay on local disk, and the reason
                # they are not in the store is reported where the process reports trouble.
                logging.getLogger(type(self).__module__).warning(
                    "%s The logs are kept under %s.", error, self.local.base_dir)

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        local = self.local.read_logs(run_id, step_key)
        if local.stdout or local.stderr:
            return local
        # Nothing here: the step ran on another machine (or printed nothing).
        return CapturedLogs(*(self._download(self.log_key(run_id, step_key, stream))
                              for stream, _ in _STREAMS))

    def _download(self, key: str) -> str:
        data = self.download(key, f"reading compute logs from {self.describe(key)}")
        if data is None:
            return ""  # the step printed nothing to this stream, or has not ended yet
        return data.decode("utf-8", errors="replace")

    def dispose(self) -> None:
        self.local.dispose()

    @classmethod
    def config_schema(cls) -> Any:
        """The settings every subclass shares; a subclass adds its store's and client's."""
        return {
            "prefix": Field(StringSource, default_value="headwater",
                            description="Logs go under <prefix>/storage/<run_id>/"
                                        "compute_logs/."),
            "local_dir": Field(StringSource, is_required=False,
                               description="Where logs are written while a step runs "
                                           "(default: $HEADWATER_HOME/storage)."),
            "skip_empty_files": Field(bool, default_value=False,
                                      description="Upload nothing for an empty stream."),
            "tee": Field(bool, default_value=True,
                         description="Also let the output through to the terminal."),
        }

    @staticmethod
    def shared_settings(config: Mapping[str, Any],
                        context: ComponentContext) -> dict[str, Any]:
        """The constructor arguments of :meth:`config_schema`'s settings, from ``config``
        (``local_dir`` defaults to ``$HEADWATER_HOME/storage``)."""
        return {"local_dir": config.get("local_dir") or os.path.join(context.home, "storage"),
                "prefix": config["prefix"], "skip_empty_files": config["skip_empty_files"],
                "tee": config["tee"]}


class _RunSession:
    """One process's capture files for one run, open from its first captured step on."""

    def __init__(self, folder: str, run_id: str, tee: bool) -> None:
        make_private_dirs(folder)
        self.run_id = run_id
        self.pid = os.getpid()
        self.prefix = prefix = os.path.join(folder, str(self.pid))
        # Read-write (appending): the echo thread reads back what steps wrote.
        # Open for the whole run (closed by close()), not per step.
        self.files = {stream: open_private(f"{prefix}.{stream}", "a+b", buffering=0)
                      for stream, _ in _STREAMS}
        self.index = open_private(f"{prefix}.index", "a", encoding="utf-8")
        self.tee = tee
        self._echoed = {stream: self._size(stream) for stream, _ in _STREAMS}
        self._echo_lock = threading.Lock()
        self._consoles: dict[str, int] = {}
        self._stop = threading.Event()
        self._echo_thread: threading.Thread | None = None

    @contextlib.contextmanager
    def step(self, step_key: str) -> Iterator[None]:
        _flush_everything()
        started = time.time()
        begin = {stream: self._size(stream) for stream, _ in _STREAMS}
        saved = {}
        for stream, fd in _STREAMS:
            saved[stream] = os.dup(fd)
            os.dup2(self.files[stream].fileno(), fd)
        if self.tee:
            self._consoles = dict(saved)
            self._start_echo()
        try:
            yield
        finally:
            _flush_everything()
            for stream, fd in _STREAMS:
                os.dup2(saved[stream], fd)
            end = {stream: self._size(stream) for stream, _ in _STREAMS}
            if has_secrets():
                self._mask(begin, end)
            if self.tee:
                # Echo the rest now, so that the terminal shows the step's output before
                # whatever the process prints next.
                self._echo(until=end)
                self._consoles = {}
            for stream, _ in _STREAMS:
                os.close(saved[stream])
            # A step that printed nothing has nothing to index (reading its logs finds no
            # range and gives ""): no write for it, the common case of a run's many steps.
            if begin != end:
                self.index.write(json.dumps({
                    "step": step_key, "t": started,
                    "out": [begin["out"], end["out"]], "err": [begin["err"], end["err"]],
                }) + "\n")
                self.index.flush()

    def _mask(self, begin: dict[str, int], end: dict[str, int]) -> None:
        """Overwrite secrets the step printed, in place (same length: offsets stay right)."""
        for stream, _ in _STREAMS:
            data = os.pread(self.files[stream].fileno(), end[stream] - begin[stream],
                            begin[stream])
            masked = mask_bytes(data)
            if masked != data:
                # A descriptor of its own: writes through the appending one land at the end.
                fd = os.open(f"{self.prefix}.{stream}", os.O_WRONLY)
                try:
                    os.pwrite(fd, masked, begin[stream])
                finally:
                    os.close(fd)

    def _size(self, stream: str) -> int:
        return os.fstat(self.files[stream].fileno()).st_size

    def _start_echo(self) -> None:
        if self._echo_thread is None:
            self._echo_thread = threading.Thread(target=self._echo_loop, daemon=True,
                                                 name="headwater-compute-log-echo")
            self._echo_thread.start()

    def _echo_loop(self) -> None:
        while not self._stop.wait(_ECHO_INTERVAL):
            with contextlib.suppress(OSError, ValueError):
                self._echo()

    def _echo(self, until: dict[str, int] | None = None) -> None:
        """Copy what the files gained since the last echo to the terminal."""
        with self._echo_lock:
            consoles = self._consoles
            if not consoles:
                return
            for stream, _ in _STREAMS:
                start = self._echoed[stream]
                stop = (until or {}).get(stream) or self._size(stream)
                if until is None and has_secrets():
                    # A secret may be half written yet: hold back what could be its start.
                    stop -= longest_secret() - 1
                if stop <= start:
                    continue
                data = mask_bytes(os.pread(self.files[stream].fileno(), stop - start, start))
                view = memoryview(data)
                while view:
                    view = view[os.write(consoles[stream], view):]
                self._echoed[stream] = start + len(data)

    def close(self) -> None:
        self._stop.set()
        if self._echo_thread is not None:
            self._echo_thread.join(_DRAIN_TIMEOUT)
        for file in self.files.values():
            file.close()
        self.index.close()


_MANAGERS: weakref.WeakSet[LocalComputeLogManager] = weakref.WeakSet()


def _forget_sessions_in_child() -> None:
    # A forked child must not write into its parent's files: it opens its own on first use.
    for manager in list(_MANAGERS):
        manager._session = None
        manager._session_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_sessions_in_child)


def _read_range(path: str, start: int, end: int) -> bytes:
    try:
        with open(path, "rb") as file:
            file.seek(start)
            return file.read(end - start)
    except FileNotFoundError:
        return b""


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except FileNotFoundError:
        return ""


def _flush_everything() -> None:
    # Output still in Python's or C's buffers belongs to the side it was written on.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(Exception):
        _c_library().fflush(None)


@functools.cache
def _c_library() -> Any:
    # Loaded once, on the first capture: keeps opening an instance light, and loading it
    # anew on every flush cost more than the rest of a capture.
    import ctypes

    return ctypes.CDLL(None)
