"""What the plugin measures about runs, and how it sends it.

Each run gets a :class:`RunMeasurements` buffer. Lifecycle hooks only append to it (no I/O on
the run's critical path); when the run ends, one job sends the whole buffer to DogStatsD in
as few UDP packets as fit, and, for a failed run, posts a Datadog event through the HTTP API.

Metrics (every one tagged ``pipeline:<name>``, ``mode:<mode>`` and the configured tags):

=================================  =========  ==========================================
name                               type       extra tags
=================================  =========  ==========================================
``headwater.run.count``            count      ``status:success|failure|canceled``
``headwater.run.duration``         histogram  ``status``; milliseconds
``headwater.step.count``           count      ``solid:<solid>``, ``status:success|failure``
``headwater.step.duration``        histogram  ``solid``, ``status``; milliseconds
``headwater.step.retries``         count      ``solid``
=================================  =========  ==========================================
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from headwater.integration import BackgroundDelivery
from headwater_datadog.resources import initialize_api, make_statsd

logger = logging.getLogger("headwater_datadog")

# One background thread per process sends what the hooks saw (see ``BackgroundDelivery``).
DELIVERY = BackgroundDelivery("headwater-datadog", "Datadog", logger)


@dataclass(frozen=True)
class DatadogSettings:
    """The plugin's settings (``plugins.datadog.config`` of headwater.yaml).

    Attributes:
        statsd_host / statsd_port: Where the agent's DogStatsD listens.
        api_key / app_key: For failed-run events through the HTTP API; without an API key
            no event is sent.
        api_host: The Datadog site's API URL.
        tags: Added to every metric and event.
        metric_prefix: Prefix of every metric name.
        send_events: Whether a failed run posts an event.
        flush_timeout: Seconds a process waits, when it exits, for what is still unsent.
    """

    statsd_host: str = "localhost"
    statsd_port: int = 8125
    api_key: str | None = field(default=None, repr=False)
    app_key: str | None = field(default=None, repr=False)
    api_host: str = "https://api.datadoghq.com"
    tags: tuple[str, ...] = ()
    metric_prefix: str = "headwater"
    send_events: bool = True
    flush_timeout: float = 5.0


@dataclass(frozen=True)
class Metric:
    """One DogStatsD call to make: ``statsd.<kind>(name, value, tags=tags)``."""

    kind: str
    name: str
    value: float
    tags: tuple[str, ...]


@dataclass
class RunMeasurements:
    """What one run has measured so far."""

    base_tags: tuple[str, ...]
    started: float = field(default_factory=time.perf_counter)
    metrics: list[Metric] = field(default_factory=list)
    step_started: dict[str, float] = field(default_factory=dict)
    failed_steps: list[tuple[str, str]] = field(default_factory=list)


def solid_of(step_key: str) -> str:
    """The solid (handle) a step runs: a mapped step ``load[a]`` runs solid ``load``."""
    return step_key.split("[", 1)[0]


def error_text(error: Any) -> str:
    """``ValueError: message`` of a SerializableErrorInfo (or of anything with a message)."""
    if error is None:
        return ""
    name = getattr(error, "cls_name", None)
    message = str(getattr(error, "message", error)).strip()
    return f"{name}: {message}" if name and not message.startswith(name) else message


class DatadogObserver:
    """Measures runs and steps and sends the measurements when each run ends.

    Args:
        settings: Where to send, and what to add.
    """

    def __init__(self, settings: DatadogSettings) -> None:
        self.settings = settings
        self._runs: dict[str, RunMeasurements] = {}
        self._lock = threading.Lock()
        self._statsd: Any = None
        DELIVERY.exit_timeout = settings.flush_timeout

    # -- hooks ------------------------------------------------------------------------------

    def run_started(self, run: Any) -> None:
        tags = (f"pipeline:{run.pipeline_name}", f"mode:{run.mode}")
        with self._lock:
            self._runs[run.run_id] = RunMeasurements(tags)

    def step_started(self, run: Any, step_key: str) -> None:
        self._measurements(run).step_started[step_key] = time.perf_counter()

    def step_succeeded(self, run: Any, step_key: str, duration_ms: float) -> None:
        self._step_finished(run, step_key, "success", duration_ms)

    def step_failed(self, run: Any, step_key: str, error: Any) -> None:
        measurements = self._measurements(run)
        started = measurements.step_started.get(step_key, time.perf_counter())
        measurements.failed_steps.append((step_key, error_text(error)))
        self._step_finished(run, step_key, "failure", (time.perf_counter() - started) * 1000)

    def step_retried(self, run: Any, step_key: str) -> None:
        measurements = self._measurements(run)
        measurements.metrics.append(Metric(
            "increment", self._name("step.retries"), 1,
            (*measurements.base_tags, f"solid:{solid_of(step_key)}")))

    def run_finished(self, run: Any, status: str, error: Any = None) -> None:
        """Record the run's own metrics and send everything it measured."""
        with self._lock:
            measurements = self._runs.pop(run.run_id, None) or RunMeasurements(
                (f"pipeline:{run.pipeline_name}", f"mode:{run.mode}"))
        tags = (*measurements.base_tags, f"status:{status}")
        duration_ms = (time.perf_counter() - measurements.started) * 1000
        measurements.metrics.append(Metric("increment", self._name("run.count"), 1, tags))
        measurements.metrics.append(Metric("histogram", self._name("run.duration"),
                                           duration_ms, tags))
        event = self._failure_event(run, measurements, error) if status == "failure" else None
        DELIVERY.submit(lambda: self._send(run.run_id, measurements.metrics, event))

    # -- helpers ----------------------------------------------------------------------------

    def _measurements(self, run: Any) -> RunMeasurements:
        with self._lock:
            measurements = self._runs.get(run.run_id)
            if measurements is None:   # enabled mid-run: measure from here on
                measurements = RunMeasurements((f"pipeline:{run.pipeline_name}",
                                                f"mode:{run.mode}"))
                self._runs[run.run_id] = measurements
            return measurements

    def _step_finished(self, run: Any, step_key: str, status: str, duration_ms: float) -> None:
        measurements = self._measurements(run)
        tags = (*measurements.base_tags, f"solid:{solid_of(step_key)}", f"status:{status}")
        measurements.metrics.append(Metric("increment", self._name("step.count"), 1, tags))
        measurements.metrics.append(Metric("histogram", self._name("step.duration"),
                                           duration_ms, tags))

    def _name(self, metric: str) -> str:
        prefix = self.settings.metric_prefix
        return f"{prefix}.{metric}" if prefix else metric

    def _failure_event(self, run: Any, measurements: RunMeasurements,
                       error: Any) -> dict[str, Any] | None:
        if not (self.settings.send_events and self.settings.api_key):
            return None
        lines = [f"Run {run.run_id} of pipeline {run.pipeline_name} (mode {run.mode}) failed."]
        if error is not None:
            lines.append(error_text(error))
        lines.extend(f"Step {step_key} failed: {text}"
                     for step_key, text in measurements.failed_steps)
        return {"title": f"Headwater run failed: {run.pipeline_name}",
                "text": "\n".join(lines), "alert_type": "error",
                "aggregation_key": f"headwater-{run.pipeline_name}",
                "source_type_name": "headwater",
                "tags": [*measurements.base_tags, "status:failure", f"run_id:{run.run_id}",
                         *self.settings.tags]}

    def _send(self, run_id: str, metrics: list[Metric], event: dict[str, Any] | None) -> None:
        """In the background thread: every metric in as few packets as fit, then the event.
        Problems are logged once for the run, as a warning, without any key."""
        problems = []
        try:
            statsd = self._client()
            statsd.open_buffer()
            try:
                for metric in metrics:
                    getattr(statsd, metric.kind)(metric.name, metric.value,
                                                 tags=list(metric.tags))
            finally:
                statsd.close_buffer()
        except Exception as error:
            problems.append(f"DogStatsD at {self.settings.statsd_host}:"
                            f"{self.settings.statsd_port}: {error}")
        if event is not None:
            problem = self._post_event(event)
            if problem:
                problems.append(problem)
        if problems:
            logger.warning("Datadog did not receive everything about run %s: %s. Check "
                           "plugins.datadog.config in headwater.yaml.", run_id,
                           self._scrub("; ".join(problems)))

    def _post_event(self, event: dict[str, Any]) -> str | None:
        from datadog import api

        settings = self.settings
        try:
            initialize_api(settings.api_key, settings.app_key, settings.api_host,
                           timeout=min(10.0, settings.flush_timeout), max_retries=2)
            api.Event.create(**event)
        except Exception as error:
            if "403" in str(error) or "Forbidden" in str(error):
                return (f"the Datadog API at {settings.api_host} refused the API key "
                        "(api_key); set a valid key")
            return f"the Datadog API at {settings.api_host}: {type(error).__name__}: {error}"
        return None

    def _scrub(self, text: str) -> str:
        """``text`` with the keys blanked out, should an error message quote one."""
        for secret in (self.settings.api_key, self.settings.app_key):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _client(self) -> Any:
        if self._statsd is None:
            settings = self.settings
            self._statsd = make_statsd(settings.statsd_host, settings.statsd_port,
                                       list(settings.tags))
        return self._statsd
