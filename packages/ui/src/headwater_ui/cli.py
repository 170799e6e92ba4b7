"""``headwater ui``: serve the web UI for the instance and the code given."""

from __future__ import annotations

from typing import Any

import click

from headwater.integration import CodeTarget, fail_command, reported_errors, target_options

TOKEN_ENV = "HEADWATER_UI_TOKEN"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command("ui")
@target_options(pipeline_name=False, required=False)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but loopback needs --auth-token (or "
                   "--insecure).")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(0, 65535),
              help="The port to listen on (0: any free port, printed at start).")
@click.option("--auth-token", envvar=TOKEN_ENV, metavar="TOKEN",
              help=f"A secret every request must carry (also ${TOKEN_ENV}). Open the UI once "
                   "with ?token=TOKEN; scripts send Authorization: Bearer TOKEN.")
@click.option("--insecure", is_flag=True,
              help="Serve on a non-loopback address without a token: anyone who reaches it "
                   "can launch and cancel runs.")
def ui_command(target: CodeTarget | None, host: str, port: int, auth_token: str | None,
               insecure: bool) -> None:
    """Serve the web UI: runs with live logs, pipelines and their graphs, the launchpad,
    schedules, sensors, backfills and the daemon.

    It shows the instance ($HEADWATER_HOME, ~/.headwater by default) that the command line
    and the daemon use, and the code given (-w workspace.yaml, ./workspace.yaml, or -f/-m).

    \b
    Examples:
        headwater ui -f examples/hello_headwater.py
        headwater ui -w workspace.yaml --port 8080
        HEADWATER_UI_TOKEN=s3cret headwater ui -w workspace.yaml --host 0.0.0.0
    """
    import uvicorn

    from headwater import Instance
    from headwater_ui import UIContext, create_app

    loopback = host in LOOPBACK
    if not loopback and not auth_token and not insecure:
        fail_command(f"Serving on {host} exposes the UI beyond this machine: give --auth-token TOKEN "
             f"(or set ${TOKEN_ENV}), or --insecure if anyone who reaches it may launch and "
             "cancel runs.")
    with reported_errors():
        instance = Instance.get()
    context = UIContext(instance, _fresh(target) if target is not None else None, auth_token)
    with instance:
        with reported_errors():
            workspace = context.workspace
        for name, error in workspace.errors:
            click.echo(f'Location "{name}" did not load: {error}', err=True)
        app = create_app(context, loopback_only=loopback and not auth_token)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                                access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        _announce(server, host, port, bool(auth_token))
        server.run()


def _fresh(target: CodeTarget) -> Any:
    """Loads the target's workspace anew on each call (so that Reload sees changed code)."""

    def load() -> Any:
        return CodeTarget(**{name: getattr(target, name) for name in (
            "python_file", "module_name", "attribute", "working_directory", "pipeline_name",
            "workspace_file", "location", "repository")}).loaded_workspace

    return load


def _announce(server: Any, host: str, port: int, with_token: bool) -> None:
    """Print the address once the server listens (the real port when 0 was asked)."""
    original = server.startup

    async def startup(sockets: Any = None) -> None:
        await original(sockets=sockets)
        bound = port
        for found in getattr(server, "servers", []):
            for sock in found.sockets:
                bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        note = " (open it with ?token=YOUR_TOKEN once)" if with_token else ""
        click.echo(f"Headwater UI on http://{shown}:{bound}/{note}  (Ctrl-C stops it)",
                   err=True)

    server.startup = startup
