"""The running schedules or sensors of the instance, with their definitions in the
daemon's workspace."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from headwater.instance.jobs import JobState, JobType

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import LoadedRepository, Workspace

_log = logging.getLogger("headwater.daemon")


class RunningJobs:
    """Finds the running jobs of one type and their definitions; a running job the
    workspace does not have is skipped, with a warning logged once.

    Args:
        workspace: The daemon's code.
        job_type: Schedules or sensors.
    """

    def __init__(self, workspace: Workspace, job_type: JobType) -> None:
        self.workspace = workspace
        self.job_type = job_type
        self._reported_missing: set[str] = set()

    def __call__(self, instance: Instance
                 ) -> Iterator[tuple[JobState, LoadedRepository, Any]]:
        """``(state, repository, definition)`` of each running job the workspace has."""
        kind = self.job_type.value.lower()
        for state in instance.all_job_states(self.job_type):
            if not state.is_running:
                continue
            repository = self.workspace.get_repository(state.repository_name)
            definitions = {} if repository is None else {
                definition.name: definition
                for definition in (repository.definition.schedule_defs
                                   if self.job_type is JobType.SCHEDULE
                                   else repository.definition.sensor_defs)}
            if repository is not None and state.name in definitions:
                self._reported_missing.discard(state.origin_id)
                yield state, repository, definitions[state.name]
            elif state.origin_id not in self._reported_missing:
                self._reported_missing.add(state.origin_id)
                _log.warning('The %s "%s" of repository "%s" is running, but the daemon\'s '
                             "code does not have it, so it is left alone. Stop it "
                             "(headwater %s stop), or run the daemon with the code that has "
                             "it.", kind, state.name, state.repository_name, kind)
