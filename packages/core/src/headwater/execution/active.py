"""The state of a plan being executed: which steps are ready, done, skipped or abandoned.

Every executor drives one ``ActiveExecution``: it asks for ready steps, runs them however it
runs steps, and feeds their events back. The bookkeeping is O(1) per dependency edge, so
it adds nothing noticeable per step.

Semantics:
* A step whose upstream failed is *abandoned*: it is not run, and an error line says which
  dependencies failed. Its own dependents are abandoned in turn.
* A step whose input comes from an output that was not produced (an optional output, or a
  skipped step) is *skipped* with a STEP_SKIPPED event; skipping propagates.
* A fan-in input runs with the values that were produced; it is skipped only when none was.
* Steps mapped over a dynamic output are created when the dynamic step succeeds, one per
  mapping key; a step collecting them waits until every one of them has finished.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from headwater.definitions.executor import RetryMode
from headwater.execution.plan import (
    ExecutionPlan,
    ExecutionStep,
    FromCollect,
    FromMultipleSources,
    FromStepOutput,
    StepInput,
    StepOutputHandle,
    upstream_step_keys,
)


class RetryState:
    """How many times each step has been retried, and whether retries are on."""

    def __init__(self, mode: RetryMode) -> None:
        self.mode = mode
        self._attempts: dict[str, int] = {}

    @property
    def enabled(self) -> bool:
        return self.mode is RetryMode.ENABLED

    def get_attempt_count(self, step_key: str) -> int:
        return self._attempts.get(step_key, 0)

    def set_attempt_count(self, step_key: str, count: int) -> None:
        self._attempts[step_key] = count

    def mark_attempt(self, step_key: str) -> None:
        self._attempts[step_key] = self._attempts.get(step_key, 0) + 1


@dataclass
class Decision:
    """A step the executor did not run: ``kind`` is "skip" or "abandon"."""

    kind: str
    step: ExecutionStep
    dependencies: list[str] = field(default_factory=list)
    transitive: bool = False


def _group_token(group: tuple[str, str]) -> str:
    return f"\0collect:{group[0]}:{group[1]}"


class ActiveExecution:
    """Tracks which steps can run next, given the events of the steps that ran."""

    def __init__(self, plan: ExecutionPlan,
                 known_outputs: Iterable[StepOutputHandle] = (),
                 known_dynamic_keys: dict[tuple[str, str], list[str]] | None = None) -> None:
        self.plan = plan
        self._steps: dict[str, ExecutionStep] = {}
        self._waiting: dict[str, set[str]] = {}
        self._downstream: dict[str, list[str]] = {}
        self._order = itertools.count()
        self._ready: list[tuple[int, int, str]] = []
        self._retry_at: list[tuple[float, int, str]] = []
        self._in_flight: set[str] = set()
        self.succeeded: set[str] = set()
        self.failed: set[str] = set()
        self.abandoned: set[str] = set()
        self.skipped: set[str] = set()
        self._produced: set[StepOutputHandle] = set(known_outputs)
        self._attempt_outputs: dict[str, list[Any]] = {}
        self._dynamic_keys: dict[tuple[str, str], list[str]] = dict(known_dynamic_keys or {})
        self._group_open: dict[tuple[str, str], set[str]] = {}
        self._decisions: list[Decision] = []
        self._undecided = 0
        # Steps to look at again because a dependency was decided. A work list rather than
        # recursion: a failure or skip at the head of a 10,000-step chain decides every
        # step after it, and that must not need a stack frame per step.
        self._to_evaluate: deque[str] = deque()
        self._evaluating = False

        selected = plan.step_keys_to_execute
        for key, step in plan.steps.items():
            if selected is not None and key not in selected:
                continue
            self._add(step, extra_waits=self._collect_tokens(step))
        self._resolve_groups_not_executed(selected)
        for key in list(self._steps):
            self._schedule_evaluation(key)

    def _resolve_groups_not_executed(self, selected: frozenset[str] | None) -> None:
        """In a re-execution, steps mapped over a dynamic output the run does not recompute
        use the mapping keys the earlier run produced; only the selected ones run."""
        for group, templates in self.plan.unresolved.items():
            if group[0] in self._steps or group not in self._dynamic_keys:
                continue
            added = []
            for template in templates:
                for mapping_key in self._dynamic_keys[group]:
                    step = template.resolve(mapping_key)
                    if selected is None or step.key in selected:
                        self._add(step)
                        added.append(step.key)
            if added:
                self._group_open[group] = set(added)
            else:
                self._release(_group_token(group))

    # -- building the graph ------------------------------------------------------------

    def _collect_tokens(self, step: ExecutionStep) -> set[str]:
        return {_group_token(i.source.group) for i in step.inputs
                if isinstance(i.source, FromCollect)}

    def _add(self, step: ExecutionStep, extra_waits: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self._steps[step.key] = step
        self._undecided += 1
        waiting = {k for k in step.upstream_keys if k in self._steps and not self._is_decided(k)}
        for step_input in step.inputs:
            source = step_input.source
            if isinstance(source, FromCollect) and source.group[0] in self._steps \
                    and not self._is_decided(source.group[0]):
                waiting.add(source.group[0])
        waiting |= extra_waits
        self._waiting[step.key] = waiting
        for upstream in waiting:
            self._downstream.setdefault(upstream, []).append(step.key)

    def _is_decided(self, key: str) -> bool:
        return (key in self.succeeded or key in self.failed or key in self.abandoned
                or key in self.skipped)

    # -- asking for work ---------------------------------------------------------------

    @property
    def is_complete(self) -> bool:
        return self._undecided == 0

    @property
    def has_in_flight(self) -> bool:
        return bool(self._in_flight)

    def pop_decisions(self) -> list[Decision]:
        """Steps skipped or abandoned since the last call (the executor reports them)."""
        decisions, self._decisions = self._decisions, []
        return decisions

    def get_next_ready(self, now: float | None = None) -> ExecutionStep | None:
        """The next step to run (highest priority first), or None if none is ready now."""
        self._release_retries(time.monotonic() if now is None else now)
        if not self._ready:
            return None
        _, _, key = heapq.heappop(self._ready)
        self._in_flight.add(key)
        return self._steps[key]

    def seconds_until_next_retry(self) -> float | None:
        if not self._retry_at:
            return None
        return max(0.0, self._retry_at[0][0] - time.monotonic())

    def _release_retries(self, now: float) -> None:
        while self._retry_at and self._retry_at[0][0] <= now:
            _, _, key = heapq.heappop(self._retry_at)
            self._push_ready(key)

    def _push_ready(self, key: str) -> None:
        step = self._steps[key]
        heapq.heappush(self._ready, (-step.priority, next(self._order), key))

    # -- feeding back events -----------------------------------------------------------

    def handle_event(self, event: Any) -> None:
        """Update the state from one event of a running step."""
        kind = event.event_type_value
        key = event.step_key
        if kind == "STEP_OUTPUT":
            # Counted only once the attempt that yielded it succeeds: a failed or retried
            # attempt must leave no outputs (or mapping keys) behind.
            self._attempt_outputs.setdefault(key, []).append(event.event_specific_data)
        elif kind == "STEP_SUCCESS":
            self._commit_attempt_outputs(key)
            self._finish(key, self.succeeded)
            self._resolve_groups_of(key, succeeded=True)
        elif kind == "STEP_FAILURE":
            self._attempt_outputs.pop(key, None)
            self._finish(key, self.failed)
            self._resolve_groups_of(key, succeeded=False)
        elif kind == "STEP_SKIPPED":
            self._finish(key, self.skipped)
            self._resolve_groups_of(key, succeeded=False)
        elif kind == "STEP_UP_FOR_RETRY":
            self._attempt_outputs.pop(key, None)
            self._in_flight.discard(key)
            wait = event.event_specific_data.seconds_to_wait or 0.0
            heapq.heappush(self._retry_at, (time.monotonic() + wait, next(self._order), key))

    def _commit_attempt_outputs(self, key: str) -> None:
        for data in self._attempt_outputs.pop(key, ()):
            self._produced.add(StepOutputHandle(key, data.output_name, data.mapping_key))
            if data.mapping_key is not None:
                self._dynamic_keys.setdefault((key, data.output_name), []).append(
                    data.mapping_key)

    def mark_failed(self, key: str) -> None:
        """Record a step as failed without an event from it (e.g. its worker died)."""
        self._finish(key, self.failed)
        self._resolve_groups_of(key, succeeded=False)

    def _finish(self, key: str, outcome: set[str]) -> None:
        if key not in self._steps or self._is_decided(key):
            return
        self._in_flight.discard(key)
        outcome.add(key)
        self._undecided -= 1
        step = self._steps[key]
        if step.group is not None:
            self._close_group_member(step.group, key)
        self._release(key)

    def _release(self, key: str) -> None:
        for child in self._downstream.pop(key, ()):
            waiting = self._waiting.get(child)
            if waiting is not None:
                waiting.discard(key)
                self._schedule_evaluation(child)

    def _close_group_member(self, group: tuple[str, str], key: str) -> None:
        members = self._group_open.get(group)
        if members is None:
            return
        members.discard(key)
        if not members:
            del self._group_open[group]
            self._release(_group_token(group))

    def _resolve_groups_of(self, key: str, succeeded: bool) -> None:
        """When a step with dynamic outputs finishes, create (or give up on) the steps
        mapped over them."""
        finished = self._steps.get(key)
        if finished is None:
            return
        # Every dynamic output, mapped or not: a step may collect one directly.
        for output in finished.solid_def.output_defs:
            if not output.is_dynamic:
                continue
            group = (key, output.name)
            unresolved = self.plan.unresolved.get(group, [])
            if not succeeded or not self._dynamic_output_produced(group):
                # Mapped steps of a failed or unproduced output never exist; collectors are
                # then decided by the dynamic step's own outcome.
                self._release(_group_token(group))
                continue
            mapping_keys = self._dynamic_keys.get(group, [])
            new_keys: list[str] = []
            for template in unresolved:
                for mapping_key in mapping_keys:
                    step = template.resolve(mapping_key)
                    self._add(step)
                    new_keys.append(step.key)
            if new_keys:
                self._group_open[group] = set(new_keys)
                for new_key in new_keys:
                    self._schedule_evaluation(new_key)
            else:
                self._release(_group_token(group))

    # -- deciding a step whose dependencies are all decided ----------------------------

    def _schedule_evaluation(self, key: str) -> None:
        """Evaluate ``key`` once the evaluations already under way are done."""
        self._to_evaluate.append(key)
        if self._evaluating:
            return
        self._evaluating = True
        try:
            while self._to_evaluate:
                self._evaluate_if_unblocked(self._to_evaluate.popleft())
        finally:
            self._evaluating = False

    def _evaluate_if_unblocked(self, key: str) -> None:
        if self._waiting.get(key) or self._is_decided(key) or key in self._in_flight:
            return
        step = self._steps[key]
        # Most runs have no failure at all: then there is no upstream set to build.
        if self.failed or self.abandoned:
            upstream = self._upstream_of(step)
            failed = sorted(k for k in upstream if k in self.failed)
            abandoned = sorted(k for k in upstream if k in self.abandoned)
            if failed or abandoned:
                self._decide(key, self.abandoned)
                self._decisions.append(Decision("abandon", step, failed or abandoned,
                                                transitive=not failed))
                return
        inputs, missing = self._concrete_inputs(step)
        if missing:
            self._decide(key, self.skipped)
            self._decisions.append(Decision("skip", step, missing))
            return
        self._steps[key] = step.with_inputs(inputs) if inputs is not step.inputs else step
        self._push_ready(key)

    def _decide(self, key: str, outcome: set[str]) -> None:
        outcome.add(key)
        self._undecided -= 1
        step = self._steps[key]
        if step.group is not None:
            self._close_group_member(step.group, key)
        self._resolve_groups_of(key, succeeded=False)
        self._release(key)

    def _upstream_of(self, step: ExecutionStep) -> set[str]:
        keys = set(step.upstream_keys)
        for step_input in step.inputs:
            source = step_input.source
            if isinstance(source, FromCollect):
                keys.add(source.group[0])
                # A collector of mapped steps depends on every one of them: one that failed
                # must abandon it, not hand it a list with that value silently missing.
                keys.update(upstream_step_keys(
                    source.resolve(self._dynamic_keys.get(source.group, []))))
        return keys

    def _concrete_inputs(self, step: ExecutionStep) -> tuple[list[StepInput], list[str]]:
        """The inputs with fan-ins narrowed to the values produced and collects resolved;
        plus the upstream steps whose missing outputs make the step skip."""
        inputs: list[StepInput] = []
        missing: list[str] = []
        changed = False
        for step_input in step.inputs:
            source = step_input.source
            if isinstance(source, FromStepOutput):
                if source.handle not in self._produced and self._known(source.handle.step_key):
                    missing.append(source.handle.step_key)
            elif isinstance(source, FromMultipleSources):
                present = tuple(s for s in source.sources if s.handle in self._produced
                                or not self._known(s.handle.step_key))
                if not present and source.sources:
                    missing.extend(s.handle.step_key for s in source.sources)
                elif len(present) != len(source.sources):
                    source = FromMultipleSources(present)
                    changed = True
            elif isinstance(source, FromCollect):
                if not self._dynamic_output_produced(source.group):
                    missing.append(source.group[0])
                else:
                    keys = self._dynamic_keys.get(source.group, [])
                    resolved = source.resolve(keys)
                    source = FromMultipleSources(tuple(
                        s for s in resolved.sources if s.handle in self._produced))
                    changed = True
            inputs.append(StepInput(step_input.name, step_input.input_def, source)
                          if source is not step_input.source else step_input)
        return (inputs if changed else step.inputs), missing

    def _dynamic_output_produced(self, group: tuple[str, str]) -> bool:
        """A dynamic output counts as produced once it yielded a value, or, when it is
        required, once its step succeeded (a fan-out over nothing maps to nothing)."""
        if group in self._dynamic_keys:
            return True
        step_key, output_name = group
        step = self.plan.steps.get(step_key)
        return (step_key in self.succeeded and step is not None
                and step.solid_def.output_dict[output_name].is_required)

    def _known(self, key: str) -> bool:
        """Whether this execution tracks the step (steps outside a re-execution's selection
        are not tracked: their outputs come from the parent run)."""
        return key in self._steps
