"""The ASGI app: pages, the JSON API, static assets, security checks."""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.schemas import SchemaGenerator
from starlette.staticfiles import StaticFiles

from headwater_ui import api, pages_jobs, pages_pipelines, pages_runs
from headwater_ui.context import UIContext
from headwater_ui.html import h, page
from headwater_ui.security import SecurityMiddleware

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")

_SCHEMAS = SchemaGenerator({"openapi": "3.0.0",
                            "info": {"title": "Headwater UI API", "version": "0.1.0"}})


def _not_found(context: UIContext, what: str) -> HTMLResponse:
    body = f'<h1>Not found</h1><p class="error">{h(what)}</p>'
    return HTMLResponse(page("Not found", body, context.csrf_token), status_code=404)


def _html(render: Any) -> Any:
    """A page endpoint from ``render(context, request)`` (None: not found), run in a worker
    thread since it reads storage."""

    async def endpoint(request: Request) -> Response:
        context = request.app.state.context
        text = await run_in_threadpool(render, context, request)
        if text is None:
            return _not_found(context, f"Nothing at {request.url.path}.")
        return HTMLResponse(text)

    return endpoint


def _openapi(request: Request) -> Response:
    schema = _SCHEMAS.get_schema(routes=request.app.routes)
    return JSONResponse(schema)


def _routes() -> list[Any]:
    p = pages_pipelines
    pipeline = "/pipelines/{location}/{repository}/{pipeline}"
    return [
        Route("/", lambda request: RedirectResponse("/runs"), include_in_schema=False),
        Route("/favicon.ico", lambda request: Response(status_code=204), include_in_schema=False),
        Route("/runs", _html(lambda c, r: pages_runs.runs_list(c, dict(r.query_params))),
              include_in_schema=False),
        Route("/runs/{run_id}", _html(lambda c, r: pages_runs.run_page(
            c, r.path_params["run_id"])), include_in_schema=False),
        Route("/workspace", _html(lambda c, r: p.workspace_page(c)), include_in_schema=False),
        Route(pipeline, _html(lambda c, r: p.pipeline_page(
            c, **r.path_params, path=r.query_params.get("path", ""))), include_in_schema=False),
        Route(pipeline + "/launchpad", _html(lambda c, r: p.launchpad_page(c, **r.path_params)),
              include_in_schema=False),
        Route("/schedules", _html(lambda c, r: pages_jobs.schedules_page(c)),
              include_in_schema=False),
        Route("/jobs/{kind}/{repository}/{name}", _html(lambda c, r: pages_jobs.job_page(
            c, **r.path_params)), include_in_schema=False),
        Route("/instance", _html(lambda c, r: pages_jobs.instance_page(c)),
              include_in_schema=False),
        Route("/api/openapi.json", _openapi, include_in_schema=False),
        Route("/api/runs", api.list_runs),
        Route("/api/runs/{run_id}", api.get_run),
        Route("/api/runs/{run_id}/events", api.get_events),
        Route("/api/runs/{run_id}/events/stream", api.stream_events),
        Route("/api/runs/{run_id}/logs/{step_key}", api.get_step_logs),
        Route("/api/runs/{run_id}/cancel", api.cancel_run, methods=["POST"]),
        Route("/api/runs/{run_id}/reexecute", api.reexecute_run, methods=["POST"]),
        Route("/api/workspace", api.get_workspace),
        Route("/api/workspace/reload", api.reload_workspace, methods=["POST"]),
        Route("/api" + pipeline + "/graph", api.get_graph),
        Route("/api" + pipeline + "/seed", api.get_seed),
        Route("/api" + pipeline + "/selection", api.get_selection),
        Route("/api" + pipeline + "/check", api.check_config, methods=["POST"]),
        Route("/api" + pipeline + "/launch", api.launch_run, methods=["POST"]),
        Route("/api/jobs", api.list_jobs),
        Route("/api/jobs/{kind}/{repository}/{name}", api.get_job),
        Route("/api/jobs/{kind}/{repository}/{name}/{action:str}", api.toggle_job,
              methods=["POST"]),
        Route("/api/backfills", api.list_backfills),
        Route("/api/partition_sets", api.list_partition_sets),
        Route("/api/instance", api.get_instance),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def create_app(context: UIContext, loopback_only: bool = True) -> Any:
    """The UI as an ASGI app.

    Args:
        context: The instance and code to show.
        loopback_only: Answer only requests addressed to a loopback host name (the default
            when serving on 127.0.0.1).
    """
    app = Starlette(routes=_routes())
    app.state.context = context
    return SecurityMiddleware(app, context, loopback_only)
