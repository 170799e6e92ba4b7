"""Starting and stopping schedules and sensors: what ``headwater schedule start`` and
``headwater sensor stop`` change in the instance (the daemon reads it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.instance.jobs import JobState, JobStatus, JobType, job_origin_id

if TYPE_CHECKING:
    from headwater.instance import Instance


def start_job(instance: Instance, job_type: JobType, repository_name: str, name: str,
              now: float) -> JobState:
    """Mark a schedule or sensor running from ``now`` on (a schedule ticks only at times
    after it). Starting a running job changes nothing. Returns its state."""
    state = instance.get_job_state(job_origin_id(job_type, repository_name, name))
    if state is None:
        state = JobState(name, repository_name, job_type, JobStatus.RUNNING, now)
        instance.add_job_state(state)
    elif not state.is_running:
        state = state.with_changes(status=JobStatus.RUNNING, start_timestamp=now)
        instance.update_job_state(state)
    return state


def stop_job(instance: Instance, job_type: JobType, repository_name: str,
             name: str) -> JobState | None:
    """Mark a schedule or sensor stopped; its history and cursor are kept. Returns its
    state, or None if it was never started."""
    state = instance.get_job_state(job_origin_id(job_type, repository_name, name))
    if state is not None and state.is_running:
        state = state.with_changes(status=JobStatus.STOPPED)
        instance.update_job_state(state)
    return state


def set_sensor_cursor(instance: Instance, repository_name: str, name: str,
                      cursor: str | None) -> JobState:
    """Set (or, with None, delete) the cursor a sensor's next evaluation sees. A sensor
    never started gets a stopped state holding the cursor."""
    state = instance.get_job_state(job_origin_id(JobType.SENSOR, repository_name, name))
    if state is None:
        state = JobState(name, repository_name, JobType.SENSOR, JobStatus.STOPPED,
                         cursor=cursor)
        instance.add_job_state(state)
    else:
        state = state.with_changes(cursor=cursor)
        instance.update_job_state(state)
    return state
