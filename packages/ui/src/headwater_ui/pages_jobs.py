"""Schedules, sensors and backfills; one job's ticks; the instance and its daemon."""

from __future__ import annotations

from typing import Any

from headwater.integration import job_origin_id
from headwater_ui import serialize
from headwater_ui.html import h, page, status_badge, table, u, when
from headwater_ui.queries import (
    backfill_partition_statuses,
    daemon_duties,
    find_job,
    job_rows,
    job_type,
    next_ticks,
    partition_sets,
)


def _job_url(row: dict[str, Any]) -> str:
    return f'/jobs/{u(row["kind"])}/{u(row["repository"])}/{u(row["name"])}'


def _toggle(row: dict[str, Any]) -> str:
    verb = "stop" if row["status"] == "RUNNING" else "start"
    return (f'<button class="job-toggle small" data-url="/api{_job_url(row)}/{verb}">'
            f"{verb.capitalize()}</button>")


def schedules_page(context: Any) -> str:
    """Every schedule and sensor with status, next tick and last tick; every backfill with
    its progress by partition."""
    rows = job_rows(context)
    lines = []
    for row in rows:
        tick = row["last_tick"]
        following = next_ticks(row["definition"], 1) if row["status"] == "RUNNING" else []
        lines.append(
            f'<tr data-job="{h(row["name"])}"><td>{h(row["kind"])}</td>'
            f'<td><a href="{_job_url(row)}">{h(row["name"])}</a></td>'
            f'<td>{h(row["pipeline_name"])}</td><td>{h(row["cron_schedule"] or "-")}</td>'
            f'<td class="job-status">{status_badge(row["status"])}</td>'
            f"<td>{when(following[0]) if following else '-'}</td>"
            f"<td>{status_badge(tick.tick.status.value) + ' ' + when(tick.tick.timestamp) if tick else '-'}</td>"
            f"<td>{_toggle(row)}</td></tr>")
    jobs = table(("Kind", "Name", "Pipeline", "Cron", "Status", "Next tick", "Last tick", ""),
                 lines, "No schedules or sensors in the workspace.", "jobs")
    backfills = []
    for item in context.instance.get_backfills():
        data = serialize.backfill(item, backfill_partition_statuses(context.instance,
                                                                    item.backfill_id))
        cells = _cells(data["partitions"])
        done = sum(1 for p in data["partitions"] if p["run_status"] == "SUCCESS")
        backfills.append(
            f'<tr><td class="mono">{h(data["backfill_id"])}</td>'
            f'<td>{h(data["partition_set_name"])}</td><td>{status_badge(data["status"])}</td>'
            f'<td>{data["num_submitted"]} submitted, {done} succeeded of '
            f'{data["num_partitions"]}<div class="cells">{cells}</div></td>'
            f'<td>{when(data["timestamp"])}</td></tr>')
    sets = []
    for item in partition_sets(context):
        cells = _cells(item["partitions"])
        done = sum(1 for p in item["partitions"] if p["run_status"] == "SUCCESS")
        sets.append(f'<tr><td>{h(item["name"])}</td><td>{h(item["pipeline_name"])}</td>'
                    f'<td>{done} of {len(item["partitions"])} partitions succeeded'
                    f'<div class="cells">{cells}</div></td></tr>')
    body = (f"<h1>Schedules &amp; sensors</h1>{_daemon_note(context)}{jobs}"
            "<h2>Partition sets</h2>"
            + table(("Partition set", "Pipeline", "Latest run of each partition"), sets,
                    "No partition sets in the workspace.")
            + "<h2>Backfills</h2>"
            + table(("Backfill", "Partition set", "Status", "Progress", "Requested"),
                    backfills, "No backfills.")
            + '<p class="note">A partition square is green when its run succeeded, red when it '
              "failed, blue while it runs or waits, grey when it has no run.</p>")
    return page("Schedules & sensors", body, context.csrf_token, "schedules")


def _cells(partitions: list[dict[str, Any]]) -> str:
    return "".join(
        f'<span class="cell {h(_cell(p["run_status"]))}" title="{h(p["name"])}: '
        f'{h(p["run_status"] or "no run")}"></span>' for p in partitions)


def _cell(status: str | None) -> str:
    return {"SUCCESS": "ok", "FAILURE": "bad", "CANCELED": "bad"}.get(status or "", "live"
                                                                       if status else "dim")


def _daemon_note(context: Any) -> str:
    duties = {row["duty"]: row for row in daemon_duties(context.instance)}
    if any(duties.get(d, {}).get("state") == "OK" for d in ("scheduler", "sensors")):
        return ""
    return ('<p class="warning">No daemon is ticking schedules and sensors: start one with '
            "the same code, e.g. <code>headwater daemon run -w workspace.yaml</code>.</p>")


def job_page(context: Any, kind: str, repository: str, name: str) -> str | None:
    """A schedule or sensor: status, next ticks, tick history with runs or errors."""
    row = find_job(context, kind, repository, name)
    if row is None:
        return None
    origin = job_origin_id(job_type(kind), repository, name)
    ticks = []
    for record in context.instance.get_job_ticks(origin, limit=50):
        data = serialize.tick(record)
        runs = " ".join(f'<a class="mono" href="/runs/{u(r)}">{h(r[:8])}</a>'
                        for r in data["run_ids"]) or "-"
        details = (f'<pre class="error">{h(data["error"])}</pre>' if data["error"]
                   else h(data["skip_reason"] or ""))
        ticks.append(f"<tr><td>{when(data['timestamp'])}</td><td>{status_badge(data['status'])}"
                     f"</td><td>{runs}</td><td>{details}</td></tr>")
    upcoming = "".join(f"<li>{when(t)}</li>" for t in next_ticks(row["definition"]))
    description = (getattr(row["definition"], "description", None) or "").strip()
    body = f"""<h1>{h(kind.capitalize())} {h(name)} <span class="job-status">{status_badge(row["status"])}</span> {_toggle(row)}</h1>
<p class="meta">Pipeline {h(row["pipeline_name"])} · repository {h(repository)}
{" · cron <code>" + h(row["cron_schedule"]) + "</code> " + h(row["timezone"] or "UTC") if row["cron_schedule"] else ""}</p>
<p>{h(description)}</p>{_daemon_note(context)}
{"<h2>Next ticks</h2><ul>" + upcoming + "</ul>" if upcoming else ""}
<h2>Ticks</h2>{table(("Tick", "Status", "Runs", "Details"), ticks, "No ticks yet.")}"""
    return page(f"{kind.capitalize()} {name}", body, context.csrf_token, "schedules")


def instance_page(context: Any) -> str:
    """The instance: where it is, its storage, run coordinator and launcher, the daemon's
    duties with their last heartbeats."""
    instance = context.instance
    settings = [
        ("Home", instance.home),
        ("Run storage", type(instance.run_storage).__name__),
        ("Event log storage", type(instance.event_log_storage).__name__),
        ("Schedule storage", type(instance.schedule_storage).__name__),
        ("Compute logs", type(instance.compute_log_manager).__name__),
        ("Run coordinator", _component(instance.run_coordinator_config)),
        ("Run launcher", _component(instance.run_launcher_config)),
        ("Runs recorded", str(instance.get_runs_count())),
    ]
    rows = "".join(f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>" for k, v in settings)
    duties = [f'<tr><td>{h(d["duty"])}</td><td>{status_badge(d["state"])}</td>'
              f'<td>{when(d["timestamp"])}</td><td class="mono">{h(d["daemon_id"])}</td>'
              f'<td>{"<pre class=error>" + h(d["error"]) + "</pre>" if d["error"] else ""}</td></tr>'
              for d in daemon_duties(instance)]
    body = (f'<h1>Instance</h1><table class="grid kv">{rows}</table><h2>Daemon</h2>'
            + table(("Duty", "State", "Last heartbeat", "Daemon", "Error"), duties,
                    "No daemon has run on this instance: `headwater daemon run -w "
                    "workspace.yaml` starts one.")
            + '<p class="note">A duty is LATE when its last heartbeat is over a minute old '
              "(the daemon stopped or is stuck).</p>")
    return page("Instance", body, context.csrf_token, "instance")


def _component(spec: Any) -> str:
    # The name only: a component's config may hold a password.
    return spec.describe()
