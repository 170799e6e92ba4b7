"""Executing a run in the command's own process, recorded in the instance and shown live
(``headwater pipeline execute``, ``headwater run reexecute``).

The run records this process and writes a heartbeat, like a launched run, so that the
daemon fails it if the process dies and ``headwater run cancel`` can stop it (SIGTERM ends
it CANCELED).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, cast

import click

from headwater.errors import HeadwaterStorageUnavailableError

RUN_FAILED_EXIT_CODE = 1
INTERRUPTED_EXIT_CODE = 130


def execute_with_report(instance: Any, pipeline: Any, prepared: Any,
                        known: Mapping[str, Any] | None = None) -> None:
    """Record and execute a prepared run here, printing each step as it starts and ends.

    Args:
        instance: The open instance to record the run in.
        pipeline: The pipeline (a ReconstructablePipeline, for executors that need one).
        prepared: The prepared run (``execution.api.prepare_run``).
        known: What a re-execution knows before it starts (``prepare_reexecution``).

    Raises:
        click.exceptions.Exit: with 1 when the run fails, 130 when it is interrupted or
            canceled.
    """
    from headwater.cli.console import make_run_console
    from headwater.cli.errors import reported_errors
    from headwater.cli.run_report import ReportingRecorder, RunReport
    from headwater.execution.api import check_executor, execute_run_iterator
    from headwater.instance.run_process import RunHeartbeat, sigterm_interrupts

    report = RunReport(make_run_console())
    recorder = ReportingRecorder(instance, report)
    # A run its executor cannot execute, or storage that cannot take it, is refused (exit 2)
    # before it starts.
    with reported_errors():
        check_executor(pipeline, prepared, recorder)
        recorder.create_run(prepared.run)
    # A generator: closing it ends a run interrupted between two events.
    events = cast("Generator[Any, None, None]", execute_run_iterator(
        pipeline, prepared, recorder, default_console_logger=False, **dict(known or {})))
    try:
        with sigterm_interrupts(), RunHeartbeat(instance, prepared.run.run_id):
            for event in events:
                report.event(event)
    except HeadwaterStorageUnavailableError as error:
        recorded = instance.record_storage_failure(prepared.run.run_id, error)
        outcome = ("The run is marked FAILURE." if recorded else
                   "The run could not be marked failed: it stays STARTED until the daemon's "
                   "run monitor sees this process gone (headwater daemon run).")
        click.echo(f"\n{error}\n{outcome}", err=True)
        raise click.exceptions.Exit(RUN_FAILED_EXIT_CODE) from None
    except KeyboardInterrupt:
        report.interrupted()
        report.summary()
        raise click.exceptions.Exit(INTERRUPTED_EXIT_CODE) from None
    finally:
        # Interrupted between two events, the run still records its end, while the
        # instance is open.
        events.close()
    report.summary()
    if not report.success:
        raise click.exceptions.Exit(RUN_FAILED_EXIT_CODE)
