"""The JSON API: what the pages' scripts call, documented for other clients at
``/api/openapi.json``.

Each endpoint's docstring ends with its OpenAPI description (after ``---``). Endpoints are
plain functions run in a worker thread (storage calls block); the live event stream is the
one asynchronous endpoint.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse

from headwater import HeadwaterError
from headwater_ui import serialize
from headwater_ui.queries import (
    BadQuery,
    backfill_partition_statuses,
    daemon_duties,
    find_job,
    job_rows,
    job_type,
    next_ticks,
    partition_sets,
    runs_page,
)

STREAM_POLL_SECONDS = 0.25
# Events sent per message of the stream; a run that is far behind catches up in chunks.
STREAM_CHUNK = 2000


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _context(request: Request) -> Any:
    return request.app.state.context


async def _body(request: Request) -> dict[str, Any]:
    try:
        value = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadQuery("The request body must be a JSON object.") from None
    if not isinstance(value, dict):
        raise BadQuery("The request body must be a JSON object.")
    return value


# -- runs ---------------------------------------------------------------------------------


def list_runs(request: Request) -> JSONResponse:
    """The runs, newest first, one page at a time.
    ---
    summary: List runs
    parameters:
      - {name: pipeline, in: query, schema: {type: string}, description: Only runs of this pipeline.}
      - {name: status, in: query, schema: {type: string}, description: "Run statuses, comma-separated (SUCCESS,FAILURE)."}
      - {name: tag, in: query, schema: {type: string}, description: "key=value pairs, comma-separated; every one must match."}
      - {name: after, in: query, schema: {type: string}, description: "Created after this ISO date or time (UTC)."}
      - {name: before, in: query, schema: {type: string}, description: "Created before this ISO date or time (UTC)."}
      - {name: cursor, in: query, schema: {type: string}, description: The last run id of the previous page.}
      - {name: limit, in: query, schema: {type: integer, default: 50, maximum: 500}}
    responses:
      200: {description: "{runs: [run], next_cursor: string|null, total: int}"}
      400: {description: "{error} naming the parameter that is not valid"}
    """
    try:
        found = runs_page(_context(request).instance, request.query_params)
    except BadQuery as error:
        return _error(400, str(error))
    return JSONResponse({"runs": [serialize.run_record(r) for r in found.records],
                         "next_cursor": found.next_cursor, "total": found.total})


def get_run(request: Request) -> JSONResponse:
    """A run with its config, step stats and run stats.
    ---
    summary: Get a run
    responses:
      200: {description: "{run, config_yaml, steps: [step], stats}"}
      404: {description: No such run.}
    """
    from headwater import RunsFilter

    instance = _context(request).instance
    run_id = request.path_params["run_id"]
    records = instance.get_run_records(RunsFilter(run_ids=[run_id]))
    if not records:
        return _error(404, f'No run "{run_id}" in this instance.')
    stats = instance.get_run_stats(run_id)
    return JSONResponse({
        "run": serialize.run_record(records[0]),
        "config_yaml": serialize.run_config_yaml(records[0].run.run_config),
        "steps": [serialize.step_stats(s) for s in instance.get_run_step_stats(run_id)],
        "stats": {"steps_succeeded": stats.steps_succeeded, "steps_failed": stats.steps_failed,
                  "start_time": stats.start_time, "end_time": stats.end_time},
    })


def get_events(request: Request) -> JSONResponse:
    """A run's event log after a cursor, as rows of ``fields``.
    ---
    summary: Get a run's events
    parameters:
      - {name: after, in: query, schema: {type: integer, default: -1}, description: "The id of the last event already seen (-1: from the start)."}
      - {name: limit, in: query, schema: {type: integer}, description: At most this many.}
    responses:
      200: {description: "{fields: [id, timestamp, level, step_key, event_type, message, error], events: [[...]], cursor: int, status: string}"}
      404: {description: No such run.}
    """
    instance = _context(request).instance
    run_id = request.path_params["run_id"]
    run = instance.get_run_by_id(run_id)
    if run is None:
        return _error(404, f'No run "{run_id}" in this instance.')
    try:
        after = int(request.query_params.get("after", -1))
        limit = int(request.query_params["limit"]) if "limit" in request.query_params else None
    except ValueError:
        return _error(400, "after and limit must be integers.")
    rows = [serialize.event_row(r) for r in instance.get_event_records(run_id, after,
                                                                        limit=limit)]
    return JSONResponse({"fields": serialize.EVENT_FIELDS, "events": rows,
                         "cursor": rows[-1][0] if rows else after,
                         "status": run.status.value})


async def stream_events(request: Request) -> Any:
    """A run's new events as they are stored, as server-sent events: each ``events``
    message is ``{events, cursor, status}``; an ``end`` message follows once the run has
    finished and every event was sent.
    ---
    summary: Stream a run's events (text/event-stream)
    parameters:
      - {name: after, in: query, schema: {type: integer, default: -1}, description: The id of the last event already seen.}
    responses:
      200: {description: "text/event-stream of `events` and `end` messages"}
      404: {description: No such run.}
    """
    instance = _context(request).instance
    run_id = request.path_params["run_id"]
    if await run_in_threadpool(instance.get_run_by_id, run_id) is None:
        return _error(404, f'No run "{run_id}" in this instance.')
    try:
        after = int(request.query_params.get("after", -1))
    except ValueError:
        return _error(400, "after must be an integer.")

    def poll(cursor: int) -> tuple[list[list[Any]], str, bool]:
        # The status first: once a run is seen finished, every event of it is stored.
        run = instance.get_run_by_id(run_id)
        rows = [serialize.event_row(r)
                for r in instance.get_event_records(run_id, cursor, limit=STREAM_CHUNK)]
        return rows, run.status.value, run.is_finished and len(rows) < STREAM_CHUNK

    async def messages() -> AsyncIterator[str]:
        cursor = after
        last_status = None
        yield "retry: 1000\n\n"
        while True:
            rows, status, finished = await run_in_threadpool(poll, cursor)
            if rows or status != last_status:
                cursor = rows[-1][0] if rows else cursor
                last_status = status
                payload = json.dumps({"events": rows, "cursor": cursor, "status": status})
                yield f"event: events\nid: {cursor}\ndata: {payload}\n\n"
            if finished:
                yield f"event: end\ndata: {json.dumps({'status': status})}\n\n"
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(STREAM_POLL_SECONDS)

    return StreamingResponse(messages(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def get_step_logs(request: Request) -> JSONResponse:
    """What a step printed to stdout and stderr.
    ---
    summary: Get a step's stdout and stderr
    responses:
      200: {description: "{stdout, stderr}"}
      404: {description: No such run, or no such step in it.}
    """
    instance = _context(request).instance
    run_id = request.path_params["run_id"]
    step_key = request.path_params["step_key"]
    if instance.get_run_by_id(run_id) is None:
        return _error(404, f'No run "{run_id}" in this instance.')
    # Only a step the run has: the key becomes part of a file name.
    if step_key not in {s.step_key for s in instance.get_run_step_stats(run_id)}:
        return _error(404, f'Run {run_id} has no step "{step_key}".')
    logs = instance.compute_log_manager.read_logs(run_id, step_key)
    return JSONResponse({"stdout": logs.stdout, "stderr": logs.stderr})


def cancel_run(request: Request) -> JSONResponse:
    """Cancel a queued or running run (its process gets SIGTERM, SIGKILL after 10 s).
    ---
    summary: Cancel a run
    responses:
      200: {description: "{run_id, status}"}
      404: {description: No such run.}
      409: {description: The run has already ended.}
    """
    instance = _context(request).instance
    run_id = request.path_params["run_id"]
    run = instance.get_run_by_id(run_id)
    if run is None:
        return _error(404, f'No run "{run_id}" in this instance.')
    if run.is_finished:
        return _error(409, f"Run {run_id} already ended {run.status.value}: there is nothing "
                           "to cancel.")
    run = instance.cancel_run(run_id, 10.0)
    return JSONResponse({"run_id": run_id, "status": run.status.value})


async def reexecute_run(request: Request) -> JSONResponse:
    """Re-execute a run: every step, the steps that did not succeed, or a step selection,
    optionally with another run config; the new run goes to the run coordinator.
    ---
    summary: Re-execute a run
    requestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              from_failure: {type: boolean}
              steps: {type: string, description: 'Step selection: "load,transform*".'}
              config_yaml: {type: string, description: Run config for the new run (default the run's own).}
    responses:
      200: {description: "{run_id, status}"}
      400: {description: "{error, errors: [{message, path, line}]}"}
      404: {description: No such run.}
    """
    try:
        body = await _body(request)
    except BadQuery as error:
        return _error(400, str(error))
    return await run_in_threadpool(_reexecute, request, body)


def _reexecute(request: Request, body: dict[str, Any]) -> JSONResponse:
    from headwater import ReconstructablePipeline
    from headwater.integration import prepare_reexecution
    from headwater_ui.launchpad import parse_yaml

    instance = _context(request).instance
    run_id = request.path_params["run_id"]
    parent = instance.get_run_by_id(run_id)
    if parent is None:
        return _error(404, f'No run "{run_id}" in this instance.')
    if not parent.pipeline_origin:
        return _error(400, f"Run {run_id} records no pointer to its pipeline's code (it was "
                           "executed from Python without reconstructable()): re-execute it "
                           "from Python.")
    from_failure = bool(body.get("from_failure"))
    steps = (body.get("steps") or "").strip() or None
    if from_failure and steps:
        return _error(400, "Give from_failure or steps, not both.")
    run_config = None
    if body.get("config_yaml"):
        run_config, errors = parse_yaml(body["config_yaml"])
        if run_config is None:
            return _error(400, errors[0].message, errors=[e.as_dict() for e in errors])
    try:
        prepared, _ = prepare_reexecution(ReconstructablePipeline(parent.pipeline_origin),
                                          run_id, instance, run_config, steps,
                                          from_failure=from_failure)
        instance.create_run(prepared.run)
        submitted = instance.submit_run(prepared.run.run_id)
    except HeadwaterError as error:
        return _error(400, str(error), errors=_config_errors(error, body.get("config_yaml")))
    return JSONResponse({"run_id": submitted.run_id, "status": submitted.status.value})


def _config_errors(error: HeadwaterError, text: str | None) -> list[dict[str, Any]]:
    from headwater import HeadwaterInvalidConfigError
    from headwater_ui.launchpad import LineFinder, _config_error

    if not isinstance(error, HeadwaterInvalidConfigError):
        return [{"message": str(error), "path": None, "line": None}]
    lines = LineFinder(text or "")
    return [_config_error(item, lines).as_dict() for item in error.errors]


# -- workspace and pipelines ----------------------------------------------------------------


def get_workspace(request: Request) -> JSONResponse:
    """The code locations: repositories with their pipelines, schedules and sensors, and the
    error of each location that did not load.
    ---
    summary: Get the workspace
    responses:
      200: {description: "{locations: [{name, error, repositories: [{name, pipelines, schedules, sensors}]}]}"}
    """
    context = _context(request)
    locations = []
    for location in context.workspace.locations:
        locations.append({
            "name": location.name,
            "error": str(location.error) if location.error is not None else None,
            "repositories": [{
                "name": loaded.name,
                "pipelines": [{"name": p.name, "description": p.description,
                               "modes": p.available_modes,
                               "presets": [preset.name for preset in p.preset_defs]}
                              for p in loaded.definition.get_all_pipelines()],
                "schedules": [s.name for s in loaded.definition.schedule_defs],
                "sensors": [s.name for s in loaded.definition.sensor_defs],
            } for loaded in location.repositories],
        })
    return JSONResponse({"locations": locations, "error": context.workspace_error})


def reload_workspace(request: Request) -> JSONResponse:
    """Load the code again.
    ---
    summary: Reload the workspace
    responses:
      200: {description: "{locations: int, errors: [string]}"}
    """
    workspace = _context(request).reload()
    return JSONResponse({"locations": len(workspace.locations),
                         "errors": [f"{name}: {error}" for name, error in workspace.errors]})


def _pipeline(request: Request) -> tuple[Any, Any] | JSONResponse:
    params = request.path_params
    loaded = _context(request).find_repository(params["location"], params["repository"])
    if loaded is None or not loaded.definition.has_pipeline(params["pipeline"]):
        return _error(404, f'No pipeline "{params["pipeline"]}" in repository '
                           f'"{params["repository"]}" of location "{params["location"]}".')
    return loaded, loaded.definition.get_pipeline(params["pipeline"])


def get_graph(request: Request) -> JSONResponse:
    """A pipeline's (or composite's) solids laid out as a graph, with each solid's details.
    ---
    summary: Get a pipeline's graph
    parameters:
      - {name: path, in: query, schema: {type: string}, description: "Dotted composite names inside the pipeline."}
    responses:
      200: {description: "{nodes: [{name, x, y, is_composite, has_dynamic_output}], edges: [{source, output, target, input, kind}], solids: [...]}"}
      404: {description: No such pipeline or composite.}
    """
    from dataclasses import asdict

    from headwater_ui.graph import build_graph, resolve_graph, solid_details

    found = _pipeline(request)
    if isinstance(found, JSONResponse):
        return found
    try:
        graph_def, _ = resolve_graph(found[1], request.query_params.get("path"))
    except KeyError as error:
        return _error(404, f'"{error.args[0]}" is not a composite solid of this graph.')
    graph = build_graph(graph_def)
    return JSONResponse({"nodes": [asdict(n) for n in graph.nodes],
                         "edges": [asdict(e) for e in graph.edges],
                         "width": graph.width, "height": graph.height,
                         "solids": solid_details(graph_def)})


def get_seed(request: Request) -> JSONResponse:
    """The YAML the launchpad starts from, for a mode or a preset.
    ---
    summary: Get a starting run config
    parameters:
      - {name: mode, in: query, schema: {type: string}}
      - {name: preset, in: query, schema: {type: string}}
    responses:
      200: {description: "{config_yaml, mode, solid_selection}"}
      400: {description: Unknown mode or preset.}
    """
    from headwater_ui.launchpad import seed_yaml

    found = _pipeline(request)
    if isinstance(found, JSONResponse):
        return found
    definition = found[1]
    preset = request.query_params.get("preset") or None
    mode = request.query_params.get("mode") or None
    try:
        text = seed_yaml(definition, mode, preset)
    except HeadwaterError as error:
        return _error(400, str(error))
    chosen = definition.get_preset(preset) if preset else None
    return JSONResponse({"config_yaml": text, "mode": chosen.mode if chosen else mode,
                         "solid_selection": ",".join(chosen.solid_selection)
                         if chosen and chosen.solid_selection else ""})


def get_selection(request: Request) -> JSONResponse:
    """The top-level solids a solid selection picks.
    ---
    summary: Preview a solid selection
    parameters:
      - {name: q, in: query, schema: {type: string}, description: 'Clauses, comma-separated: "load*,+report".'}
    responses:
      200: {description: "{solids: [string], error: string|null}"}
    """
    from headwater_ui.launchpad import preview_selection

    found = _pipeline(request)
    if isinstance(found, JSONResponse):
        return found
    solids, error = preview_selection(found[1], request.query_params.get("q", ""))
    return JSONResponse({"solids": solids, "error": error})


def _launch_args(body: dict[str, Any]) -> tuple[str, str | None, list[str] | None,
                                                dict[str, Any] | None]:
    text = body.get("config_yaml") or ""
    if not isinstance(text, str):
        raise BadQuery("config_yaml must be a string of YAML.")
    selection_text = (body.get("selection") or "").strip()
    selection = [c.strip() for c in selection_text.split(",") if c.strip()] or None
    if selection == ["*"]:
        selection = None
    tags = body.get("tags") or None
    if isinstance(tags, str):
        try:
            tags = json.loads(tags) if tags.strip() else None
        except json.JSONDecodeError as error:
            raise BadQuery(f"Tags are not JSON ({error.msg}); give an object such as "
                           '{"team": "data"}.') from None
    if tags is not None and not isinstance(tags, dict):
        raise BadQuery('Tags must be a JSON object such as {"team": "data"}.')
    return text, body.get("mode") or None, selection, tags


async def check_config(request: Request) -> JSONResponse:
    """Validate a run config as the command line does, each error with its YAML line.
    ---
    summary: Check a run config
    requestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              config_yaml: {type: string}
              mode: {type: string}
              selection: {type: string}
              tags: {type: string, description: A JSON object.}
    responses:
      200: {description: "{ok: bool, errors: [{message, path, line}]}"}
    """
    try:
        body = await _body(request)
        args = _launch_args(body)
    except BadQuery as error:
        return JSONResponse({"ok": False, "errors": [{"message": str(error), "path": None,
                                                      "line": None}]})
    return await run_in_threadpool(_check, request, args, False)


async def launch_run(request: Request) -> JSONResponse:
    """Check a run config and submit the run to the instance's run coordinator (a queued
    coordinator leaves it QUEUED for the daemon).
    ---
    summary: Launch a run
    requestBody:
      content:
        application/json:
          schema: {type: object, properties: {config_yaml: {type: string}, mode: {type: string}, selection: {type: string}, tags: {type: string}}}
    responses:
      200: {description: "{run_id, status}"}
      400: {description: "{error, errors: [{message, path, line}]}"}
    """
    try:
        body = await _body(request)
        args = _launch_args(body)
    except BadQuery as error:
        return _error(400, str(error), errors=[{"message": str(error), "path": None,
                                                "line": None}])
    return await run_in_threadpool(_check, request, args, True)


def _check(request: Request, args: tuple[Any, ...], launch: bool) -> JSONResponse:
    from headwater_ui.launchpad import check

    found = _pipeline(request)
    if isinstance(found, JSONResponse):
        return found
    loaded, definition = found
    text, mode, selection, tags = args
    checked = check(loaded.reconstructable_pipeline(definition.name), text, mode, selection,
                    tags)
    errors = [e.as_dict() for e in checked.errors]
    if not launch:
        return JSONResponse({"ok": checked.ok, "errors": errors})
    if not checked.ok:
        return _error(400, "The run config is not valid.", errors=errors)
    instance = _context(request).instance
    try:
        instance.create_run(checked.prepared.run)
        submitted = instance.submit_run(checked.prepared.run.run_id)
    except HeadwaterError as error:
        return _error(400, str(error), errors=[{"message": str(error), "path": None,
                                                "line": None}])
    return JSONResponse({"run_id": submitted.run_id, "status": submitted.status.value})


# -- schedules, sensors, backfills, instance ----------------------------------------------


def _job_json(context: Any, row: dict[str, Any]) -> dict[str, Any]:
    tick = row["last_tick"]
    return {key: row[key] for key in ("kind", "name", "repository", "location",
                                      "pipeline_name", "cron_schedule", "timezone", "status")} \
        | {"last_tick": serialize.tick(tick) if tick else None,
           "next_ticks": next_ticks(row["definition"]) if row["status"] == "RUNNING" else []}


def list_jobs(request: Request) -> JSONResponse:
    """Every schedule and sensor of the workspace with its status and ticks to come.
    ---
    summary: List schedules and sensors
    responses:
      200: {description: "{jobs: [{kind, name, repository, pipeline_name, status, last_tick, next_ticks}]}"}
    """
    context = _context(request)
    return JSONResponse({"jobs": [_job_json(context, row) for row in job_rows(context)]})


def get_job(request: Request) -> JSONResponse:
    """A schedule or sensor with its latest ticks.
    ---
    summary: Get a schedule or sensor
    responses:
      200: {description: "{job, ticks: [{timestamp, status, run_ids, skip_reason, error}]}"}
      404: {description: No such schedule or sensor.}
    """
    from headwater.integration import job_origin_id

    context = _context(request)
    params = request.path_params
    try:
        kind = job_type(params["kind"])
    except BadQuery as error:
        return _error(404, str(error))
    row = find_job(context, params["kind"], params["repository"], params["name"])
    if row is None:
        return _error(404, f'No {params["kind"]} "{params["name"]}" in repository '
                           f'"{params["repository"]}".')
    ticks = context.instance.get_job_ticks(
        job_origin_id(kind, params["repository"], params["name"]), limit=50)
    return JSONResponse({"job": _job_json(context, row),
                         "ticks": [serialize.tick(t) for t in ticks]})


def toggle_job(request: Request) -> JSONResponse:
    """Start or stop a schedule or sensor (the daemon acts on running ones).
    ---
    summary: Start or stop a schedule or sensor
    responses:
      200: {description: "{name, status}"}
      404: {description: No such schedule or sensor.}
    """
    import time

    from headwater.integration import start_job, stop_job

    context = _context(request)
    params = request.path_params
    if params["action"] not in ("start", "stop"):
        return _error(404, f'"{params["action"]}" is neither start nor stop.')
    try:
        kind = job_type(params["kind"])
    except BadQuery as error:
        return _error(404, str(error))
    if find_job(context, params["kind"], params["repository"], params["name"]) is None:
        return _error(404, f'No {params["kind"]} "{params["name"]}" in repository '
                           f'"{params["repository"]}".')
    if params["action"] == "start":
        start_job(context.instance, kind, params["repository"], params["name"], time.time())
        status = "RUNNING"
    else:
        stop_job(context.instance, kind, params["repository"], params["name"])
        status = "STOPPED"
    return JSONResponse({"name": params["name"], "status": status})


def list_backfills(request: Request) -> JSONResponse:
    """Every backfill with the status of each partition's run.
    ---
    summary: List backfills
    responses:
      200: {description: "{backfills: [{backfill_id, status, num_submitted, partitions: [{name, run_status}]}]}"}
    """
    instance = _context(request).instance
    return JSONResponse({"backfills": [
        serialize.backfill(b, backfill_partition_statuses(instance, b.backfill_id))
        for b in instance.get_backfills()]})


def list_partition_sets(request: Request) -> JSONResponse:
    """Every partition set with the status of each partition's latest run.
    ---
    summary: List partition sets
    responses:
      200: {description: "{partition_sets: [{name, repository, pipeline_name, partitions: [{name, run_status}]}]}"}
    """
    return JSONResponse({"partition_sets": partition_sets(_context(request))})


def get_instance(request: Request) -> JSONResponse:
    """The instance's parts and the daemon's duties with their last heartbeats.
    ---
    summary: Get the instance
    responses:
      200: {description: "{home, run_coordinator, run_launcher, runs, daemon: [{duty, state, timestamp, error}]}"}
    """
    instance = _context(request).instance
    return JSONResponse({
        "home": instance.home,
        "run_storage": type(instance.run_storage).__name__,
        "event_log_storage": type(instance.event_log_storage).__name__,
        "run_coordinator": instance.run_coordinator_config.describe(),
        "run_launcher": instance.run_launcher_config.describe(),
        "runs": instance.get_runs_count(),
        "daemon": daemon_duties(instance),
    })
