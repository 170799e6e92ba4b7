"""The workspace page, a pipeline's page (its graph) and its launchpad."""

from __future__ import annotations

from typing import Any

from headwater.integration import BARE_PIPELINES_REPOSITORY
from headwater_ui.graph import NODE_HEIGHT, NODE_WIDTH, build_graph, resolve_graph, solid_details
from headwater_ui.html import h, json_script, page, status_badge, table, u
from headwater_ui.queries import job_rows


def pipeline_url(location: str, repository: str, pipeline: str) -> str:
    """The path of a pipeline's page."""
    return f"/pipelines/{u(location)}/{u(repository)}/{u(pipeline)}"


def repository_label(name: str) -> str:
    """A repository's name as shown (pipelines outside any repository have none)."""
    return "(pipelines outside a repository)" if name == BARE_PIPELINES_REPOSITORY else name


def workspace_page(context: Any) -> str:
    """The code locations, their repositories, pipelines, schedules and sensors, and the
    errors of those that did not load."""
    workspace = context.workspace
    parts = ['<h1>Workspace <button id="reload" class="small">Reload code</button></h1>']
    if context.workspace_error:
        parts.append(f'<pre class="error">{h(context.workspace_error)}</pre>')
    if not workspace.locations:
        parts.append('<p class="empty">No code given: start the UI with -w workspace.yaml, '
                     "-f FILE or -m MODULE to see pipelines.</p>")
    jobs = job_rows(context) if workspace.locations else []
    for location in workspace.locations:
        parts.append(f'<section class="location"><h2>Location {h(location.name)}</h2>')
        if location.error is not None:
            parts.append(f'<p class="error">This location did not load:</p>'
                         f'<pre class="error">{h(location.error)}\n'
                         f"{h(location.error.user_traceback or '')}</pre>")
        for repository in location.repositories:
            parts.append(f"<h3>{h(repository_label(repository.name))}</h3>")
            rows = []
            for definition in repository.definition.get_all_pipelines():
                url = pipeline_url(location.name, repository.name, definition.name)
                description = (definition.description or "").strip().splitlines()
                rows.append(
                    f'<tr><td><a href="{url}">{h(definition.name)}</a></td>'
                    f"<td>{h(description[0] if description else '')}</td>"
                    f"<td>{h(', '.join(definition.available_modes))}</td>"
                    f"<td>{h(', '.join(p.name for p in definition.preset_defs) or '-')}</td>"
                    f"<td>{len(definition.solids)}</td>"
                    f'<td><a href="{url}/launchpad">launchpad</a></td></tr>')
            parts.append(table(("Pipeline", "Description", "Modes", "Presets", "Solids", ""),
                               rows, "No pipelines."))
            mine = [row for row in jobs if row["repository"] == repository.name
                    and row["location"] == location.name]
            if mine:
                job_lines = [
                    f'<tr><td>{h(row["kind"])}</td><td><a href="/jobs/{u(row["kind"])}/'
                    f'{u(row["repository"])}/{u(row["name"])}">{h(row["name"])}</a></td>'
                    f'<td>{h(row["pipeline_name"])}</td><td>{status_badge(row["status"])}</td></tr>'
                    for row in mine]
                parts.append(table(("Kind", "Name", "Pipeline", "Status"), job_lines, ""))
        parts.append("</section>")
    return page("Workspace", "".join(parts), context.csrf_token, "workspace")


def graph_svg(graph_def: Any, link_base: str | None, path: str) -> str:
    """The graph of ``graph_def`` as SVG; composites link to their own graph."""
    graph = build_graph(graph_def)
    edges = []
    for edge in graph.edges:
        source, target = graph.node(edge.source), graph.node(edge.target)
        x1, y1 = source.x + NODE_WIDTH / 2, source.y + NODE_HEIGHT
        x2, y2 = target.x + NODE_WIDTH / 2, target.y
        middle = (y1 + y2) / 2
        label = {"mapped": "each", "collected": "collect"}.get(edge.kind, "")
        edges.append(
            f'<g class="edge {edge.kind}" data-source="{h(edge.source)}" '
            f'data-target="{h(edge.target)}"><path d="M{x1},{y1} C{x1},{middle} {x2},{middle} '
            f'{x2},{y2}" marker-end="url(#arrow)"><title>{h(edge.source)}.{h(edge.output)} → '
            f"{h(edge.target)}.{h(edge.input)}</title></path>"
            + (f'<text x="{(x1 + x2) / 2 + 4}" y="{middle}">{label}</text>' if label else "")
            + "</g>")
    nodes = []
    for node in graph.nodes:
        subtitle = node.definition_name if node.definition_name != node.name else ""
        marks = []
        if node.is_composite:
            marks.append("composite ▸")
        if node.has_dynamic_output:
            marks.append("dynamic ⇶")
        body = (f'<rect width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"></rect>'
                f'<text class="name" x="10" y="21">{h(node.name)}</text>'
                f'<text class="sub" x="10" y="40">{h(" · ".join(filter(None, [subtitle, *marks])))}'
                "</text>")
        classes = "node" + (" composite" if node.is_composite else "") + \
            (" dynamic" if node.has_dynamic_output else "")
        inner = f'<g class="{classes}" data-solid="{h(node.name)}" ' \
                f'transform="translate({node.x},{node.y})">{body}</g>'
        if node.is_composite and link_base is not None:
            child = f"{path}.{node.name}" if path else node.name
            inner = f'<a href="{link_base}?path={u(child)}">{inner}</a>'
        nodes.append(inner)
    return (f'<svg class="graph" id="graph" width="{graph.width}" height="{graph.height}" '
            f'viewBox="0 0 {graph.width} {graph.height}" role="img" aria-label="solid graph">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/>'
            f'</marker></defs>{"".join(edges)}{"".join(nodes)}</svg>')


def _find(context: Any, location: str, repository: str, pipeline: str) -> Any:
    loaded = context.find_repository(location, repository)
    if loaded is None or not loaded.definition.has_pipeline(pipeline):
        return None, None
    return loaded, loaded.definition.get_pipeline(pipeline)


def pipeline_page(context: Any, location: str, repository: str, pipeline: str,
                  path: str = "") -> str | None:
    """A pipeline: its graph (or a composite's, ``path``), each solid's details, its modes
    and presets."""
    _loaded, definition = _find(context, location, repository, pipeline)
    if definition is None:
        return None
    try:
        graph_def, parts = resolve_graph(definition, path)
    except KeyError:
        return None
    base = pipeline_url(location, repository, pipeline)
    crumbs = [f'<a href="{base}">{h(pipeline)}</a>']
    for index, part in enumerate(parts):
        crumbs.append(f'<a href="{base}?path={u(".".join(parts[:index + 1]))}">{h(part)}</a>')
    details = []
    for solid in solid_details(graph_def):
        rows = "".join(f"<li>in <b>{h(i['name'])}</b>: <code>{h(i['type'])}</code> "
                       f"{h(i['description'])}</li>" for i in solid["inputs"])
        rows += "".join(f"<li>out <b>{h(o['name'])}</b>: <code>{h(o['type'])}</code>"
                        f"{' <span class=badge>dynamic</span>' if o['dynamic'] else ''} "
                        f"{h(o['description'])}</li>" for o in solid["outputs"])
        config = f'<pre class="config">{h(solid["config"])}</pre>' if solid["config"] else ""
        resources = (f"<p>resources: {h(', '.join(solid['resources']))}</p>"
                     if solid["resources"] else "")
        details.append(
            f'<div class="solid" id="solid-{h(solid["name"])}" data-solid="{h(solid["name"])}">'
            f'<h3>{h(solid["name"])}'
            + (f' <span class="note">({h(solid["definition_name"])})</span>'
               if solid["definition_name"] != solid["name"] else "")
            + (" <span class=badge>composite</span>" if solid["is_composite"] else "")
            + f'</h3><p>{h(solid["description"])}</p><ul>{rows}</ul>{resources}{config}</div>')
    modes = "".join(
        f"<li><b>{h(mode.name)}</b> {h((mode.description or '').strip())} — resources: "
        f"{h(', '.join(mode.resource_defs) or 'none')}; executors: "
        f"{h(', '.join(e.name for e in mode.executor_defs))}</li>"
        for mode in definition.mode_definitions)
    presets = "".join(
        f"<li><b>{h(preset.name)}</b> (mode {h(preset.mode)})"
        f'<pre class="config">{h(_yaml(preset.run_config))}</pre></li>'
        for preset in definition.preset_defs) or "<li>none</li>"
    description = (graph_def.description or "").strip() if hasattr(graph_def, "description") \
        else ""
    body = f"""<h1>Pipeline {" / ".join(crumbs)}</h1>
<p class="meta">{h(repository_label(repository))} · location {h(location)} ·
<a class="button" href="{base}/launchpad">Open launchpad</a></p>
<p>{h(description)}</p>
<div class="graph-layout"><div class="graph-box">{graph_svg(graph_def, base, path)}</div>
<aside class="solids" id="solids">{"".join(details)}</aside></div>
<section><h2>Modes</h2><ul>{modes}</ul></section>
<section><h2>Presets</h2><ul>{presets}</ul></section>"""
    return page(f"Pipeline {pipeline}", body, context.csrf_token, "workspace", ("graph.js",))


def _yaml(value: Any) -> str:
    from headwater_ui.serialize import run_config_yaml

    return run_config_yaml(value)


def launchpad_page(context: Any, location: str, repository: str, pipeline: str) -> str | None:
    """The launchpad: YAML config with errors at their lines, mode, preset, selection
    previewed on the graph, tags, launch."""
    from headwater_ui.launchpad import seed_yaml

    _loaded, definition = _find(context, location, repository, pipeline)
    if definition is None:
        return None
    modes = "".join(f'<option value="{h(m)}">{h(m)}</option>'
                    for m in definition.available_modes)
    presets = "".join(f'<option value="{h(p.name)}">{h(p.name)}</option>'
                      for p in definition.preset_defs)
    seed = seed_yaml(definition, definition.available_modes[0])
    base = pipeline_url(location, repository, pipeline)
    body = f"""<h1>Launchpad <a href="{base}">{h(pipeline)}</a></h1>
<div class="launchpad">
<div class="editor-column">
<div class="filters"><label>Mode <select id="mode">{modes}</select></label>
<label>Preset <select id="preset"><option value="">none</option>{presets}</select></label>
<label>Solids <input id="selection" placeholder="* for all, e.g. load*,report"></label>
<label>Tags <input id="tags" placeholder='{{"team": "data"}}'></label></div>
<div class="editor"><pre id="gutter" class="gutter" aria-hidden="true"></pre>
<textarea id="config" spellcheck="false" rows="24" aria-label="run config">{h(seed)}</textarea></div>
<ul id="errors" class="errors"></ul>
<p><button id="launch" class="primary" disabled>Launch run</button>
<span id="launch-message" class="note"></span></p></div>
<div class="graph-box">{graph_svg(definition, None, "")}
<p id="selection-note" class="note"></p></div></div>
{json_script("launchpad-data", {"api": f"/api{base}", "single_mode": len(definition.available_modes) == 1})}"""
    return page(f"Launchpad {pipeline}", body, context.csrf_token, "workspace",
                ("launchpad.js",))
