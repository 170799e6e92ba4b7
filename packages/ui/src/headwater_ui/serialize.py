"""Runs, events, steps and jobs as JSON-ready data, the shapes the JSON API returns.

Events travel as short arrays rather than objects: a run of 10,000 events is then a few
hundred kilobytes the browser parses at once.
"""

from __future__ import annotations

import logging
from typing import Any

import yaml

# The fields of an event row, in order (documented in the API).
EVENT_FIELDS = ("id", "timestamp", "level", "step_key", "event_type", "message", "error")


def run_record(record: Any) -> dict[str, Any]:
    """A run record: the run, its times, where it came from."""
    run = record.run
    return {
        "run_id": run.run_id,
        "pipeline_name": run.pipeline_name,
        "status": run.status.value,
        "mode": run.mode,
        "tags": dict(run.tags),
        "solid_selection": run.solid_selection,
        "step_keys_to_execute": run.step_keys_to_execute,
        "parent_run_id": run.parent_run_id,
        "root_run_id": run.root_run_id,
        "create_timestamp": record.create_timestamp,
        "start_time": record.start_time,
        "end_time": record.end_time,
        "can_reexecute": bool(run.pipeline_origin),
    }


def run_config_yaml(run_config: Any) -> str:
    """The run config as YAML. Values read from the environment are stored as their
    ``{env: NAME}`` reference, never the value, so nothing secret is shown."""
    if not run_config:
        return "{}\n"
    return yaml.safe_dump(run_config, sort_keys=False, default_flow_style=False)


def event_row(record: Any) -> list[Any]:
    """One event-log record as ``[id, timestamp, level, step_key, event_type, message,
    error]`` (error: the traceback text or None)."""
    entry = record.entry
    error = entry.error_info.to_string() if entry.error_info is not None else None
    return [record.storage_id, entry.timestamp, logging.getLevelName(entry.level),
            entry.step_key, entry.headwater_event.event_type_value
            if entry.headwater_event is not None else None, entry.user_message, error]


def step_stats(stats: Any) -> dict[str, Any]:
    """A step's status, times, attempts and materializations."""
    return {
        "step_key": stats.step_key,
        "status": stats.status.value,
        "start_time": stats.start_time,
        "end_time": stats.end_time,
        "attempts": stats.attempts,
        "materializations": [materialization(m) for m in stats.materializations],
    }


def materialization(value: Any) -> dict[str, Any]:
    """An asset materialization: key, description, partition, metadata as text."""
    key = getattr(value, "asset_key", None)
    path = getattr(key, "path", None)
    return {
        "asset_key": "/".join(path) if path else str(key),
        "description": getattr(value, "description", None),
        "partition": getattr(value, "partition", None),
        "metadata": {str(label): _metadata_text(item)
                     for label, item in (getattr(value, "metadata", None) or {}).items()},
    }


def _metadata_text(value: Any) -> str:
    inner = getattr(value, "value", value)
    return inner if isinstance(inner, str) else repr(inner)


def tick(record: Any) -> dict[str, Any]:
    """A schedule's or sensor's tick: time, status, runs, why it skipped or failed."""
    item = record.tick
    return {
        "tick_id": record.tick_id,
        "timestamp": item.timestamp,
        "status": item.status.value,
        "run_ids": list(item.run_ids),
        "skip_reason": item.skip_reason,
        "error": item.error.to_string() if item.error is not None else None,
        "cursor": item.cursor,
    }


def backfill(value: Any, statuses: dict[str, str]) -> dict[str, Any]:
    """A backfill, with the status of each partition's run (``statuses``: partition name to
    run status; a partition not submitted yet is missing from it)."""
    return {
        "backfill_id": value.backfill_id,
        "repository_name": value.repository_name,
        "partition_set_name": value.partition_set_name,
        "status": value.status.value,
        "timestamp": value.timestamp,
        "num_submitted": value.num_submitted,
        "num_partitions": len(value.partition_names),
        "partitions": [{"name": name, "run_status": statuses.get(name)}
                       for name in value.partition_names],
        "error": value.error.to_string() if value.error is not None else None,
    }
