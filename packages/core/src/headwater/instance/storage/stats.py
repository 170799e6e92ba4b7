"""Run and step stats, folded from a run's events (the same for every storage)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from headwater.execution.events import EventLogEntry
from headwater.instance.records import RunStats, RunStepStats, StepEventStatus

# The events step stats are made of; the first two start an attempt.
STEP_STAT_EVENTS = ("STEP_START", "STEP_RESTARTED", "STEP_SUCCESS", "STEP_FAILURE",
                    "STEP_SKIPPED", "STEP_UP_FOR_RETRY", "ASSET_MATERIALIZATION",
                    "STEP_EXPECTATION_RESULT")
_STATUS_AFTER = {
    "STEP_START": StepEventStatus.IN_PROGRESS,
    "STEP_RESTARTED": StepEventStatus.IN_PROGRESS,
    "STEP_UP_FOR_RETRY": StepEventStatus.UP_FOR_RETRY,
    "STEP_SUCCESS": StepEventStatus.SUCCESS,
    "STEP_FAILURE": StepEventStatus.FAILURE,
    "STEP_SKIPPED": StepEventStatus.SKIPPED,
}
_FINAL = frozenset({"STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"})
_RUN_END = ("PIPELINE_SUCCESS", "PIPELINE_FAILURE", "PIPELINE_CANCELED")


def run_stats(run_id: str, by_type: dict[str, tuple[int, float, float]]) -> RunStats:
    """A run's stats from ``{event type: (count, first timestamp, last timestamp)}``."""

    def count(event_type: str) -> int:
        return by_type[event_type][0] if event_type in by_type else 0

    def last(*event_types: str) -> float | None:
        times = [by_type[t][2] for t in event_types if t in by_type]
        return max(times) if times else None

    return RunStats(
        run_id=run_id,
        steps_succeeded=count("STEP_SUCCESS"),
        steps_failed=count("STEP_FAILURE"),
        materializations=count("ASSET_MATERIALIZATION"),
        expectations=count("STEP_EXPECTATION_RESULT"),
        enqueued_time=last("PIPELINE_ENQUEUED"),
        launch_time=last("PIPELINE_STARTING"),
        start_time=last("PIPELINE_START"),
        end_time=last(*_RUN_END),
    )


@dataclass
class _StepFold:
    status: StepEventStatus = StepEventStatus.IN_PROGRESS
    start_time: float | None = None
    end_time: float | None = None
    attempts: int = 0
    materializations: list[Any] = field(default_factory=list)
    expectation_results: list[Any] = field(default_factory=list)


def step_stats(run_id: str,
               rows: Iterable[tuple[str, str, float, Callable[[], EventLogEntry]]],
               ) -> list[RunStepStats]:
    """Each step's stats from its events, in the order steps first appear.

    Args:
        run_id: The run.
        rows: ``(event type, step key, timestamp, read the entry)`` of the run's step
            events, oldest first; the entry is read only for materializations and
            expectation results.
    """
    steps: dict[str, _StepFold] = {}
    for event_type, step_key, timestamp, read_entry in rows:
        fold = steps.setdefault(step_key, _StepFold())
        if event_type in ("STEP_START", "STEP_RESTARTED"):
            fold.attempts += 1
            if fold.start_time is None:
                fold.start_time = timestamp
        if event_type in _STATUS_AFTER:
            fold.status = _STATUS_AFTER[event_type]
            fold.end_time = timestamp if event_type in _FINAL else None
        elif event_type == "ASSET_MATERIALIZATION":
            event = read_entry().headwater_event
            fold.materializations.append(event.step_materialization_data.materialization)
        elif event_type == "STEP_EXPECTATION_RESULT":
            event = read_entry().headwater_event
            fold.expectation_results.append(
                event.step_expectation_result_data.expectation_result)
    return [RunStepStats(run_id, key, f.status, f.start_time, f.end_time, f.attempts,
                         f.materializations, f.expectation_results)
            for key, f in steps.items()]
