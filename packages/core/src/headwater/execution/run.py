"""The run record: what was asked to run, and where it stands."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from headwater.serdes import serializable


@serializable
class PipelineRunStatus(enum.StrEnum):
    """Where a run stands."""

    QUEUED = "QUEUED"
    NOT_STARTED = "NOT_STARTED"
    MANAGED = "MANAGED"
    STARTING = "STARTING"
    STARTED = "STARTED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"


IN_PROGRESS_STATUSES = frozenset({PipelineRunStatus.STARTING, PipelineRunStatus.STARTED,
                                  PipelineRunStatus.CANCELING})
FINISHED_STATUSES = frozenset({PipelineRunStatus.SUCCESS, PipelineRunStatus.FAILURE,
                               PipelineRunStatus.CANCELED})

# Run status follows from these pipeline-level events.
STATUS_FOR_EVENT = {
    "PIPELINE_ENQUEUED": PipelineRunStatus.QUEUED,
    "PIPELINE_STARTING": PipelineRunStatus.STARTING,
    "PIPELINE_START": PipelineRunStatus.STARTED,
    "PIPELINE_SUCCESS": PipelineRunStatus.SUCCESS,
    "PIPELINE_FAILURE": PipelineRunStatus.FAILURE,
    "PIPELINE_CANCELING": PipelineRunStatus.CANCELING,
    "PIPELINE_CANCELED": PipelineRunStatus.CANCELED,
}


_S = PipelineRunStatus
# The statuses a run may move to each status from: a run's status only moves forward, and a
# finished run never moves to another end. Storage applies this as compare-and-set, so two processes
# racing to move a run (two daemons launching it, a monitor failing it while its process
# ends it) cannot both win.
PREVIOUS_STATUSES: dict[PipelineRunStatus, frozenset[PipelineRunStatus]] = {
    _S.QUEUED: frozenset({_S.NOT_STARTED}),
    _S.STARTING: frozenset({_S.NOT_STARTED, _S.QUEUED}),
    # A finished run may be resumed (STARTED again) by an orchestrator that retries part of
    # it in place, as Airflow does a failed task; it never goes straight to another end.
    _S.STARTED: frozenset({_S.NOT_STARTED, _S.STARTING, _S.FAILURE, _S.CANCELED}),
    _S.SUCCESS: frozenset({_S.STARTED, _S.CANCELING}),
    _S.FAILURE: frozenset({_S.NOT_STARTED, _S.QUEUED, _S.STARTING, _S.STARTED, _S.CANCELING}),
    _S.CANCELING: frozenset({_S.NOT_STARTED, _S.QUEUED, _S.STARTING, _S.STARTED}),
    _S.CANCELED: frozenset({_S.NOT_STARTED, _S.QUEUED, _S.STARTING, _S.STARTED,
                            _S.CANCELING}),
}

@serializable
@dataclass(frozen=True)
class PipelineRun:
    """A run of a pipeline.

    Attributes:
        run_id: Unique id.
        pipeline_name: The pipeline run.
        run_config: The run config as given.
        mode: The mode it runs in.
        solid_selection: The solid selection as given, if any.
        solids_to_execute: The top-level solids the selection resolved to, if any.
        step_keys_to_execute: The steps to run (re-execution), or None for all.
        status: Where the run stands.
        tags: Run tags (pipeline < preset < given).
        root_run_id / parent_run_id: The run this one re-executes, and the first of its line.
        pipeline_origin: How another process can load the pipeline (``{"python_file": ...,
            "attribute": ...}`` or ``{"module": ..., "attribute": ...}``), if known.
    """

    run_id: str
    pipeline_name: str
    run_config: dict[str, Any] = field(default_factory=dict)
    mode: str = "default"
    solid_selection: list[str] | None = None
    solids_to_execute: list[str] | None = None
    step_keys_to_execute: list[str] | None = None
    status: PipelineRunStatus = PipelineRunStatus.NOT_STARTED
    tags: dict[str, str] = field(default_factory=dict)
    root_run_id: str | None = None
    parent_run_id: str | None = None
    pipeline_origin: dict[str, Any] | None = None

    def with_status(self, status: PipelineRunStatus) -> PipelineRun:
        return replace(self, status=status)

    def has_tag(self, key: str) -> bool:
        return key in self.tags

    def get_tag(self, key: str) -> str | None:
        return self.tags.get(key)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES
