"""``pagerduty_resource``: PagerDuty Events API v2 for solids and hooks."""

from __future__ import annotations

from typing import Any

from headwater import Field, StringSource, resource
from headwater_pagerduty.errors import (
    EVENT_ACTIONS,
    HeadwaterPagerDutyError,
    check_severity,
    scrub,
)

DEFAULT_EVENTS_API_URL = "https://events.pagerduty.com"


def make_events_client(routing_key: str, events_api_url: str = DEFAULT_EVENTS_API_URL,
                       max_attempts: int = 3, timeout: float = 10.0) -> Any:
    """PagerDuty's official Events API v2 client, with bounded retries.

    Args:
        routing_key: The integration key of a PagerDuty service.
        events_api_url: The Events API's base URL (the client accepts https only).
        max_attempts: Tries per event when the network fails (the first one included).
        timeout: Seconds to wait for an answer.
    """
    from pagerduty import EventsApiV2Client

    client = EventsApiV2Client(routing_key, base_url=events_api_url)
    retries = max(0, max_attempts - 1)
    client.max_network_attempts = retries
    # The client's defaults retry 429 without limit and 5xx up to 6 times, waiting 1.5 s
    # and doubling: a failing send could go on for minutes. Every retry is bounded alike
    # (0 would mean the client's default, so these statuses get at least one retry).
    for status in (429, 500, 502, 503, 504):
        client.retry[status] = max(1, retries)
    client.sleep_timer = 0.25
    client.timeout = timeout
    return client


class PagerDutyService:
    """Sends events to one PagerDuty service through the Events API v2.

    Args:
        routing_key: The integration key of the service.
        events_api_url: The Events API's base URL.
    """

    def __init__(self, routing_key: str, events_api_url: str = DEFAULT_EVENTS_API_URL) -> None:
        if not events_api_url.startswith("https://"):
            raise HeadwaterPagerDutyError(
                f'events_api_url "{events_api_url}" of pagerduty_resource is not an https URL; '
                f"PagerDuty's client sends events over https only. Use {DEFAULT_EVENTS_API_URL}"
                " (or your region's Events API).")
        self._routing_key = routing_key
        self.client = make_events_client(routing_key, events_api_url)

    def EventV2_create(
        self, summary: str | None = None, source: str | None = None,
        severity: str | None = None, event_action: str = "trigger",
        dedup_key: str | None = None, timestamp: str | None = None,
        component: str | None = None, group: str | None = None,
        event_class: str | None = None, custom_details: dict[str, Any] | None = None,
        links: list[dict[str, str]] | None = None,
    ) -> str:
        """Send one event; returns its ``dedup_key`` (PagerDuty makes one for a trigger
        without it).

        Args:
            summary: What is wrong (``trigger`` only; PagerDuty keeps 1024 characters).
            source: The system affected, e.g. a host or pipeline name (``trigger`` only).
            severity: ``info``, ``warning``, ``error`` or ``critical`` (``trigger`` only).
            event_action: ``trigger``, ``acknowledge`` or ``resolve``.
            dedup_key: Groups events into one alert; required to acknowledge or resolve.
            timestamp: ISO 8601 time the problem was detected.
            component / group / event_class: Where and what, for PagerDuty's grouping.
            custom_details: Free-form details shown on the alert.
            links: ``[{"href": ..., "text": ...}]`` shown on the alert.

        Raises:
            ValueError: an unknown action or severity, or a missing field.
            HeadwaterPagerDutyError: PagerDuty refused the event or could not be reached.
        """
        if event_action not in EVENT_ACTIONS:
            raise ValueError(f'event_action "{event_action}" is not one of '
                             f"{', '.join(EVENT_ACTIONS)}.")
        properties: dict[str, Any] = {}
        if event_action == "trigger":
            if not summary or not source or not severity:
                raise ValueError("A trigger event needs summary, source and severity.")
            payload: dict[str, Any] = {"summary": summary, "source": source,
                                       "severity": check_severity(severity, "EventV2_create")}
            optional = {"timestamp": timestamp, "component": component, "group": group,
                        "class": event_class, "custom_details": custom_details}
            payload.update({key: value for key, value in optional.items() if value is not None})
            properties["payload"] = payload
            if links:
                properties["links"] = links
        elif dedup_key is None:
            raise ValueError(f"A {event_action} event needs the dedup_key of its alert.")
        from pagerduty import Error

        # The client's own error can quote part of the key (401): only our sentence, which
        # never does, goes on.
        try:
            result: str = self.client.send_event(event_action, dedup_key=dedup_key,
                                                 **properties)
        except Error as error:
            raise HeadwaterPagerDutyError(describe_failure(error, self.client.url,
                                                           self._routing_key)) from None
        return result


def describe_failure(error: BaseException, events_api_url: str, routing_key: str) -> str:
    """A sentence for an event PagerDuty did not take: what it said, and what to check."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if status in (400, 401, 403, 404) and "routing" in (getattr(response, "text", "") or "").lower():
        text = (f"PagerDuty at {events_api_url} refused the routing key (HTTP {status}): "
                "set routing_key to the integration key of an Events API v2 integration of "
                "the service.")
    elif status is not None:
        text = (f"PagerDuty at {events_api_url} refused the event (HTTP {status}): "
                f"{getattr(response, 'text', '')[:300]}")
    else:
        text = (f"PagerDuty at {events_api_url} could not be reached: "
                f"{str(error).rstrip('.')}. Check the URL and the network.")
    return scrub(text, routing_key)


@resource(
    config_schema={
        "routing_key": Field(StringSource, description="The integration key of an Events API "
                                                       "v2 integration; give it as "
                                                       "{env: PAGERDUTY_ROUTING_KEY}."),
        "events_api_url": Field(StringSource, default_value=DEFAULT_EVENTS_API_URL,
                                description="The Events API's base URL (https)."),
    },
    description="Send PagerDuty Events API v2 events (EventV2_create).",
)
def pagerduty_resource(init_context: Any) -> PagerDutyService:
    """A :class:`PagerDutyService` for the configured routing key."""
    config = init_context.resource_config
    return PagerDutyService(config["routing_key"], config["events_api_url"])
