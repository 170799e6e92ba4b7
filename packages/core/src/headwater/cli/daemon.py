"""``headwater daemon``: run the background duties of the instance, and see how they fare."""

from __future__ import annotations

import click

from headwater.cli.errors import fail, reported_errors
from headwater.cli.targets import CodeTarget, target_options

# A duty whose last heartbeat is older than this many of its intervals is shown as late.
_LATE_AFTER_INTERVALS = 3


@click.group("daemon")
def daemon_cli() -> None:
    """The daemon: launches queued runs and fails runs whose process died."""


@daemon_cli.command("run")
@click.option("--once", is_flag=True,
              help="Do one iteration of every duty and exit (for cron, or to try it out).")
@target_options(pipeline_name=False, required=False)
def run_command(once: bool, target: CodeTarget | None) -> None:
    """Run the daemon's duties until stopped (Ctrl-C or SIGTERM).

    The duties of the instance ($HEADWATER_HOME): the run monitor (a run in progress whose
    process is gone, or silent for longer than run_monitoring.heartbeat_timeout_seconds,
    ends FAILURE) and, when run_coordinator is queued, the run queue. Given code (-w
    workspace.yaml, ./workspace.yaml, or -f/-m), also the scheduler, the sensors and the
    backfills of its repositories. Each records a heartbeat in the instance: see
    `headwater daemon status`.

    \b
    Example:
        headwater daemon run -w examples/workspace.yaml
    """
    import logging
    import signal
    import threading

    from headwater.cli.console import make_console
    from headwater.daemon import DaemonController, required_duties
    from headwater.instance import Instance

    with reported_errors():
        instance = Instance.get()
    with instance:
        if not instance.is_persistent:
            fail(f"The daemon cannot run on the instance at {instance.home}: it keeps runs in "
                 "memory (run_storage or event_log_storage in_memory in headwater.yaml), "
                 "where no other process sees them. Use sqlite (the default) or postgres "
                 "storage.")
        with reported_errors():
            workspace = target.loaded_workspace if target is not None else None
            controller = DaemonController(instance, required_duties(instance, workspace))
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        for name, error in workspace.errors if workspace is not None else ():
            # The other locations still run: this one's schedules and sensors wait for a
            # restart of the daemon with its code fixed.
            logging.getLogger("headwater.daemon").error(
                'Location "%s" did not load; its schedules, sensors and backfills are not '
                "run: %s\n%s", name, error, error.user_traceback or "")
        if once:
            if not controller.try_lease():
                lease = controller.lease
                make_console().print(
                    f"Daemon {lease.daemon_id} (pid {lease.pid} on {lease.hostname}) works for "
                    f"the instance at {instance.home}: --once did nothing. Stop that daemon "
                    "first, or let it do the work.")
                return
            try:
                errors = controller.run_once()
            finally:
                instance.release_daemon_lease(controller.daemon_id)
            if any(error is not None for error in errors.values()):
                raise click.exceptions.Exit(1)
            return
        console = make_console()
        if workspace is None:
            console.print("No code given (-w workspace.yaml, or -f/-m): schedules, sensors "
                          "and backfills are not run.")
        duties = ", ".join(f"{d.name} (every {d.interval_seconds:g}s)" for d in controller.duties)
        console.print(f"Daemon {controller.daemon_id} on {instance.home}: {duties}. "
                      "Ctrl-C stops it.")
        stopping = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        controller.start()
        if not controller.is_leader and controller.lease is not None:
            lease = controller.lease
            console.print(f"Daemon {lease.daemon_id} (pid {lease.pid} on {lease.hostname}) "
                          "works for this instance: this one waits as a standby and takes "
                          "over if that one stops.")
        try:
            # Wake now and then: signals are handled in this thread between waits.
            while not stopping.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            console.print("Stopping the daemon after the current iterations...")
            controller.stop()


@daemon_cli.command("status")
def status_command() -> None:
    """Which daemon holds the instance's lease, and each duty of the daemon: its last
    heartbeat, and the error of its last iteration."""
    import time

    from rich.text import Text

    from headwater.cli.console import format_duration, make_console, new_table, print_table
    from headwater.daemon import required_duties
    from headwater.workspace import Workspace

    with reported_errors():
        from headwater.instance import Instance

        with Instance.get() as instance:
            # Every duty a daemon may run, its code aside, so that those not running show.
            duties = {duty.name: duty for duty in required_duties(instance, Workspace([]))}
            heartbeats = instance.get_daemon_heartbeats()
            lease = instance.get_daemon_lease()
            lease_seconds = instance.daemon_settings.lease_seconds
    now = time.time()
    console = make_console()
    if lease is None or now - lease.renewed > lease_seconds:
        console.print("Lease: no daemon works for this instance.")
    else:
        console.print(f"Lease: daemon {lease.daemon_id} (pid {lease.pid} on {lease.hostname}), "
                      f"holding it for {format_duration(now - lease.acquired)}, renewed "
                      f"{format_duration(now - lease.renewed)} ago.")
    table = new_table(console)
    for column in ("Duty", "Status", "Last heartbeat", "Daemon", "Last error"):
        table.add_column(column, overflow="fold")
    for name in sorted({*duties, *heartbeats}):
        heartbeat = heartbeats.get(name)
        duty = duties.get(name)
        if heartbeat is None:
            table.add_row(name, Text("not running", style="yellow"), "never", "", "")
            continue
        age = now - heartbeat.timestamp
        late = duty is not None and age > _LATE_AFTER_INTERVALS * max(duty.interval_seconds, 1)
        status = (Text("late", style="yellow") if late
                  else Text("failing", style="red") if heartbeat.error is not None
                  else Text("ok", style="green"))
        error = heartbeat.error.message if heartbeat.error is not None else ""
        table.add_row(name, status, f"{format_duration(age)} ago", heartbeat.daemon_id[:8],
                      Text(error, style="red"))
    print_table(console, table)
