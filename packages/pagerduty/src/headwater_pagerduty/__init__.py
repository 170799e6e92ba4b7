"""Headwater and PagerDuty (Events API v2, through PagerDuty's ``pagerduty`` client).

* ``pagerduty_resource``: ``EventV2_create(summary, source, severity, ...)`` for solids.
* ``pagerduty_on_failure(severity, summary_fn)``: a failure hook, an alert per failed step.
* A lifecycle plugin: enabled in the instance's headwater.yaml, a failed run opens its
  pipeline's incident and the next successful run resolves it, with no pipeline code::

      # $HEADWATER_HOME/headwater.yaml
      plugins:
        pagerduty:
          config:
            routing_key: {env: PAGERDUTY_ROUTING_KEY}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "DELIVERY": "headwater_pagerduty.alerting",
    "PagerDutyAlerter": "headwater_pagerduty.alerting",
    "PagerDutySettings": "headwater_pagerduty.alerting",
    "HeadwaterPagerDutyError": "headwater_pagerduty.errors",
    "pagerduty_on_failure": "headwater_pagerduty.hooks",
    "PagerDutyService": "headwater_pagerduty.resources",
    "pagerduty_resource": "headwater_pagerduty.resources",
}

__version__ = "0.1.0"


def flush(timeout: float = 10.0) -> bool:
    """Wait until the events of finished runs are sent, at most ``timeout`` seconds (a
    process also waits for them as it exits, up to ``flush_timeout``).

    Returns:
        True when nothing is left to send.
    """
    from headwater_pagerduty.alerting import DELIVERY

    return DELIVERY.wait(timeout)


__all__ = ["HeadwaterPagerDutyError", "PagerDutyAlerter", "PagerDutyService",
           "PagerDutySettings", "flush", "pagerduty_on_failure", "pagerduty_resource"]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_pagerduty.alerting import PagerDutyAlerter, PagerDutySettings
    from headwater_pagerduty.errors import HeadwaterPagerDutyError
    from headwater_pagerduty.hooks import pagerduty_on_failure
    from headwater_pagerduty.resources import PagerDutyService, pagerduty_resource
