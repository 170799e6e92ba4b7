"""The errors headwater-pagerduty raises. Messages never contain the routing key."""

from __future__ import annotations

from headwater import HeadwaterError

SEVERITIES = ("info", "warning", "error", "critical")
EVENT_ACTIONS = ("trigger", "acknowledge", "resolve")


class HeadwaterPagerDutyError(HeadwaterError):
    """PagerDuty refused an event, or could not be reached."""


def check_severity(severity: str, where: str) -> str:
    """``severity`` if PagerDuty accepts it, else a ValueError naming ``where`` and the choices."""
    if severity not in SEVERITIES:
        raise ValueError(f'{where}: severity "{severity}" is not one PagerDuty accepts; use '
                         f"one of {', '.join(SEVERITIES)}.")
    return severity


def scrub(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` blanked out, should an error message quote it."""
    return text.replace(secret, "***") if secret else text
