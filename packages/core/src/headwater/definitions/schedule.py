"""Schedules: run a pipeline at the times a cron expression names, in a time zone.

The daemon's scheduler evaluates a schedule at each of its ticks (exactly once per tick,
also across daemon restarts). Evaluation returns the runs to launch: by default one run
with the schedule's run config and tags, unless ``should_execute`` says no.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from headwater.definitions.cron import check_cron, fire_times, timezone
from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.partition import (
    Partition,
    PartitionSetDefinition,
    date_partition_range,
    step_forward,
)
from headwater.definitions.run_request import RunRequest, TickData, tick_data_from
from headwater.definitions.utils import DEFAULT_MODE, check_valid_name, normalize_tags
from headwater.errors import HeadwaterInvalidDefinitionError

SCHEDULE_NAME_TAG = "headwater/schedule_name"
SCHEDULED_TIME_TAG = "headwater/scheduled_execution_time"


class ScheduleEvaluationContext:
    """What a schedule's functions receive.

    Attributes:
        instance: The instance (None in a test without one).
        scheduled_execution_time: The tick's time (tz-aware, in the schedule's zone).
    """

    __slots__ = ("instance", "scheduled_execution_time")

    def __init__(self, instance: Any = None,
                 scheduled_execution_time: dt.datetime | None = None) -> None:
        self.instance = instance
        self.scheduled_execution_time = scheduled_execution_time


def build_schedule_context(instance: Any = None,
                           scheduled_execution_time: dt.datetime | None = None
                           ) -> ScheduleEvaluationContext:
    """A context for evaluating a schedule in a test."""
    return ScheduleEvaluationContext(instance, scheduled_execution_time)


def _call_optional_context(fn: Callable[..., Any], context: Any) -> Any:
    return fn(context) if inspect.signature(fn).parameters else fn()


class ScheduleDefinition(FrozenDefinition):
    """A pipeline to run on a cron schedule.

    Args:
        name: The schedule's name.
        cron_schedule: When, as cron (five fields), in ``execution_timezone``.
        pipeline_name: The pipeline to run (in the same repository).
        run_config: The runs' config, or
        run_config_fn: ``fn(context) -> run_config``.
        tags / tags_fn: The runs' tags, fixed or ``fn(context) -> tags``.
        solid_selection: Solid selection of the runs.
        mode: Mode of the runs.
        should_execute: ``fn(context) -> bool``; False skips the tick.
        environment_vars: Environment variables of the runs' processes.
        execution_timezone: IANA time zone of the cron schedule (default UTC).
        execution_fn: Lowest level: ``fn(context)`` returning/yielding RunRequests or a
            SkipReason (exclusive with run_config/run_config_fn/should_execute/tags_fn).
        description: A human-readable description.
    """

    def __init__(self, name: str | None = None, cron_schedule: str | None = None,
                 pipeline_name: str | None = None, run_config: Mapping[str, Any] | None = None,
                 run_config_fn: Callable[..., Any] | None = None,
                 tags: Mapping[str, Any] | None = None, tags_fn: Callable[..., Any] | None = None,
                 solid_selection: Sequence[str] | None = None, mode: str = DEFAULT_MODE,
                 should_execute: Callable[..., bool] | None = None,
                 environment_vars: Mapping[str, str] | None = None,
                 execution_timezone: str | None = None,
                 execution_fn: Callable[..., Any] | None = None,
                 description: str | None = None,
                 partition_set: PartitionSetDefinition | None = None) -> None:
        if not name:
            raise HeadwaterInvalidDefinitionError("A schedule needs a name.")
        self.name = check_valid_name(name, "schedule name")
        where = f'Schedule "{name}"'
        if not pipeline_name:
            raise HeadwaterInvalidDefinitionError(f"{where} needs a pipeline_name.")
        self.cron_schedule = check_cron(cron_schedule or "", where)
        self.pipeline_name = pipeline_name
        if run_config is not None and run_config_fn is not None:
            raise HeadwaterInvalidDefinitionError(
                f"{where}: give run_config or run_config_fn, not both.")
        if tags is not None and tags_fn is not None:
            raise HeadwaterInvalidDefinitionError(f"{where}: give tags or tags_fn, not both.")
        if execution_fn is not None and (run_config is not None or run_config_fn is not None
                                         or tags_fn is not None):
            raise HeadwaterInvalidDefinitionError(
                f"{where}: execution_fn produces the run requests itself; it cannot be combined "
                "with run_config, run_config_fn or tags_fn.")
        timezone(execution_timezone)  # fail now on an unknown zone
        self.execution_timezone = execution_timezone
        self.run_config = dict(run_config or {})
        self._run_config_fn = run_config_fn
        self.tags = normalize_tags(tags, where)
        self._tags_fn = tags_fn
        self.solid_selection = list(solid_selection) if solid_selection else None
        self.mode = mode
        self._should_execute = should_execute
        self.environment_vars = dict(environment_vars or {})
        self._execution_fn = execution_fn
        self.description = description
        self.partition_set = partition_set

    def evaluate_tick(self, context: ScheduleEvaluationContext) -> TickData:
        """The runs this schedule asks for at a tick (raises what the user's code raises)."""
        where = f'Schedule "{self.name}"'
        if self._should_execute is not None and \
                not _call_optional_context(self._should_execute, context):
            return TickData([], f"should_execute function for {self.name} returned false.")
        if self._execution_fn is not None:
            data = tick_data_from(_call_optional_context(self._execution_fn, context), where)
        else:
            run_config = (_call_optional_context(self._run_config_fn, context)
                          if self._run_config_fn is not None else self.run_config)
            tags = (normalize_tags(_call_optional_context(self._tags_fn, context), where)
                    if self._tags_fn is not None else {})
            data = TickData([RunRequest(None, dict(run_config or {}), tags)])
        time_tag = (context.scheduled_execution_time.isoformat()
                    if context.scheduled_execution_time is not None else None)
        requests = [
            RunRequest(request.run_key, request.run_config,
                       {**self.tags, **request.tags, SCHEDULE_NAME_TAG: self.name,
                        **({SCHEDULED_TIME_TAG: time_tag} if time_tag else {})})
            for request in data.run_requests
        ]
        return TickData(requests, data.skip_message)

    def fire_times(self, after: dt.datetime) -> Iterator[dt.datetime]:
        """The schedule's tick times strictly after ``after``, in order."""
        return fire_times(self.cron_schedule, after, self.execution_timezone)

    def __repr__(self) -> str:
        return f"<ScheduleDefinition {self.name!r} {self.cron_schedule!r}>"


def schedule(cron_schedule: str, pipeline_name: str, name: str | None = None,
             tags: Mapping[str, Any] | None = None, tags_fn: Callable[..., Any] | None = None,
             solid_selection: Sequence[str] | None = None, mode: str = DEFAULT_MODE,
             should_execute: Callable[..., bool] | None = None,
             environment_vars: Mapping[str, str] | None = None,
             execution_timezone: str | None = None, description: str | None = None) -> Any:
    """Define a schedule from ``fn(context) -> run_config`` (the context is optional).

    Example:
        >>> @schedule("0 3 * * *", pipeline_name="daily_orders",
        ...           execution_timezone="Europe/Berlin")
        ... def nightly(context):
        ...     return {"solids": {"load": {"config": {
        ...         "day": context.scheduled_execution_time.strftime("%Y-%m-%d")}}}}
    """

    def decorator(fn: Callable[..., Any]) -> ScheduleDefinition:
        return ScheduleDefinition(
            name=name or fn.__name__, cron_schedule=cron_schedule, pipeline_name=pipeline_name,
            run_config_fn=fn, tags=tags, tags_fn=tags_fn, solid_selection=solid_selection,
            mode=mode, should_execute=should_execute, environment_vars=environment_vars,
            execution_timezone=execution_timezone, description=description or fn.__doc__)

    return decorator


def _partitioned_schedule(delta_range: str, cron_schedule: str, pipeline_name: str,
                          start_date: dt.datetime, name: str | None, offset: int,
                          end_date: dt.datetime | None, execution_timezone: str | None,
                          tags_fn_for_date: Callable[[dt.datetime], Any] | None,
                          solid_selection: Sequence[str] | None, mode: str,
                          should_execute: Callable[..., bool] | None,
                          environment_vars: Mapping[str, str] | None,
                          description: str | None) -> Callable[..., ScheduleDefinition]:
    if not isinstance(start_date, dt.datetime):
        raise HeadwaterInvalidDefinitionError(
            f"A partitioned schedule's start_date must be a datetime, got {start_date!r}.")
    if offset < 0:
        raise HeadwaterInvalidDefinitionError("A partition offset must be >= 0.")
    fmt = "%Y-%m" if delta_range == "months" else (
        "%Y-%m-%d-%H:%M" + ("%z" if execution_timezone else "")
        if delta_range == "hours" else "%Y-%m-%d")
    tz = timezone(execution_timezone)

    def decorator(fn: Callable[[dt.datetime], Any]) -> ScheduleDefinition:
        schedule_name = name or fn.__name__
        partition_set = PartitionSetDefinition(
            name=f"{schedule_name}_partitions", pipeline_name=pipeline_name,
            partition_fn=date_partition_range(start_date, end_date, delta_range, fmt,
                                              inclusive=end_date is not None,
                                              timezone_name=execution_timezone),
            solid_selection=solid_selection, mode=mode,
            run_config_fn_for_partition=lambda partition: fn(partition.value),
            tags_fn_for_partition=(lambda partition: tags_fn_for_date(partition.value))
            if tags_fn_for_date else None)

        def selector(context: Any, partitions: PartitionSetDefinition) -> Partition | None:
            tick = context.scheduled_execution_time.astimezone(tz)
            target = step_forward(_period_start(tick, delta_range, start_date), delta_range,
                                  -offset)
            name_wanted = target.strftime(fmt)
            for partition in partitions.get_partitions(context.scheduled_execution_time
                                                       + dt.timedelta(days=400)):
                if partition.name == name_wanted:
                    return partition
            return None

        return partition_set.create_schedule_definition(
            schedule_name, cron_schedule, selector, should_execute=should_execute,
            environment_vars=dict(environment_vars or {}), execution_timezone=execution_timezone,
            description=description or fn.__doc__)

    return decorator


def _period_start(moment: dt.datetime, delta_range: str, start_date: dt.datetime) -> dt.datetime:
    """The start of the period (hour/day/week/month) containing ``moment``."""
    if delta_range == "hours":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if delta_range == "days":
        return day
    if delta_range == "weeks":
        anchor = start_date.weekday()
        return day - dt.timedelta(days=(day.weekday() - anchor) % 7)
    return day.replace(day=1)


def _time_fields(execution_time: dt.time) -> tuple[int, int]:
    return execution_time.minute, execution_time.hour


def daily_schedule(pipeline_name: str, start_date: dt.datetime, name: str | None = None,
                   execution_time: dt.time = dt.time(0, 0),
                   tags_fn_for_date: Callable[[dt.datetime], Any] | None = None,
                   solid_selection: Sequence[str] | None = None, mode: str = DEFAULT_MODE,
                   should_execute: Callable[..., bool] | None = None,
                   environment_vars: Mapping[str, str] | None = None,
                   end_date: dt.datetime | None = None, execution_timezone: str | None = None,
                   partition_days_offset: int = 1, description: str | None = None) -> Any:
    """A schedule that runs each day at ``execution_time`` for a daily partition:
    ``fn(date) -> run_config``; on day N it fills the partition of day N - offset."""
    minute, hour = _time_fields(execution_time)
    return _partitioned_schedule("days", f"{minute} {hour} * * *", pipeline_name, start_date,
                                 name, partition_days_offset, end_date, execution_timezone,
                                 tags_fn_for_date, solid_selection, mode, should_execute,
                                 environment_vars, description)


def hourly_schedule(pipeline_name: str, start_date: dt.datetime, name: str | None = None,
                    execution_time: dt.time = dt.time(0, 0),
                    tags_fn_for_date: Callable[[dt.datetime], Any] | None = None,
                    solid_selection: Sequence[str] | None = None, mode: str = DEFAULT_MODE,
                    should_execute: Callable[..., bool] | None = None,
                    environment_vars: Mapping[str, str] | None = None,
                    end_date: dt.datetime | None = None, execution_timezone: str | None = None,
                    partition_hours_offset: int = 1, description: str | None = None) -> Any:
    """A schedule that runs each hour at ``execution_time.minute`` for an hourly partition."""
    return _partitioned_schedule("hours", f"{execution_time.minute} * * * *", pipeline_name,
                                 start_date, name, partition_hours_offset, end_date,
                                 execution_timezone, tags_fn_for_date, solid_selection, mode,
                                 should_execute, environment_vars, description)


def weekly_schedule(pipeline_name: str, start_date: dt.datetime, name: str | None = None,
                    execution_day_of_week: int = 0, execution_time: dt.time = dt.time(0, 0),
                    tags_fn_for_date: Callable[[dt.datetime], Any] | None = None,
                    solid_selection: Sequence[str] | None = None, mode: str = DEFAULT_MODE,
                    should_execute: Callable[..., bool] | None = None,
                    environment_vars: Mapping[str, str] | None = None,
                    end_date: dt.datetime | None = None, execution_timezone: str | None = None,
                    partition_weeks_offset: int = 1, description: str | None = None) -> Any:
    """A schedule that runs weekly (``execution_day_of_week``: 0 = Sunday, as in cron) for a
    weekly partition starting on ``start_date``'s weekday."""
    minute, hour = _time_fields(execution_time)
    return _partitioned_schedule("weeks", f"{minute} {hour} * * {execution_day_of_week}",
                                 pipeline_name, start_date, name, partition_weeks_offset,
                                 end_date, execution_timezone, tags_fn_for_date,
                                 solid_selection, mode, should_execute, environment_vars,
                                 description)


def monthly_schedule(pipeline_name: str, start_date: dt.datetime, name: str | None = None,
                     execution_day_of_month: int = 1, execution_time: dt.time = dt.time(0, 0),
                     tags_fn_for_date: Callable[[dt.datetime], Any] | None = None,
                     solid_selection: Sequence[str] | None = None, mode: str = DEFAULT_MODE,
                     should_execute: Callable[..., bool] | None = None,
                     environment_vars: Mapping[str, str] | None = None,
                     end_date: dt.datetime | None = None, execution_timezone: str | None = None,
                     partition_months_offset: int = 1, description: str | None = None) -> Any:
    """A schedule that runs monthly on ``execution_day_of_month`` for a monthly partition."""
    if not 1 <= execution_day_of_month <= 28:
        raise HeadwaterInvalidDefinitionError(
            "execution_day_of_month must be 1..28, so that every month has it.")
    minute, hour = _time_fields(execution_time)
    return _partitioned_schedule("months", f"{minute} {hour} {execution_day_of_month} * *",
                                 pipeline_name, start_date, name, partition_months_offset,
                                 end_date, execution_timezone, tags_fn_for_date,
                                 solid_selection, mode, should_execute, environment_vars,
                                 description)
