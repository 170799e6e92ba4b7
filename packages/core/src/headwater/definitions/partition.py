"""Partitions: a pipeline run once per slice of data (a day, a region, a customer).

A partition set names the partitions of a pipeline and says, for each, the run config and
tags of its run. Runs of a partition are tagged ``headwater/partition`` and
``headwater/partition_set``, so they can be found (and backfilled) by partition.
"""

from __future__ import annotations

import calendar
import datetime as dt
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.definitions.cron import UTC, timezone
from headwater.definitions.frozen import FrozenDefinition
from headwater.definitions.utils import check_valid_name, normalize_tags
from headwater.errors import HeadwaterInvalidDefinitionError

PARTITION_TAG = "headwater/partition"
PARTITION_SET_TAG = "headwater/partition_set"
BACKFILL_TAG = "headwater/backfill"


@dataclass(frozen=True)
class Partition:
    """One partition: a value (a date, a region) and its name (``str(value)`` by default)."""

    value: Any
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", str(self.value))


PartitionFn = Callable[..., Sequence[Partition | str]]


class PartitionSetDefinition(FrozenDefinition):
    """The partitions of a pipeline and the run of each.

    Args:
        name: The partition set's name.
        pipeline_name: The pipeline its runs run.
        partition_fn: ``fn()`` or ``fn(current_time)`` returning Partitions or names.
        solid_selection: Solid selection of its runs.
        mode: Mode of its runs.
        run_config_fn_for_partition: ``fn(partition) -> run_config``.
        tags_fn_for_partition: ``fn(partition) -> tags``.
    """

    def __init__(self, name: str, pipeline_name: str, partition_fn: PartitionFn | None = None,
                 solid_selection: Sequence[str] | None = None, mode: str | None = None,
                 run_config_fn_for_partition: Callable[[Partition], dict] | None = None,
                 tags_fn_for_partition: Callable[[Partition], dict] | None = None) -> None:
        self.name = check_valid_name(name, "partition set name")
        self.pipeline_name = pipeline_name
        if partition_fn is None or not callable(partition_fn):
            raise HeadwaterInvalidDefinitionError(
                f'Partition set "{name}" needs a partition_fn returning its partitions.')
        self._partition_fn = partition_fn
        self._takes_time = bool(inspect.signature(partition_fn).parameters)
        self.solid_selection = list(solid_selection) if solid_selection else None
        self.mode = mode
        self._run_config_fn = run_config_fn_for_partition or (lambda _partition: {})
        self._tags_fn = tags_fn_for_partition or (lambda _partition: {})

    def get_partitions(self, current_time: dt.datetime | None = None) -> list[Partition]:
        """Every partition, as of ``current_time`` (now when None)."""
        now = current_time or dt.datetime.now(UTC)
        raw = self._partition_fn(now) if self._takes_time else self._partition_fn()
        return [p if isinstance(p, Partition) else Partition(p) for p in raw]

    def get_partition_names(self, current_time: dt.datetime | None = None) -> list[str]:
        return [p.name for p in self.get_partitions(current_time)]

    def get_partition(self, name: str, current_time: dt.datetime | None = None) -> Partition:
        for partition in self.get_partitions(current_time):
            if partition.name == name:
                return partition
        raise HeadwaterInvalidDefinitionError(
            f'Partition set "{self.name}" has no partition "{name}".')

    def run_config_for_partition(self, partition: Partition) -> dict[str, Any]:
        return dict(self._run_config_fn(partition) or {})

    def tags_for_partition(self, partition: Partition) -> dict[str, str]:
        tags = normalize_tags(self._tags_fn(partition), f'partition set "{self.name}"')
        tags[PARTITION_TAG] = partition.name
        tags[PARTITION_SET_TAG] = self.name
        return tags

    def create_schedule_definition(self, schedule_name: str, cron_schedule: str,
                                   partition_selector: Callable[..., Partition | None],
                                   should_execute: Callable[..., bool] | None = None,
                                   environment_vars: dict[str, str] | None = None,
                                   execution_timezone: str | None = None,
                                   description: str | None = None) -> Any:
        """A schedule that, at each tick, runs the partition ``partition_selector(context,
        partition_set)`` picks (e.g. :func:`identity_partition_selector`)."""
        from headwater.definitions.schedule import ScheduleDefinition

        def execution_fn(context: Any) -> Any:
            from headwater.definitions.run_request import RunRequest, SkipReason

            partition = partition_selector(context, self)
            if partition is None:
                return SkipReason("The partition selector chose no partition for this tick.")
            return RunRequest(None, self.run_config_for_partition(partition),
                              self.tags_for_partition(partition))

        return ScheduleDefinition(
            name=schedule_name, cron_schedule=cron_schedule, pipeline_name=self.pipeline_name,
            execution_fn=execution_fn, solid_selection=self.solid_selection,
            mode=self.mode or "default", should_execute=should_execute,
            environment_vars=environment_vars, execution_timezone=execution_timezone,
            description=description, partition_set=self)

    def __repr__(self) -> str:
        return f"<PartitionSetDefinition {self.name!r}>"


_DELTAS = {"minutes", "hours", "days", "weeks", "months"}
_DEFAULT_FORMATS = {"minutes": "%Y-%m-%d-%H:%M", "hours": "%Y-%m-%d-%H:%M",
                    "days": "%Y-%m-%d", "weeks": "%Y-%m-%d", "months": "%Y-%m"}


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def step_forward(moment: dt.datetime, delta_range: str, count: int = 1) -> dt.datetime:
    """``moment`` moved by ``count`` units of ``delta_range`` in wall-clock time."""
    if delta_range == "months":
        return _add_months(moment, count)
    return moment + dt.timedelta(**{delta_range: count})


def date_partition_range(start: dt.datetime, end: dt.datetime | None = None,
                         delta_range: str = "days", fmt: str | None = None,
                         inclusive: bool = False, timezone_name: str | None = None
                         ) -> Callable[[dt.datetime | None], list[Partition]]:
    """A partition_fn of one partition per ``delta_range`` from ``start``.

    Without ``end``, partitions run up to the current time: a partition is included once it
    is complete (its end is not after now). ``inclusive`` includes ``end`` itself.

    Args:
        start: The first partition's start.
        end: The last partition's bound (None: up to the current time).
        delta_range: "minutes", "hours", "days", "weeks" or "months".
        fmt: strftime format of partition names (default per delta_range).
        inclusive: Include a partition starting at ``end``.
        timezone_name: IANA time zone of the partitions (default UTC).
    """
    if delta_range not in _DELTAS:
        raise HeadwaterInvalidDefinitionError(
            f'date_partition_range delta_range must be one of {sorted(_DELTAS)}, got '
            f'"{delta_range}".')
    if end is not None and end < start:
        raise HeadwaterInvalidDefinitionError(
            f"date_partition_range: end {end} is before start {start}.")
    tz = timezone(timezone_name)
    name_format = fmt or _DEFAULT_FORMATS[delta_range]

    def partitions(current_time: dt.datetime | None = None) -> list[Partition]:
        first = start if start.tzinfo is not None else start.replace(tzinfo=tz)
        limit = end if end is not None else (current_time or dt.datetime.now(UTC))
        if limit.tzinfo is None:
            limit = limit.replace(tzinfo=tz)
        found: list[Partition] = []
        index = 0
        while True:
            begin = step_forward(first, delta_range, index)
            finish = step_forward(first, delta_range, index + 1)
            if end is None:
                if finish > limit:
                    break
            elif begin > limit or (begin == limit and not inclusive):
                break
            found.append(Partition(begin, begin.astimezone(tz).strftime(name_format)))
            index += 1
        return found

    return partitions


def static_partitions(names: Sequence[str]) -> Callable[[], list[Partition]]:
    """A partition_fn of fixed partitions: ``static_partitions(["eu", "us", "apac"])``."""
    fixed = [Partition(name) for name in names]
    return lambda: list(fixed)


def identity_partition_selector(context: Any, partition_set: PartitionSetDefinition
                                ) -> Partition | None:
    """The latest partition that exists at the tick's scheduled time."""
    partitions = partition_set.get_partitions(context.scheduled_execution_time)
    return partitions[-1] if partitions else None


def create_offset_partition_selector(execution_time_to_partition_fn: Callable[[dt.datetime],
                                                                              dt.datetime]
                                     ) -> Callable[[Any, PartitionSetDefinition],
                                                   Partition | None]:
    """A selector picking the partition whose value is
    ``execution_time_to_partition_fn(scheduled_time)``."""

    def selector(context: Any, partition_set: PartitionSetDefinition) -> Partition | None:
        target = execution_time_to_partition_fn(context.scheduled_execution_time)
        for partition in partition_set.get_partitions(context.scheduled_execution_time):
            if partition.value == target:
                return partition
        return None

    return selector
