"""The runs list and the run page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from headwater import PipelineRunStatus
from headwater_ui import serialize
from headwater_ui.html import (
    duration,
    h,
    json_script,
    page,
    status_badge,
    table,
    tags_html,
    u,
    when,
)
from headwater_ui.queries import BadQuery, runs_page


def runs_list(context: Any, params: dict[str, str]) -> str:
    """The runs, newest first, with filters and pages."""
    try:
        found = runs_page(context.instance, params)
        problem = ""
    except BadQuery as error:
        found = None
        problem = f'<p class="error">{h(error)}</p>'
    status_options = "".join(
        f'<option value="{s.value}"{" selected" if params.get("status") == s.value else ""}>'
        f"{s.value}</option>" for s in PipelineRunStatus)
    form = f"""<form class="filters" method="get" action="/runs">
<label>Pipeline <input name="pipeline" value="{h(params.get("pipeline"))}"></label>
<label>Status <select name="status"><option value="">any</option>{status_options}</select></label>
<label>Tag <input name="tag" placeholder="key=value" value="{h(params.get("tag"))}"></label>
<label>After <input name="after" placeholder="2026-12-01" value="{h(params.get("after"))}"></label>
<label>Before <input name="before" placeholder="2026-12-04T18:00" value="{h(params.get("before"))}"></label>
<button type="submit">Filter</button> <a href="/runs">clear</a></form>"""
    rows = []
    pager = ""
    if found is not None:
        for record in found.records:
            run = record.run
            rows.append(
                f'<tr data-run="{h(run.run_id)}"><td><a class="mono" href="/runs/{u(run.run_id)}">'
                f"{h(run.run_id[:8])}</a></td>"
                f'<td class="run-status">{status_badge(run.status.value)}</td>'
                f"<td>{h(run.pipeline_name)}</td>"
                f"<td>{h(run.mode)}</td><td>{tags_html(run.tags)}</td>"
                f"<td>{when(record.create_timestamp)}</td>"
                f"<td>{duration(record.start_time, record.end_time)}</td></tr>")
        shown = f"{len(found.records)} of {found.total} runs"
        next_link = ""
        if found.next_cursor:
            query = urlencode({**{k: v for k, v in params.items() if k != "cursor"},
                               "cursor": found.next_cursor})
            next_link = f' · <a id="next-page" href="/runs?{h(query)}">older runs →</a>'
        first = ' · <a href="/runs">newest</a>' if params.get("cursor") else ""
        pager = f'<p class="pager">{shown}{first}{next_link}</p>'
    listing = table(("Run", "Status", "Pipeline", "Mode", "Tags", "Created", "Duration"),
                    rows, "No runs match." if params else "No runs yet.", "runs")
    body = f"<h1>Runs</h1>{form}{problem}{listing}{pager}"
    return page("Runs", body, context.csrf_token, "runs", ("runs.js",))


def run_page(context: Any, run_id: str) -> str | None:
    """A run: header and actions, step timeline, live event log, step output, config."""
    from headwater import RunsFilter

    instance = context.instance
    records = instance.get_run_records(RunsFilter(run_ids=[run_id]))
    if not records:
        return None
    record = records[0]
    run = record.run
    data = serialize.run_record(record)
    links = []
    if run.parent_run_id:
        links.append(f're-executes <a href="/runs/{u(run.parent_run_id)}">'
                     f"{h(run.parent_run_id[:8])}</a>")
    if run.solid_selection:
        links.append(f"selection <code>{h(','.join(run.solid_selection))}</code>")
    if run.step_keys_to_execute:
        links.append(f"steps <code>{h(', '.join(run.step_keys_to_execute))}</code>")
    actions = """<div class="actions">
<button id="cancel" class="danger" hidden>Cancel</button>
<button id="reexecute-all" hidden>Re-execute all</button>
<button id="reexecute-failure" hidden>Re-execute from failure</button>
<button id="reexecute-selected" hidden>Re-execute selected steps…</button></div>
<form id="reexecute-form" class="panel" hidden>
<label>Steps <input id="reexecute-steps" placeholder="load, transform*"></label>
<label>Run config (YAML)<textarea id="reexecute-config" rows="8" spellcheck="false"></textarea></label>
<button type="submit">Launch re-execution</button> <span id="reexecute-error" class="error"></span></form>
<p id="action-message" class="note"></p>"""
    body = f"""<h1>Run <span class="mono">{h(run.run_id)}</span> <span id="run-status">{status_badge(run.status.value)}</span></h1>
<p class="meta">Pipeline <b>{h(run.pipeline_name)}</b> · mode {h(run.mode)} ·
created {when(record.create_timestamp)}{"".join(" · " + link for link in links)}</p>
<p>{tags_html(run.tags)}</p>
{actions}
<section><h2>Steps</h2><div id="gantt" class="gantt"></div></section>
<section><h2>Event log</h2>
<div class="filters log-filters">
<label>Step <select id="filter-step"><option value="">all</option></select></label>
<label>Level <select id="filter-level"><option value="">any</option><option>DEBUG</option>
<option>INFO</option><option>WARNING</option><option>ERROR</option><option>CRITICAL</option></select></label>
<label>Type <select id="filter-type"><option value="">any</option><option value="-">log lines</option></select></label>
<label>Search <input id="filter-text" placeholder="text in messages"></label>
<span id="log-count" class="note"></span></div>
<div id="log" class="log" tabindex="0"><div id="log-spacer"></div></div>
<div id="log-detail" class="panel" hidden></div></section>
<section><h2>Step output</h2>
<div class="filters"><label>Step <select id="output-step"></select></label>
<label><input type="radio" name="stream" value="stdout" checked> stdout</label>
<label><input type="radio" name="stream" value="stderr"> stderr</label></div>
<pre id="step-output" class="output"></pre></section>
<section><h2>Materializations</h2><div id="materializations"></div></section>
<section><h2>Run config</h2><pre class="config">{h(serialize.run_config_yaml(run.run_config))}</pre></section>
{json_script("run-data", data)}"""
    return page(f"Run {run_id[:8]}", body, context.csrf_token, "runs", ("run.js",))
