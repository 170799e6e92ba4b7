"""One tick of a schedule or sensor, from its record to its runs, exactly once.

A tick goes through three recorded steps, so that a daemon that stops at any point
completes it later without creating a run twice:

1. the tick is stored STARTED (by the scheduler or the sensor duty), before anything runs;
2. the user's code is evaluated and the runs it asks for are stored on the tick, each with
   its run id fixed in advance (``planned_runs``); a sensor's request for a run key that
   has its run already is left out;
3. each planned run is created and submitted once (see
   :func:`headwater.daemon.submission.submit_run_once`), and the tick ends SUCCESS, SKIPPED
   (no run asked for) or FAILURE (the user's code raised, or a run could not be created),
   with the traceback.

A tick found STARTED is completed from where it stopped: evaluated if it has no plan yet,
else its planned runs are submitted (those submitted before are not submitted again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from headwater.daemon.submission import RunTarget, Submission, submit_run_once
from headwater.definitions.run_request import RunRequest, TickData
from headwater.execution.events import SerializableErrorInfo
from headwater.instance.jobs import JobState, JobTick, PlannedRun, TickRecord, TickStatus

if TYPE_CHECKING:
    from headwater.instance import Instance

_log = logging.getLogger("headwater.daemon")


def start_tick(instance: Instance, state: JobState, timestamp: float) -> TickRecord:
    """Store a new STARTED tick of a job at ``timestamp``."""
    return instance.create_job_tick(JobTick(state.origin_id, state.name, state.job_type,
                                            TickStatus.STARTED, timestamp))


def complete_tick(instance: Instance, record: TickRecord, target: RunTarget,
                  evaluate: Callable[[], TickData],
                  plan_run: Callable[[int, RunRequest], PlannedRun],
                  runs_keyed_by_job: bool) -> TickRecord:
    """Evaluate a STARTED tick if it has no plan yet, submit its planned runs, end it.

    Args:
        instance: Where the tick and its runs are stored.
        record: The tick.
        target: What its runs run.
        evaluate: Runs the user's code for the tick.
        plan_run: The planned run (id and final request) of the i-th request.
        runs_keyed_by_job: Whether a run key stands for one run of the job ever (sensors):
            a request whose run exists already is then left out of the plan.

    Returns:
        The ended tick.
    """
    if record.tick.planned_runs is None:
        try:
            data = evaluate()
        except Exception as error:
            _log.exception("%s %s raised at its tick.", record.tick.job_type.value.title(),
                           record.tick.job_name)
            return _end(instance, record, TickStatus.FAILURE,
                        error=SerializableErrorInfo.from_exception(error))
        record = _plan(instance, record, data, plan_run, runs_keyed_by_job)
    return _submit_planned_runs(instance, record, target)


def _plan(instance: Instance, record: TickRecord, data: TickData,
          plan_run: Callable[[int, RunRequest], PlannedRun],
          runs_keyed_by_job: bool) -> TickRecord:
    planned = []
    requested_before = []
    for index, request in enumerate(data.run_requests):
        run = plan_run(index, request)
        if runs_keyed_by_job and request.run_key is not None and instance.has_run(run.run_id):
            requested_before.append(request.run_key)
        else:
            planned.append(run)
    skip_reason = data.skip_message
    if requested_before and not planned and skip_reason is None:
        skip_reason = ("Runs were requested before for every run key asked for: "
                       f"{', '.join(requested_before)}.")
    planned_record = TickRecord(record.tick_id, record.tick.with_changes(
        planned_runs=planned, skip_reason=skip_reason, cursor=data.cursor))
    instance.update_job_tick(planned_record)
    return planned_record


def _submit_planned_runs(instance: Instance, record: TickRecord,
                         target: RunTarget) -> TickRecord:
    error: SerializableErrorInfo | None = None
    for planned in record.tick.planned_runs or []:
        if planned.run_id in record.tick.run_ids:
            continue
        key = planned.request.run_key
        try:
            outcome = submit_run_once(instance, target, planned.run_id,
                                      planned.request.run_config, planned.request.tags)
        except Exception as raised:
            _log.exception("Could not create the run of %s %s%s.",
                           record.tick.job_type.value.lower(), record.tick.job_name,
                           f" for run key {key}" if key is not None else "")
            error = error or SerializableErrorInfo.from_exception(raised)
            continue
        if outcome is not Submission.EXISTING:
            _log.info("%s %s: submitted run %s%s.", record.tick.job_type.value.title(),
                      record.tick.job_name, planned.run_id,
                      f" (run key {key})" if key is not None else "")
        tick = record.tick
        record = TickRecord(record.tick_id, tick.with_changes(
            run_ids=[*tick.run_ids, planned.run_id],
            run_keys=[*tick.run_keys, key] if key is not None else tick.run_keys))
        instance.update_job_tick(record)
    status = (TickStatus.FAILURE if error is not None
              else TickStatus.SUCCESS if record.tick.run_ids else TickStatus.SKIPPED)
    return _end(instance, record, status, error=error)


def _end(instance: Instance, record: TickRecord, status: TickStatus,
         error: SerializableErrorInfo | None = None) -> TickRecord:
    ended = TickRecord(record.tick_id, record.tick.with_changes(
        status=status, error=error, planned_runs=None))
    instance.update_job_tick(ended)
    return ended
