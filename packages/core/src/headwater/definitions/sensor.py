"""Sensors: run a pipeline when something happens (a file lands, an asset is materialized,
a run fails).

The daemon evaluates each running sensor every ``minimum_interval_seconds``. A sensor
returns or yields ``RunRequest``s (de-duplicated by ``run_key``: at most one run per key,
ever) or a ``SkipReason``, and may keep a cursor between evaluations.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from headwater.definitions.events import AssetKey
from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.run_request import TickData, tick_data_from
from headwater.definitions.utils import check_valid_name
from headwater.errors import HeadwaterInvalidDefinitionError

DEFAULT_SENSOR_INTERVAL_SECONDS = 30
SENSOR_NAME_TAG = "headwater/sensor_name"
RUN_KEY_TAG = "headwater/run_key"
# The run statuses a run-status sensor can watch, and the event that marks each.
_EVENT_FOR_STATUS = {"STARTED": "PIPELINE_START", "SUCCESS": "PIPELINE_SUCCESS",
                     "FAILURE": "PIPELINE_FAILURE", "CANCELED": "PIPELINE_CANCELED"}


class SensorEvaluationContext:
    """What a sensor's function receives.

    Attributes:
        instance: The instance (None in a test without one).
        last_completion_time: When the previous evaluation finished (seconds since the
            epoch), or None.
        last_run_key: The run key of the last run this sensor requested, or None.
        cursor: The cursor the previous evaluation left (a string), or None.
        repository_name: The repository the sensor belongs to.
    """

    def __init__(self, instance: Any = None, last_completion_time: float | None = None,
                 last_run_key: str | None = None, cursor: str | None = None,
                 repository_name: str | None = None) -> None:
        self.instance = instance
        self.last_completion_time = last_completion_time
        self.last_run_key = last_run_key
        self.cursor = cursor
        self.repository_name = repository_name
        self._cursor_updated = False

    def update_cursor(self, cursor: str | None) -> None:
        """Set the cursor the next evaluation will see."""
        if cursor is not None and not isinstance(cursor, str):
            raise HeadwaterInvalidDefinitionError(
                f"A sensor cursor is a string (serialize it yourself), got {cursor!r}.")
        self.cursor = cursor
        self._cursor_updated = True


def build_sensor_context(instance: Any = None, cursor: str | None = None,
                         repository_name: str | None = None,
                         last_completion_time: float | None = None,
                         last_run_key: str | None = None) -> SensorEvaluationContext:
    """A context for evaluating a sensor in a test."""
    return SensorEvaluationContext(instance, last_completion_time, last_run_key, cursor,
                                   repository_name)


class SensorDefinition(FrozenDefinition):
    """A pipeline to run when ``evaluation_fn`` says so.

    Args:
        name: The sensor's name.
        pipeline_name: The pipeline its runs run.
        evaluation_fn: ``fn(context)`` returning/yielding RunRequests or a SkipReason.
        solid_selection: Solid selection of its runs.
        mode: Mode of its runs.
        minimum_interval_seconds: How often, at most, it is evaluated (default 30).
        description: A human-readable description.
    """

    def __init__(self, name: str, pipeline_name: str, evaluation_fn: Callable[..., Any],
                 solid_selection: Sequence[str] | None = None, mode: str | None = None,
                 minimum_interval_seconds: int | None = None,
                 description: str | None = None) -> None:
        self.name = check_valid_name(name, "sensor name")
        if not pipeline_name:
            raise HeadwaterInvalidDefinitionError(f'Sensor "{name}" needs a pipeline_name.')
        self.pipeline_name = pipeline_name
        self._evaluation_fn = evaluation_fn
        self._takes_context = bool(inspect.signature(evaluation_fn).parameters)
        self.solid_selection = list(solid_selection) if solid_selection else None
        self.mode = mode
        interval = (DEFAULT_SENSOR_INTERVAL_SECONDS if minimum_interval_seconds is None
                    else minimum_interval_seconds)
        if interval < 0:
            raise HeadwaterInvalidDefinitionError(
                f'Sensor "{name}": minimum_interval_seconds must be >= 0.')
        self.minimum_interval_seconds = interval
        self.description = description

    def evaluate_tick(self, context: SensorEvaluationContext) -> TickData:
        """The runs this sensor asks for now, and its new cursor."""
        result = self._evaluation_fn(context) if self._takes_context else self._evaluation_fn()
        data = tick_data_from(result, f'Sensor "{self.name}"',
                              cursor=context.cursor if context._cursor_updated else None)
        return TickData(data.run_requests, data.skip_message,
                        context.cursor if context._cursor_updated else None)

    def __repr__(self) -> str:
        return f"<SensorDefinition {self.name!r}>"


def sensor(pipeline_name: str, name: str | None = None,
           solid_selection: Sequence[str] | None = None, mode: str | None = None,
           minimum_interval_seconds: int | None = None,
           description: str | None = None) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """Define a sensor from ``fn(context)``.

    Example:
        >>> @sensor(pipeline_name="ingest", minimum_interval_seconds=10)
        ... def new_files(context):
        ...     for path in sorted(os.listdir(INBOX)):
        ...         yield RunRequest(run_key=path, run_config=config_for(path))
    """

    def decorator(fn: Callable[..., Any]) -> SensorDefinition:
        return SensorDefinition(name or fn.__name__, pipeline_name, fn, solid_selection, mode,
                                minimum_interval_seconds, description or fn.__doc__)

    return decorator


def asset_sensor(asset_key: AssetKey | str | Sequence[str], pipeline_name: str,
                 name: str | None = None, solid_selection: Sequence[str] | None = None,
                 mode: str | None = None, minimum_interval_seconds: int | None = None,
                 description: str | None = None
                 ) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """A sensor called once for each new materialization of ``asset_key``:
    ``fn(context, asset_event)`` where ``asset_event`` is the EventLogEntry. Its cursor is the
    storage id of the last materialization seen."""
    key = AssetKey.coerce(asset_key)

    def decorator(fn: Callable[..., Any]) -> SensorDefinition:
        def evaluate(context: SensorEvaluationContext) -> Any:
            if context.instance is None:
                raise HeadwaterInvalidDefinitionError(
                    f'Asset sensor "{name or fn.__name__}" needs an instance to read '
                    "materializations from.")
            after = int(context.cursor) if context.cursor else -1
            records = context.instance.events_for_asset_key(key, cursor=after, ascending=True)
            requests = []
            for record in records:
                result = fn(context, record.entry)
                requests.extend(tick_data_from(result, f'Asset sensor "{key}"').run_requests)
                context.update_cursor(str(record.storage_id))
            return requests

        return SensorDefinition(name or fn.__name__, pipeline_name, evaluate, solid_selection,
                                mode, minimum_interval_seconds, description or fn.__doc__)

    return decorator


class RunStatusSensorContext:
    """What a run-status sensor's function receives: the run and the instance."""

    def __init__(self, sensor_name: str, pipeline_run: Any, instance: Any,
                 failure_event: Any = None) -> None:
        self.sensor_name = sensor_name
        self.pipeline_run = pipeline_run
        self.instance = instance
        self.failure_event = failure_event


def run_status_sensor(pipeline_run_status: Any, pipeline_name: str | None = None,
                      name: str | None = None, minimum_interval_seconds: int | None = None,
                      description: str | None = None
                      ) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """A sensor called once for each run that reaches ``pipeline_run_status`` (of
    ``pipeline_name``, or any pipeline): ``fn(context: RunStatusSensorContext)``. It launches
    nothing itself (alerting, bookkeeping); its cursor is the last run update it saw."""
    status = str(getattr(pipeline_run_status, "value", pipeline_run_status))
    event_type = _EVENT_FOR_STATUS.get(status)
    if event_type is None:
        raise HeadwaterInvalidDefinitionError(
            f"run_status_sensor watches runs starting or ending: one of "
            f"{sorted(_EVENT_FOR_STATUS)}, not {status}.")

    def decorator(fn: Callable[..., Any]) -> SensorDefinition:
        sensor_name = name or fn.__name__

        def evaluate(context: SensorEvaluationContext) -> None:
            if context.instance is None:
                raise HeadwaterInvalidDefinitionError(
                    f'Run status sensor "{sensor_name}" needs an instance to read runs from.')
            records = context.instance.get_event_records(
                cursor=int(context.cursor) if context.cursor else -1, of_type=event_type)
            if context.cursor is None:
                # First evaluation: start from now, not from every run ever recorded.
                context.update_cursor(str(records[-1].storage_id if records else -1))
                return
            for record in records:
                run = context.instance.get_run_by_id(record.entry.run_id)
                if run is not None and pipeline_name in (None, run.pipeline_name):
                    fn(RunStatusSensorContext(sensor_name, run, context.instance,
                                              record.entry))
                context.update_cursor(str(record.storage_id))

        return SensorDefinition(sensor_name, pipeline_name or "*", evaluate, None, None,
                                minimum_interval_seconds, description or fn.__doc__)

    return decorator


def run_failure_sensor(pipeline_name: str | None = None, name: str | None = None,
                       minimum_interval_seconds: int | None = None,
                       description: str | None = None
                       ) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """A run-status sensor for failed runs (``context.failure_event`` holds the failure)."""
    return run_status_sensor("FAILURE", pipeline_name, name, minimum_interval_seconds,
                             description)


