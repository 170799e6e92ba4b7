"""Plugins' lifecycle hooks, called as a run records its events.

``with_lifecycle_hooks`` wraps a run's recorder: each event is recorded first, then turned
into the matching hook call (``STEP_SUCCESS`` -> ``headwater_step_succeeded(run, step_key,
duration_ms)``, ...) and ``headwater_event_logged`` for every entry. A hook that raises is
itself recorded, as an engine event naming the plugin and the hook, and the run goes on.
The plugins to call come from the plugin manager (:class:`LifecycleHooks`); this module
decides when and with what.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from headwater.execution.events import (
    EngineEventData,
    EventLogEntry,
    HeadwaterEventType,
    SerializableErrorInfo,
    new_event,
)
from headwater.execution.recorder import RunRecorder
from headwater.execution.run import PipelineRun
from headwater.plugins.lifecycle import HookFailure, LifecycleHooks

_EVENT_LOGGED = "headwater_event_logged"
# An event's hook and the arguments it takes beyond ``run`` (from the event's data).
_Arguments = Callable[[EventLogEntry, Any], dict[str, Any]]


def _step(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {"step_key": entry.step_key}


def _step_success(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {"step_key": entry.step_key, "duration_ms": data.duration_ms}


def _step_failure(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {"step_key": entry.step_key, "error": data.error}


def _step_retry(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {"step_key": entry.step_key, "error": data.error, "retry_number": data.retry_number}


def _materialization(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {"step_key": entry.step_key, "materialization": data.materialization}


def _run(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {}


def _run_failure(entry: EventLogEntry, data: Any) -> dict[str, Any]:
    return {"error": getattr(data, "error", None)}


_HOOKS_FOR_EVENT: dict[str, tuple[str, _Arguments]] = {
    "PIPELINE_START": ("headwater_run_started", _run),
    "PIPELINE_SUCCESS": ("headwater_run_succeeded", _run),
    "PIPELINE_FAILURE": ("headwater_run_failed", _run_failure),
    "PIPELINE_CANCELED": ("headwater_run_canceled", _run),
    "STEP_START": ("headwater_step_started", _step),
    "STEP_RESTARTED": ("headwater_step_started", _step),
    "STEP_SUCCESS": ("headwater_step_succeeded", _step_success),
    "STEP_FAILURE": ("headwater_step_failed", _step_failure),
    "STEP_UP_FOR_RETRY": ("headwater_step_retried", _step_retry),
    "ASSET_MATERIALIZATION": ("headwater_asset_materialized", _materialization),
}


class LifecycleRecorder:
    """A run recorder that also calls the plugins' lifecycle hooks (wraps the real one).

    Every other attribute is the wrapped recorder's.
    """

    def __init__(self, recorder: RunRecorder, hooks: LifecycleHooks, run: PipelineRun) -> None:
        self._recorder = recorder
        self._hooks = hooks
        self._run = run
        self._every_entry = _EVENT_LOGGED in hooks.implemented

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recorder, name)

    def handle_new_event(self, entry: EventLogEntry) -> None:
        self._recorder.handle_new_event(entry)
        event = entry.headwater_event
        failures: list[HookFailure] = []
        if event is not None:
            if event.event_type_value == "ENGINE_EVENT" and \
                    entry.user_message.startswith("Lifecycle hook"):
                return  # what a failing hook left: calling hooks again could fail again
            found = _HOOKS_FOR_EVENT.get(event.event_type_value)
            if found is not None and found[0] in self._hooks.implemented:
                hook, arguments = found
                failures += self._hooks.call(
                    hook, run=self._run, **arguments(entry, event.event_specific_data))
        if self._every_entry:
            failures += self._hooks.call(_EVENT_LOGGED, run=self._run, entry=entry)
        for failure in failures:
            record_hook_failure(self._recorder, failure, entry.run_id, entry.pipeline_name,
                                entry.step_key)


def record_hook_failure(recorder: RunRecorder, failure: HookFailure, run_id: str,
                        pipeline_name: str | None, step_key: str | None) -> None:
    """Record that a plugin's hook raised: an engine event, at WARNING, naming the plugin
    and the hook (lifecycle hooks are not called for it: they could fail again)."""
    event = new_event(HeadwaterEventType.ENGINE_EVENT, pipeline_name or "",
                      f"Lifecycle hook {failure.hook} of plugin {failure.plugin} raised "
                      f"{failure.error!r}; the run goes on.", step_key,
                      data=EngineEventData(
                          error=SerializableErrorInfo.from_exception(failure.error)))
    recorder.handle_new_event(EventLogEntry(
        run_id, time.time(), logging.WARNING, event.message or "", step_key, pipeline_name,
        None, event))


def wrapped(hooks: LifecycleHooks, hook: str, recorder: RunRecorder, run: PipelineRun,
            step_key: str | None = None) -> Callable[[Callable[[], Any]], Any] | None:
    """A function that calls code inside the enabled plugins' ``hook`` wrappers (a failing
    wrapper recorded in ``recorder``), or None when no enabled plugin wraps ``hook``, so
    that the caller runs its code directly and pays nothing."""
    if hook not in hooks.wrapped:
        return None
    arguments: dict[str, Any] = {"run": run}
    if step_key is not None:
        arguments["step_key"] = step_key

    def on_failure(failure: HookFailure) -> None:
        record_hook_failure(recorder, failure, run.run_id, run.pipeline_name, step_key)

    def call(body: Callable[[], Any]) -> Any:
        return hooks.wrap(hook, body, on_failure, **arguments)

    return call


def hooks_for(recorder: RunRecorder) -> LifecycleHooks:
    """The lifecycle and wrapper hooks of the plugins enabled for runs recorded by
    ``recorder`` (registered in code, or enabled in its instance's headwater.yaml)."""
    # Imported here: plugins load on the first run, never on import of headwater.
    from headwater.plugins.manager import get_plugin_manager

    return get_plugin_manager().lifecycle_hooks(recorder.enabled_plugins)


def with_lifecycle_hooks(recorder: RunRecorder, run: PipelineRun,
                         hooks: LifecycleHooks) -> RunRecorder:
    """``recorder`` wrapped to call ``hooks`` as the run records its events; ``recorder``
    itself when no enabled plugin implements a lifecycle hook, so that such runs pay
    nothing per event."""
    if not hooks.implemented:
        return recorder
    return LifecycleRecorder(recorder, hooks, run)
