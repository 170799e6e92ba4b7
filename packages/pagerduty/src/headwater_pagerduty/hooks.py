"""``pagerduty_on_failure``: a failure hook that sends an alert for each failed step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater import HookContext, failure_hook
from headwater_pagerduty.errors import check_severity


def default_summary(context: HookContext) -> str:
    """``Step "load" of pipeline "daily" failed: ValueError: ...``."""
    error = context.solid_exception
    reason = f": {type(error).__name__}: {error}" if error is not None else ""
    return f'Step "{context.step_key}" of pipeline "{context.pipeline_name}" failed{reason}'


def pagerduty_on_failure(severity: str = "error",
                         summary_fn: Callable[[HookContext], str] = default_summary,
                         run_url: str | None = None) -> Any:
    """A failure hook that triggers a PagerDuty alert when a step fails.

    Apply it to a pipeline (``@pipeline(hook_defs={pagerduty_on_failure("critical")})``) or
    to one solid; the mode needs the resource ``pagerduty`` (``pagerduty_resource``). Each
    failed step of each run is its own alert (``dedup_key`` ``<run_id>-<step_key>``); for
    one incident per pipeline that the next success resolves, enable the plugin instead.

    Args:
        severity: ``info``, ``warning``, ``error`` or ``critical``.
        summary_fn: The alert's summary, from the hook's context.
        run_url: Link to the run, with ``{run_id}`` and ``{pipeline}`` filled in.
    """
    check_severity(severity, "pagerduty_on_failure")

    @failure_hook(name="pagerduty_on_failure", required_resource_keys={"pagerduty"})
    def send_alert(context: HookContext) -> None:
        links = []
        details: dict[str, Any] = {"pipeline": context.pipeline_name,
                                   "run_id": context.run_id, "step": context.step_key}
        if run_url:
            href = run_url.format(run_id=context.run_id, pipeline=context.pipeline_name)
            links.append({"href": href, "text": f"Run {context.run_id}"})
            details["run_url"] = href
        context.resources.pagerduty.EventV2_create(
            summary=summary_fn(context), source=context.pipeline_name, severity=severity,
            dedup_key=f"{context.run_id}-{context.step_key}", component=context.step_key,
            group="headwater", custom_details=details, links=links)

    return send_alert
