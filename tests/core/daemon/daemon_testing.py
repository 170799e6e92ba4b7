"""What the daemon tests share: repositories written to files, an instance whose runs
queue, a launcher that starts no process, a controllable clock, and simulated crashes."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from headwater import instance_for_test
from headwater.execution.events import HeadwaterEventType
from headwater.instance import Instance, RunsFilter
from headwater.instance.run_launcher import RunLauncher
from headwater.workspace import LocationSpec, Workspace

SCHEDULE_NAME_TAG = "headwater/schedule_name"


class LauncherWithoutProcesses(RunLauncher):
    """Marks a launched run STARTING and starts nothing: tests finish runs themselves."""

    def launch_run(self, instance: Instance, run: Any) -> Any:
        instance.report_run_event(run, HeadwaterEventType.PIPELINE_STARTING,
                                  f"Launching run {run.run_id} (in a test: no process).")
        return instance.get_run_by_id(run.run_id)

    def terminate(self, instance: Instance, run: Any) -> bool:
        return False

    @classmethod
    def config_schema(cls) -> Any:
        return {}

    @classmethod
    def from_config(cls, config: Any, context: Any) -> LauncherWithoutProcesses:
        return cls()


@contextlib.contextmanager
def queued_instance(max_concurrent_runs: int = 10,
                    **settings: Any) -> Iterator[Instance]:
    """A persistent test instance whose submitted runs wait in the queue (QUEUED)."""
    overrides = {
        "run_coordinator": {"name": "queued",
                            "config": {"max_concurrent_runs": max_concurrent_runs}},
        "run_launcher": {"module": "daemon_testing", "class": "LauncherWithoutProcesses"},
        **settings,
    }
    with instance_for_test(overrides) as instance:
        yield instance


def load_workspace(directory: Path, source: str, name: str = "repo_under_test") -> Workspace:
    """A workspace of one location: ``source`` written to ``directory/name.py``."""
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    sys.modules.pop(name, None)
    workspace = Workspace.from_specs([LocationSpec(f"{name}.py", python_file=str(path))])
    workspace.raise_errors()
    return workspace


def at(text: str) -> float:
    """Seconds since the epoch of an ISO time with its offset (``2026-03-08T07:30:00Z``)."""
    return dt.datetime.fromisoformat(text).timestamp()


def utc(timestamp: float) -> str:
    """A timestamp as an ISO time in UTC (``2026-03-08T07:30:00+00:00``)."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat()


def runs_tagged(instance: Instance, key: str, value: str) -> list[Any]:
    """The runs with the tag ``key=value``, oldest first."""
    return list(reversed(instance.get_runs(RunsFilter(tags={key: value}))))


class Crash(BaseException):
    """The daemon's process dying at this point: not an Exception, so nothing in the daemon
    catches it."""


def crash_when_called(monkeypatch: Any, owner: Any, method: str) -> None:
    """Make ``owner.method`` kill the "process" instead of running."""

    def crash(*args: Any, **kwargs: Any) -> None:
        raise Crash(f"the daemon died in {method}")

    monkeypatch.setattr(owner, method, crash)


def crash_after_call(monkeypatch: Any, owner: Any, method: str) -> None:
    """Make ``owner.method`` run, then kill the "process" before it returns."""
    original = getattr(owner, method)

    def run_then_crash(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        raise Crash(f"the daemon died right after {method}")

    monkeypatch.setattr(owner, method, run_then_crash)
