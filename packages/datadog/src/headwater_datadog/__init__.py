"""Headwater and Datadog.

* ``datadog_resource``: DogStatsD (``gauge``, ``increment``, ``histogram``, ``event``, ...)
  and the HTTP API inside solids.
* A lifecycle plugin: enabled in the instance's headwater.yaml, every run sends its run
  and step counts, durations and retries to DogStatsD, and a failed run posts an event,
  with no pipeline code::

      # $HEADWATER_HOME/headwater.yaml
      plugins:
        datadog:
          config:
            statsd_host: localhost
            api_key: {env: DD_API_KEY}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "DELIVERY": "headwater_datadog.observer",
    "DatadogObserver": "headwater_datadog.observer",
    "DatadogSettings": "headwater_datadog.observer",
    "DataDogResource": "headwater_datadog.resources",
    "datadog_resource": "headwater_datadog.resources",
}

__version__ = "0.1.0"


def flush(timeout: float = 10.0) -> bool:
    """Wait until the metrics and events of finished runs are sent, at most ``timeout``
    seconds (a process also waits for them as it exits, up to ``flush_timeout``).

    Returns:
        True when nothing is left to send.
    """
    from headwater_datadog.observer import DELIVERY

    return DELIVERY.wait(timeout)


__all__ = ["DataDogResource", "DatadogObserver", "DatadogSettings", "datadog_resource",
           "flush"]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_datadog.observer import DatadogObserver, DatadogSettings
    from headwater_datadog.resources import DataDogResource, datadog_resource
