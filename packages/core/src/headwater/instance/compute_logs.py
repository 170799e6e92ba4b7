"""Compute logs: what a step prints to stdout and stderr, kept in a file per step.

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
import os
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from headwater.config import Field, StringSource
from headwater.errors import HeadwaterInvariantViolationError
from headwater.instance.components import ComponentContext

_STREAMS = (("out", 1), ("err", 2))
# How long the end of a capture waits for output still in the pipe when a process the
# step started (and left running) keeps the pipe open.
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
    """Keeps each step's output in ``<base_dir>/<run_id>/compute_logs/<step_key>.out|.err``.

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

    def log_path(self, run_id: str, step_key: str, stream: str) -> str:
        """The file of one stream (``"out"`` or ``"err"``) of a step."""
        return os.path.join(self.base_dir, run_id, "compute_logs", f"{step_key}.{stream}")

    @contextlib.contextmanager
    def capture(self, run_id: str, step_key: str) -> Iterator[None]:
        if not self._capturing.acquire(blocking=False):
            raise HeadwaterInvariantViolationError(
                f'Cannot capture the output of step "{step_key}": this process is already '
                "capturing another step's output, and file descriptors 1 and 2 are one per "
                "process. Run steps that capture output one at a time per process.")
        try:
            os.makedirs(os.path.dirname(self.log_path(run_id, step_key, "out")), exist_ok=True)
            with contextlib.ExitStack() as stack:
                for stream, fd in _STREAMS:
                    stack.enter_context(_redirected(fd, self.log_path(run_id, step_key, stream),
                                                    self.tee))
                yield
        finally:
            self._capturing.release()

    def read_logs(self, run_id: str, step_key: str) -> CapturedLogs:
        out, err = (_read(self.log_path(run_id, step_key, stream)) for stream, _ in _STREAMS)
        return CapturedLogs(out, err)

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
    import ctypes  # only once capturing: keeps opening an instance light

    with contextlib.suppress(Exception):
        ctypes.CDLL(None).fflush(None)


@contextlib.contextmanager
def _redirected(fd: int, path: str, tee: bool) -> Iterator[None]:
    """Point ``fd`` at the file ``path`` (appending); with ``tee``, also at where it was."""
    _flush_everything()
    saved = os.dup(fd)
    with open(path, "ab", buffering=0) as file:
        pump = None
        if tee:
            read_end, write_end = os.pipe()
            pump = threading.Thread(target=_pump, args=(read_end, file, saved), daemon=True,
                                    name=f"headwater-compute-log-fd{fd}")
            pump.start()
            os.dup2(write_end, fd)
            os.close(write_end)
        else:
            os.dup2(file.fileno(), fd)
        try:
            yield
        finally:
            _flush_everything()
            # Restoring fd closes this process's last write end of the pipe: the pump
            # reads to the end and stops.
            os.dup2(saved, fd)
            if pump is not None:
                pump.join(_DRAIN_TIMEOUT)
            os.close(saved)


def _pump(read_end: int, file: Any, console_fd: int) -> None:
    with contextlib.suppress(OSError, ValueError), os.fdopen(read_end, "rb", buffering=0) as pipe:
        while chunk := pipe.read(65536):
            file.write(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(console_fd, view):]
