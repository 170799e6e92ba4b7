"""The lifecycle plugin's logic: one incident per pipeline, opened by a failure, resolved by
the next success.

* A step that fails for good (after its last retry) triggers the pipeline's incident at
  once, with the step's error; a run that fails without a failed step (a resource that did
  not start, a run-level error) triggers it when the run fails. One trigger per run.
* A successful run of the pipeline resolves the incident. The resolve is sent for every
  successful run, whether or not this process saw the failure (runs of one pipeline may
  run in many processes); PagerDuty ignores a resolve for an incident that is not open.
* Every incident of a pipeline has the same ``dedup_key`` (``<dedup_key_prefix>/<pipeline>``),
  so repeated failures add to one open incident rather than page again.

Events are sent by a background thread (``DELIVERY``): a hook only queues them, so
PagerDuty being slow or unreachable never holds a run up. A refused or lost event is
logged once per run, as a warning that never shows the routing key.
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

from headwater.integration import BackgroundDelivery
from headwater_pagerduty.errors import SEVERITIES, scrub
from headwater_pagerduty.resources import describe_failure, make_events_client

logger = logging.getLogger("headwater_pagerduty")

# One background thread per process sends what the hooks saw (see ``BackgroundDelivery``).
DELIVERY = BackgroundDelivery("headwater-pagerduty", "PagerDuty", logger)

# A run tag that sets the severity of its pipeline's incident.
SEVERITY_TAG = "pagerduty/severity"


@dataclass(frozen=True)
class PagerDutySettings:
    """The plugin's settings (``plugins.pagerduty.config`` of headwater.yaml).

    Attributes:
        routing_key: The integration key of an Events API v2 integration.
        events_api_url: The Events API's base URL.
        run_url: Link to a run, with ``{run_id}`` and ``{pipeline}`` filled in, or None.
        source: ``payload.source`` of each alert; this machine's name when None.
        severity: Severity of an incident, unless the run's ``pagerduty/severity`` tag says.
        min_severity: Runs whose severity is below this page nobody.
        pipelines: Only these pipelines page (all when empty).
        tags: Only runs with all these tags (name: value) page.
        dedup_key_prefix: The pipeline's name is appended to make its ``dedup_key``.
        resolve_on_success: Whether a successful run resolves its pipeline's incident.
        max_attempts: Tries per event when the network fails.
        timeout: Seconds to wait for PagerDuty to answer one try.
        flush_timeout: Seconds a process waits, as it exits, for events still unsent.
    """

    routing_key: str = field(repr=False)
    events_api_url: str = "https://events.pagerduty.com"
    run_url: str | None = None
    source: str | None = None
    severity: str = "error"
    min_severity: str = "info"
    pipelines: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    dedup_key_prefix: str = "headwater"
    resolve_on_success: bool = True
    max_attempts: int = 3
    timeout: float = 10.0
    flush_timeout: float = 10.0


def error_text(error: Any) -> str:
    """``ValueError: message`` of a SerializableErrorInfo."""
    if error is None:
        return ""
    name = getattr(error, "cls_name", None)
    message = str(getattr(error, "message", error)).strip()
    return f"{name}: {message}" if name and not message.startswith(name) else message


class PagerDutyAlerter:
    """Turns run and step outcomes into Events API v2 events.

    Args:
        settings: Where to send, and which runs page.
    """

    def __init__(self, settings: PagerDutySettings) -> None:
        self.settings = settings
        self._triggered: set[str] = set()     # runs that already triggered their incident
        self._warned: set[str] = set()        # runs whose failure to send was logged
        self._lock = threading.Lock()
        self._client: Any = None
        DELIVERY.exit_timeout = settings.flush_timeout

    # -- which runs page --------------------------------------------------------------------

    def severity_of(self, run: Any) -> str:
        """The run's ``pagerduty/severity`` tag if it names a severity, else the setting."""
        tagged = (run.tags or {}).get(SEVERITY_TAG)
        return tagged if tagged in SEVERITIES else self.settings.severity

    def pages_for(self, run: Any) -> bool:
        """Whether the filters (pipelines, tags, min_severity) let this run page."""
        settings = self.settings
        if settings.pipelines and run.pipeline_name not in settings.pipelines:
            return False
        tags = run.tags or {}
        if any(tags.get(name) != value for name, value in settings.tags.items()):
            return False
        return SEVERITIES.index(self.severity_of(run)) >= SEVERITIES.index(settings.min_severity)

    def dedup_key(self, pipeline_name: str) -> str:
        """The key every incident of ``pipeline_name`` shares."""
        return f"{self.settings.dedup_key_prefix}/{pipeline_name}"

    # -- hooks ------------------------------------------------------------------------------

    def step_failed(self, run: Any, step_key: str, error: Any) -> None:
        self._trigger(run, f'Headwater pipeline "{run.pipeline_name}" failed: step '
                           f'"{step_key}" raised {error_text(error)}',
                      {"failed_step": step_key, "error": error_text(error),
                       "stack": "".join(getattr(error, "stack", None) or [])[-4000:]})

    def run_failed(self, run: Any, error: Any) -> None:
        text = error_text(error) or "the run failed"
        self._trigger(run, f'Headwater pipeline "{run.pipeline_name}" failed: {text}',
                      {"error": text})
        with self._lock:
            self._triggered.discard(run.run_id)

    def run_succeeded(self, run: Any) -> None:
        if not (self.settings.resolve_on_success and self.pages_for(run)):
            return
        dedup_key = self.dedup_key(run.pipeline_name)
        self._submit(run.run_id, lambda client: client.resolve(dedup_key))

    # -- sending ----------------------------------------------------------------------------

    def _trigger(self, run: Any, summary: str, details: dict[str, Any]) -> None:
        if not self.pages_for(run):
            return
        with self._lock:
            if run.run_id in self._triggered:
                return
            self._triggered.add(run.run_id)
        settings = self.settings
        links = []
        if settings.run_url:
            href = settings.run_url.format(run_id=run.run_id, pipeline=run.pipeline_name)
            links.append({"href": href, "text": f"Run {run.run_id}"})
        custom_details = {"pipeline": run.pipeline_name, "run_id": run.run_id,
                          "mode": run.mode, **details}
        if links:
            custom_details["run_url"] = links[0]["href"]
        arguments = {"summary": summary[:1024], "source": settings.source or socket.gethostname(),
                     "severity": self.severity_of(run), "dedup_key": self.dedup_key(run.pipeline_name),
                     "custom_details": custom_details, "links": links,
                     "payload": {"component": run.pipeline_name, "group": "headwater",
                                 "class": "pipeline failure"}}
        self._submit(run.run_id, lambda client: client.trigger(**arguments))

    def _submit(self, run_id: str, send: Any) -> None:
        DELIVERY.submit(lambda: self._send(run_id, send))

    def _send(self, run_id: str, send: Any) -> None:
        """In the background thread: send, and log a failure once for the run."""
        from pagerduty import Error

        settings = self.settings
        try:
            if self._client is None:
                self._client = make_events_client(settings.routing_key,
                                                  settings.events_api_url,
                                                  settings.max_attempts, settings.timeout)
            send(self._client)
        except Error as error:
            with self._lock:
                if run_id in self._warned:
                    return
                self._warned.add(run_id)
            problem = describe_failure(error, settings.events_api_url, settings.routing_key)
            logger.warning("PagerDuty did not receive the alert of run %s: %s. Check "
                           "plugins.pagerduty.config in headwater.yaml.", run_id,
                           scrub(problem, settings.routing_key).rstrip("."))
