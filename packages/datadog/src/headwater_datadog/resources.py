"""``datadog_resource``: DogStatsD and the Datadog HTTP API inside solids."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

from headwater import Array, Field, IntSource, StringSource, resource

DEFAULT_API_HOST = "https://api.datadoghq.com"

# The DogStatsD methods the resource exposes, as in the legacy DataDogResource.
STATSD_METHODS = ("event", "gauge", "increment", "decrement", "histogram", "distribution",
                  "set", "service_check", "timed", "timing")


def make_statsd(host: str, port: int, tags: list[str]) -> Any:
    """A DogStatsD client of its own (not the ``datadog.statsd`` global), with the client's
    self-telemetry and container-origin detection off: metrics go to ``host:port`` only."""
    from datadog.dogstatsd import DogStatsd

    return DogStatsd(host=host, port=port, constant_tags=list(tags), disable_telemetry=True,
                     origin_detection_enabled=False)


def initialize_api(api_key: str | None, app_key: str | None, api_host: str,
                   timeout: float = 10.0, max_retries: int = 3) -> None:
    """Point the ``datadog.api`` module at ``api_host`` with these keys.

    The client keeps its HTTP settings in module globals, so they are set before each use.
    Errors raise (``mute=False``) so that callers can report them. The host name is this
    machine's, never looked up in cloud metadata.
    """
    import datadog

    datadog.initialize(api_key=api_key, app_key=app_key, api_host=api_host,
                       host_name=socket.gethostname(), hostname_from_config=False,
                       mute=False, timeout=timeout, max_retries=max_retries)


class DataDogResource:
    """DogStatsD methods bound to one client, and the HTTP API.

    ``event, gauge, increment, decrement, histogram, distribution, set, service_check,
    timed, timing`` are those of ``datadog.dogstatsd.DogStatsd`` (the configured ``tags``
    are added to every metric); ``OK, WARNING, CRITICAL, UNKNOWN`` are the service check
    statuses; ``api`` is the ``datadog.api`` module (``api.Event.create(...)``), set up with
    the resource's keys and host.

    Args:
        statsd: The DogStatsD client.
    """

    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3

    def __init__(self, statsd: Any) -> None:
        from datadog import api

        self.statsd = statsd
        self.api = api
        for name in STATSD_METHODS:
            setattr(self, name, getattr(statsd, name))

    def flush(self) -> None:
        """Send what DogStatsD buffered (it buffers nothing unless told to)."""
        self.statsd.flush()


@resource(
    config_schema={
        "api_key": Field(StringSource, is_required=False,
                         description="Datadog API key, for the HTTP API (api.*); give it as "
                                     "{env: DD_API_KEY}. DogStatsD needs none."),
        "app_key": Field(StringSource, is_required=False,
                         description="Datadog application key, for HTTP API reads."),
        "statsd_host": Field(StringSource, default_value="localhost",
                             description="Host of the Datadog agent's DogStatsD (UDP)."),
        "statsd_port": Field(IntSource, default_value=8125,
                             description="Port of the agent's DogStatsD."),
        "api_host": Field(StringSource, default_value=DEFAULT_API_HOST,
                          description="The Datadog site's API URL, e.g. "
                                      "https://api.datadoghq.eu."),
        "tags": Field(Array(str), default_value=[],
                      description='Tags added to every metric, e.g. ["team:data"].'),
    },
    description="DogStatsD metrics and events, and the Datadog HTTP API, for solids.",
)
def datadog_resource(init_context: Any) -> Iterator[DataDogResource]:
    """A :class:`DataDogResource`; its socket is closed when the run ends."""
    config = init_context.resource_config
    initialize_api(config.get("api_key"), config.get("app_key"), config["api_host"])
    statsd = make_statsd(config["statsd_host"], config["statsd_port"], config["tags"])
    try:
        yield DataDogResource(statsd)
    finally:
        statsd.flush()
        statsd.close_socket()
