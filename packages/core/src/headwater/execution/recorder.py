"""Where a run writes its record and events.

Execution talks only to this small interface; the instance implements it with storage, and
``InMemoryRunRecorder`` implements it in memory for runs with no instance (tests,
notebooks). Writes may be buffered: ``flush`` marks the points (step boundaries, the end of
a run) where everything so far must be durable.
"""

from __future__ import annotations

import os
from typing import Any, Protocol, runtime_checkable

from headwater.execution.events import EventLogEntry
from headwater.execution.run import STATUS_FOR_EVENT, PipelineRun


@runtime_checkable
class RunRecorder(Protocol):
    """The part of an instance that execution needs."""

    @property
    def is_persistent(self) -> bool:
        """Whether runs, events and outputs survive this process."""

    def create_run(self, run: PipelineRun) -> PipelineRun:
        """Store a new run record."""

    def handle_new_event(self, entry: EventLogEntry) -> None:
        """Record an event (and update the run's status for pipeline-level events)."""

    def flush(self) -> None:
        """Make everything recorded so far durable."""

    def get_run_by_id(self, run_id: str) -> PipelineRun | None:
        """The run record, or None."""

    def storage_directory(self) -> str:
        """Where file-based IO managers keep outputs by default."""

    @property
    def enabled_plugins(self) -> tuple[str, ...]:
        """The discovered plugins whose lifecycle hooks run for this recorder's runs
        (plugins registered in code always run theirs)."""


@runtime_checkable
class SharedRunRecorder(RunRecorder, Protocol):
    """A recorder other processes can open too (an instance with persistent storage): what
    an executor that runs steps in other processes records into."""

    def get_ref(self) -> Any:
        """What another process opens (``ref.open()``) to reach the same runs and
        storage."""


class InMemoryRunRecorder:
    """Keeps runs and events in memory: used when a run is given no instance."""

    is_persistent = False
    enabled_plugins: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.runs: dict[str, PipelineRun] = {}
        self.events: dict[str, list[EventLogEntry]] = {}
        self._storage_dir: str | None = None

    def create_run(self, run: PipelineRun) -> PipelineRun:
        self.runs[run.run_id] = run
        self.events[run.run_id] = []
        return run

    def handle_new_event(self, entry: EventLogEntry) -> None:
        self.events.setdefault(entry.run_id, []).append(entry)
        event = entry.headwater_event
        if event is not None:
            status = STATUS_FOR_EVENT.get(event.event_type_value)
            run = self.runs.get(entry.run_id)
            if status is not None and run is not None:
                self.runs[entry.run_id] = run.with_status(status)

    def flush(self) -> None:
        """Nothing to do: memory is as durable as it gets here."""

    def get_run_by_id(self, run_id: str) -> PipelineRun | None:
        return self.runs.get(run_id)

    def all_logs(self, run_id: str) -> list[EventLogEntry]:
        return list(self.events.get(run_id, []))

    def storage_directory(self) -> str:
        if self._storage_dir is None:
            # Imported here: tempfile (with shutil, bz2 and lzma) is ~3 ms of every import
            # of headwater, and most runs never ask for a storage directory.
            import tempfile

            self._storage_dir = tempfile.mkdtemp(prefix="headwater-storage-")
        return os.path.join(self._storage_dir)
