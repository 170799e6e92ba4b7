"""Calling plugins' lifecycle hooks as a run records its events.

The hooks see the run's events after they are recorded; a hook that raises is itself
recorded (as an engine event naming the plugin and hook) and the run goes on.
"""

from __future__ import annotations

import inspect
import logging
import time
from typing import Any

from headwater.execution.events import (
    EngineEventData,
    EventLogEntry,
    HeadwaterEventType,
    SerializableErrorInfo,
    new_event,
)

_HOOKS_FOR_EVENT = {
    "PIPELINE_START": "headwater_run_started",
    "PIPELINE_SUCCESS": "headwater_run_succeeded",
    "PIPELINE_FAILURE": "headwater_run_failed",
    "PIPELINE_CANCELED": "headwater_run_canceled",
    "STEP_START": "headwater_step_started",
    "STEP_RESTARTED": "headwater_step_started",
    "STEP_SUCCESS": "headwater_step_succeeded",
    "STEP_FAILURE": "headwater_step_failed",
    "STEP_UP_FOR_RETRY": "headwater_step_retried",
    "ASSET_MATERIALIZATION": "headwater_asset_materialized",
}


def _arguments(entry: EventLogEntry) -> dict[str, Any]:
    event = entry.headwater_event
    arguments: dict[str, Any] = {"entry": entry, "step_key": entry.step_key}
    if event is None:
        return arguments
    data = event.event_specific_data
    kind = event.event_type_value
    if kind == "STEP_SUCCESS":
        arguments["duration_ms"] = data.duration_ms
    elif kind in ("STEP_FAILURE", "PIPELINE_FAILURE"):
        arguments["error"] = getattr(data, "error", None)
    elif kind == "STEP_UP_FOR_RETRY":
        arguments["error"] = data.error
        arguments["retry_number"] = data.retry_number
    elif kind == "ASSET_MATERIALIZATION":
        arguments["materialization"] = data.materialization
    return arguments


class LifecycleRecorder:
    """A run recorder that also calls lifecycle hooks (wraps the real recorder)."""

    def __init__(self, recorder: Any, plugins: list[Any], run: Any) -> None:
        self._recorder = recorder
        self._plugins = plugins
        self._run = run
        self._parameters: dict[tuple[int, str], frozenset[str] | None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recorder, name)

    def handle_new_event(self, entry: EventLogEntry) -> None:
        self._recorder.handle_new_event(entry)
        event = entry.headwater_event
        if event is not None and event.event_type_value == "ENGINE_EVENT" and \
                entry.user_message.startswith("Lifecycle hook"):
            return
        arguments = _arguments(entry)
        arguments["run"] = self._run
        hook = _HOOKS_FOR_EVENT.get(event.event_type_value) if event is not None else None
        for plugin in self._plugins:
            if hook is not None:
                self._call(plugin, hook, arguments, entry)
            self._call(plugin, "headwater_event_logged", arguments, entry)

    def _call(self, plugin: Any, hook: str, arguments: dict[str, Any],
              entry: EventLogEntry) -> None:
        fn = getattr(plugin, hook, None)
        if fn is None:
            return
        key = (id(plugin), hook)
        accepted = self._parameters.get(key)
        if key not in self._parameters:
            accepted = frozenset(inspect.signature(fn).parameters)
            self._parameters[key] = accepted
        try:
            fn(**{name: value for name, value in arguments.items() if name in accepted})
        except Exception as error:
            name = getattr(plugin, "__name__", type(plugin).__name__)
            event = new_event(HeadwaterEventType.ENGINE_EVENT, entry.pipeline_name or "",
                              f"Lifecycle hook {hook} of plugin {name} raised {error!r}; the run "
                              "goes on.", entry.step_key,
                              data=EngineEventData(
                                  error=SerializableErrorInfo.from_exception(error)))
            self._recorder.handle_new_event(EventLogEntry(
                entry.run_id, time.time(), logging.WARNING, event.message or "",
                entry.step_key, entry.pipeline_name, None, event))


def with_lifecycle_hooks(recorder: Any, run: Any) -> Any:
    """``recorder`` wrapped to call the enabled lifecycle plugins, or itself if none."""
    from headwater.plugins.manager import get_plugin_manager

    enabled = getattr(recorder, "enabled_plugins", ())
    plugins = get_plugin_manager().lifecycle_plugins(enabled)
    if not plugins:
        return recorder
    return LifecycleRecorder(recorder, plugins, run)
