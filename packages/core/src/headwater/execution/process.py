"""Who executes a run: the operating-system process recorded on it, and whether it lives.

A run executed by ``headwater pipeline execute`` or by a launched ``headwater api
execute-run`` records its process on the run (tags ``headwater/pid``,
``headwater/hostname`` and ``headwater/process_start``). The run monitor uses it to tell a
dead process from a slow one, ``headwater run cancel`` to signal it, and re-execution to
wait until the process of the run it repeats is gone.
"""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass

from headwater.errors import HeadwaterInvariantViolationError
from headwater.execution.run import IN_PROGRESS_STATUSES, PipelineRun

PID_TAG = "headwater/pid"
HOSTNAME_TAG = "headwater/hostname"
# When the process started, in the kernel's clock ticks since boot: with the pid, it tells
# the run's process apart from a later process that was given the same pid.
PROCESS_START_TAG = "headwater/process_start"


@dataclass(frozen=True)
class RunProcess:
    """The operating-system process of a run.

    Attributes:
        pid: Its process id.
        hostname: The host it runs on.
    """

    pid: int
    hostname: str
    start: str | None = None

    @staticmethod
    def current() -> RunProcess:
        """This process."""
        return RunProcess.local(os.getpid())

    @staticmethod
    def local(pid: int) -> RunProcess:
        """The process ``pid`` of this host, with its start time where the system tells it."""
        return RunProcess(pid, socket.gethostname(), _start_time(pid))

    @staticmethod
    def of(run: PipelineRun) -> RunProcess | None:
        """The process recorded on the run, or None (a run executed from Python, say)."""
        pid, hostname = run.tags.get(PID_TAG), run.tags.get(HOSTNAME_TAG)
        if pid is None or hostname is None or not pid.isdigit():
            return None
        return RunProcess(int(pid), hostname, run.tags.get(PROCESS_START_TAG))

    @property
    def tags(self) -> dict[str, str]:
        """The run tags that record this process."""
        tags = {PID_TAG: str(self.pid), HOSTNAME_TAG: self.hostname}
        if self.start is not None:
            tags[PROCESS_START_TAG] = self.start
        return tags

    @property
    def is_local(self) -> bool:
        """Whether it runs on this host (so that this process can see and signal it)."""
        return self.hostname == socket.gethostname()

    def is_alive(self) -> bool:
        """Whether the process still runs (on this host; a zombie counts as gone, and so does
        a later process that was given the same pid). A stopped process (SIGSTOP) or one
        whose Python threads are starved by a solid holding the GIL is alive."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # someone else's process has the pid: it exists
        if self.start is not None and _start_time(self.pid) not in (None, self.start):
            return False
        return not _is_zombie(self.pid)

    def signal(self, signum: int) -> bool:
        """Send ``signum`` to the process; False if it is gone."""
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            return False
        return True

    def describe(self) -> str:
        """``pid 1234 on host-a``."""
        return f"pid {self.pid} on {self.hostname}"


def _start_time(pid: int) -> str | None:
    """When ``pid`` started (field 22 of /proc/PID/stat), or None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[19]
    except (OSError, IndexError):
        return None


def _is_zombie(pid: int) -> bool:
    """Whether ``pid`` has exited but was not yet reaped (signal 0 still reaches it)."""
    with contextlib.suppress(ChildProcessError):
        # A child of this process (a run launched from here): reap it if it ended.
        waited, _ = os.waitpid(pid, os.WNOHANG)
        return waited == pid
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False  # no /proc (not Linux): an exited process of another parent is reaped


def check_run_process_gone(run: PipelineRun) -> None:
    """Refuse to go on while the run is in progress and its process may still execute it
    (before a re-execution, which would run its steps a second time).

    A finished run passes: its own process recorded its end, or it was ended for a process
    that is gone (on this host, the run monitor fails a run only when its process is gone)
    or on another host, where the run's compare-and-set status stops the lost process at
    its next step.

    Raises:
        HeadwaterInvariantViolationError: the run is in progress and its process lives on
            this host, or it is in progress on another host.
    """
    process = RunProcess.of(run)
    if process is None or run.status not in IN_PROGRESS_STATUSES:
        return
    if process.is_local and not process.is_alive():
        return
    where = "is still alive" if process.is_local else "may still be running it"
    raise HeadwaterInvariantViolationError(
        f"Run {run.run_id} is {run.status.value} and its process ({process.describe()}) "
        f"{where}: re-executing it now could run its steps twice. Wait for it to end (the "
        "run monitor fails it if its process dies or, on another host, goes silent), or "
        f"stop it with `headwater run cancel {run.run_id}`, then re-execute.")
