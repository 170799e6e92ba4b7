"""The sensor duty: each running sensor is evaluated every ``minimum_interval_seconds``.

An evaluation is a tick (see :mod:`headwater.daemon.ticks`): stored STARTED first, then the
sensor's code runs with the cursor and last run key the previous evaluation left, then the
runs it asks for are submitted. A run key stands for one run of the sensor, ever: its run id
is derived from the sensor and the key, so a key asked for again finds its run and launches
nothing. The sensor's new cursor and last run key are stored when the tick ends.

Runs carry ``headwater/sensor_name`` and, when they have one, ``headwater/run_key``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.daemon.running_jobs import RunningJobsDuty
from headwater.daemon.submission import RunTarget, deterministic_run_id
from headwater.daemon.ticks import complete_tick, start_tick
from headwater.definitions.run_request import RunRequest
from headwater.definitions.sensor import (
    RUN_KEY_TAG,
    SENSOR_NAME_TAG,
    SensorDefinition,
    SensorEvaluationContext,
)
from headwater.instance.jobs import JobState, JobType, PlannedRun, TickRecord, TickStatus

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import LoadedRepository

# The shortest sleep between iterations: a sensor with minimum_interval_seconds=0 is
# evaluated about this often, not in a busy loop.
MIN_SENSOR_WAIT_SECONDS = 1.0


class SensorDuty(RunningJobsDuty):
    """Evaluates the running sensors of a workspace, each at its interval (arguments: see
    :class:`~headwater.daemon.running_jobs.RunningJobsDuty`)."""

    name = "sensors"
    job_type = JobType.SENSOR
    action = "evaluate"
    min_wait_seconds = MIN_SENSOR_WAIT_SECONDS

    def act(self, instance: Instance, repository: LoadedRepository,
            definition: SensorDefinition, state: JobState, now: float) -> JobState:
        return evaluate_sensor_if_due(instance, repository, definition, state, now)

    def next_due(self, definition: SensorDefinition, state: JobState, now: float) -> float:
        return _due_time(definition, state)


def evaluate_sensor_if_due(instance: Instance, repository: LoadedRepository,
                           sensor: SensorDefinition, state: JobState, now: float) -> JobState:
    """Complete a tick left STARTED; then, if the sensor's interval has passed since its
    last evaluation, evaluate it now. Returns the sensor's state afterwards."""
    latest = instance.get_job_ticks(state.origin_id, limit=1)
    if latest and latest[0].tick.status is TickStatus.STARTED:
        state = _complete(instance, repository, sensor, state, latest[0])
    if now < _due_time(sensor, state):
        return state
    return _complete(instance, repository, sensor, state, start_tick(instance, state, now))


def run_key_run_id(origin_id: str, run_key: str) -> str:
    """The id of the one run a sensor's run key stands for."""
    return deterministic_run_id(origin_id, "run_key", run_key)


def _due_time(sensor: SensorDefinition, state: JobState) -> float:
    if state.last_tick_timestamp is None:
        return float("-inf")
    return state.last_tick_timestamp + sensor.minimum_interval_seconds


def _complete(instance: Instance, repository: LoadedRepository, sensor: SensorDefinition,
              state: JobState, record: TickRecord) -> JobState:
    tick = record.tick
    context = SensorEvaluationContext(instance, state.last_tick_timestamp, state.last_run_key,
                                      state.cursor, repository.name)

    def plan_run(index: int, request: RunRequest) -> PlannedRun:
        tags = {**request.tags, SENSOR_NAME_TAG: sensor.name}
        if request.run_key is None:
            run_id = deterministic_run_id(tick.origin_id, repr(tick.timestamp), f"#{index}")
        else:
            tags[RUN_KEY_TAG] = request.run_key
            run_id = run_key_run_id(tick.origin_id, request.run_key)
        return PlannedRun(run_id, RunRequest(request.run_key, request.run_config, tags))

    target = RunTarget(repository, sensor.pipeline_name, sensor.mode, sensor.solid_selection)
    ended = complete_tick(instance, record, target, lambda: sensor.evaluate_tick(context),
                          plan_run, runs_keyed_by_job=True).tick
    changes: dict[str, object] = {"last_tick_timestamp": ended.timestamp}
    if ended.cursor is not None:
        changes["cursor"] = ended.cursor
    if ended.run_keys:
        changes["last_run_key"] = ended.run_keys[-1]
    return _save(instance, state, **changes)


def _save(instance: Instance, state: JobState, **changes: object) -> JobState:
    """Store the daemon's fields of a sensor's state, keeping what was changed meanwhile
    (a `headwater sensor stop` or `cursor --set` between reading and writing)."""
    current = instance.get_job_state(state.origin_id) or state
    updated = current.with_changes(**changes)
    instance.update_job_state(updated)
    return updated
