"""Cron schedules in a time zone, with daylight-saving changes handled.

Cron expressions describe wall-clock times. A time that does not exist on a given day (in
the hour skipped when clocks go forward) fires as much later as the clocks jumped: 02:30
becomes 03:30 on the night clocks go from 02:00 to 03:00. A time that happens twice (in the
hour repeated when clocks go back) fires once, at its first occurrence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from headwater.errors import HeadwaterInvalidDefinitionError

UTC = dt.UTC


@lru_cache(maxsize=64)
def timezone(name: str | None) -> dt.tzinfo:
    """The tz for an IANA name (``"Europe/Berlin"``); UTC when None."""
    if name is None or name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HeadwaterInvalidDefinitionError(
            f'"{name}" is not a known time zone; use an IANA name such as "Europe/Berlin" or '
            '"America/New_York".') from None


def check_cron(cron_schedule: str, where: str) -> str:
    """``cron_schedule`` if croniter accepts it, else a definition error naming ``where``."""
    from croniter import CroniterBadDateError, croniter  # imported here: slow to import

    if not isinstance(cron_schedule, str) or not croniter.is_valid(cron_schedule):
        raise HeadwaterInvalidDefinitionError(
            f'{where} has the cron schedule {cron_schedule!r}, which is not valid cron '
            '(five fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *").')
    try:
        # From a leap year's first day, any date a cron can name comes within croniter's
        # search: one that finds none names a day that does not exist (February 31st).
        croniter(cron_schedule, dt.datetime(2000, 1, 1)).get_next(dt.datetime)
    except CroniterBadDateError:
        raise HeadwaterInvalidDefinitionError(
            f"{where} has the cron schedule {cron_schedule!r}, which never fires: no date "
            "matches its day-of-month and month (and day-of-week) fields together. Name a "
            'day that exists, e.g. "0 0 28 2 *" for February 28th.') from None
    return cron_schedule


def _localize(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """Wall time ``naive`` in ``tz``: moved forward across a gap, the first of a repeated
    hour."""
    aware = naive.replace(tzinfo=tz, fold=0)
    # For a wall time in a gap, the fold=0 reading is the instant it would be under the
    # offset before the change; converting it back shows the wall time after the jump.
    return aware.astimezone(UTC).astimezone(tz)


def fire_times(cron_schedule: str, after: dt.datetime, tz_name: str | None = None
               ) -> Iterator[dt.datetime]:
    """The instants (tz-aware, in the schedule's zone) a cron schedule fires strictly after
    ``after`` (any aware datetime), in order, with each instant once."""
    from croniter import croniter

    tz = timezone(tz_name)
    start_local = after.astimezone(tz)
    iterator = croniter(cron_schedule, start_local.replace(tzinfo=None, fold=0))
    previous: dt.datetime | None = None
    while True:
        naive = iterator.get_next(dt.datetime)
        fire = _localize(naive, tz)
        if fire <= after or (previous is not None and fire <= previous):
            continue
        previous = fire
        yield fire
