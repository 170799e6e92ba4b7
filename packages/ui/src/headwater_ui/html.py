"""Building HTML safely: every value passes through :func:`h` (escaping), and pages share
one shell (navigation, stylesheet, the CSRF token for the scripts' POSTs).

Pages are plain strings assembled here rather than a template engine: the UI has few pages,
and keeping escaping in one visible function is what makes a solid name or log line with
``<script>`` render as text.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any
from urllib.parse import quote

NAV = (("runs", "/runs", "Runs"), ("workspace", "/workspace", "Workspace"),
       ("schedules", "/schedules", "Schedules & sensors"),
       ("instance", "/instance", "Instance"))

STATUS_CLASSES = {"SUCCESS": "ok", "FAILURE": "bad", "CANCELED": "bad", "CANCELING": "warn",
                  "STARTED": "live", "STARTING": "live", "QUEUED": "wait",
                  "NOT_STARTED": "wait", "MANAGED": "wait", "RUNNING": "ok", "STOPPED": "dim",
                  "SKIPPED": "warn", "IN_PROGRESS": "live", "UP_FOR_RETRY": "warn",
                  "REQUESTED": "live", "COMPLETED": "ok", "FAILED": "bad",
                  "OK": "ok", "LATE": "warn", "FAILING": "bad"}


def h(value: Any) -> str:
    """``value`` as HTML text (None as empty)."""
    return "" if value is None else escape(str(value), quote=True)


def u(value: str) -> str:
    """``value`` as one URL path segment."""
    return quote(value, safe="")


def status_badge(status: str | None) -> str:
    """A run, step, job or tick status as a coloured badge."""
    if not status:
        return '<span class="badge dim">-</span>'
    return f'<span class="badge {STATUS_CLASSES.get(status, "dim")}">{h(status)}</span>'


def when(timestamp: float | None) -> str:
    """A time as ``2026-12-04 16:40:01 UTC``, or ``-``."""
    if timestamp is None:
        return "-"
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(start: float | None, end: float | None) -> str:
    """How long from start to end (``1m 02s``, ``0.35s``), or ``-``."""
    if start is None or end is None:
        return "-"
    seconds = max(end - start, 0.0)
    if seconds < 60:
        return f"{seconds:.2f}s"
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {rest:02d}s"


def json_script(element_id: str, value: Any) -> str:
    """Data for a page's script, in a ``<script type="application/json">`` block that the
    browser never runs (``<`` escaped so that no value can close the block)."""
    text = json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="{h(element_id)}">{text}</script>'


def page(title: str, body: str, csrf_token: str, active: str = "",
         scripts: tuple[str, ...] = ()) -> str:
    """A whole page: the shell around ``body`` (already HTML)."""
    nav = "".join(
        f'<a href="{href}" class="{"active" if key == active else ""}">{h(label)}</a>'
        for key, href, label in NAV)
    tags = "".join(f'<script src="/static/{h(name)}" defer></script>' for name in
                   ("app.js", *scripts))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="{h(csrf_token)}">
<title>{h(title)} · Headwater</title>
<link rel="stylesheet" href="/static/app.css">{tags}</head>
<body><header><a class="brand" href="/runs">Headwater</a><nav>{nav}</nav></header>
<main>{body}</main></body></html>"""


def table(headers: tuple[str, ...], rows: list[str], empty: str, css: str = "") -> str:
    """A table of already-rendered rows (``<tr>...</tr>``), or a note when there are none."""
    if not rows:
        return f'<p class="empty">{h(empty)}</p>'
    head = "".join(f"<th>{h(name)}</th>" for name in headers)
    return f'<table class="grid {css}"><thead><tr>{head}</tr></thead><tbody>' \
           f'{"".join(rows)}</tbody></table>'


def tags_html(tags: dict[str, str]) -> str:
    """Tags as small chips."""
    return " ".join(f'<span class="tag">{h(key)}={h(value)}</span>'
                    for key, value in sorted(tags.items()))
