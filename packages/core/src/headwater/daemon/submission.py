"""Creating and submitting a run the daemon decided on, exactly once.

Every run the daemon submits (for a schedule's tick, a sensor's request, a backfill's
partition) has an id derived from what it is for, fixed before the run is created. Before
creating a run, the daemon looks that id up: a run that exists and was never submitted
(the daemon stopped in between) is submitted now; a run already submitted is left alone.
Run storage refuses a second run with the same id, so even two daemons racing create one
run.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.definitions.utils import SYSTEM_TAG_PREFIX
from headwater.errors import HeadwaterRunAlreadyExistsError
from headwater.execution.run import PipelineRun, PipelineRunStatus

if TYPE_CHECKING:
    from headwater.instance import Instance
    from headwater.workspace import LoadedRepository

# The namespace of the daemon's run ids (uuid5 of what the run is for).
_RUN_ID_NAMESPACE = uuid.UUID("5e0b7f6c-2a1d-4d7e-9c35-6f1b8f4a2c10")


def deterministic_run_id(*parts: str) -> str:
    """The run id of the run that ``parts`` (a job, a tick, a run key...) stand for: the
    same parts give the same id, in every process."""
    return str(uuid.uuid5(_RUN_ID_NAMESPACE, "\x1f".join(parts)))


@dataclass(frozen=True)
class RunTarget:
    """What runs of a schedule, sensor or partition set run.

    Attributes:
        repository: The repository of the pipeline.
        pipeline_name: The pipeline.
        mode: The mode (the pipeline's default when None).
        solid_selection: The solids to run (all when None).
    """

    repository: LoadedRepository
    pipeline_name: str
    mode: str | None = None
    solid_selection: Sequence[str] | None = None


class Submission(enum.Enum):
    """What :func:`submit_run_once` did."""

    CREATED = "created"
    """The run was created and submitted now."""
    RESUMED = "resumed"
    """The run existed but had not been submitted (the daemon stopped in between): it was
    submitted now."""
    EXISTING = "existing"
    """The run had been submitted before: nothing was done."""


def submit_run_once(instance: Instance, target: RunTarget, run_id: str,
                    run_config: Mapping[str, Any], tags: Mapping[str, str]) -> Submission:
    """Make sure the run ``run_id`` exists and was submitted to the run coordinator once.

    Args:
        instance: Where the run is recorded and submitted.
        target: What it runs.
        run_id: Its id (see :func:`deterministic_run_id`).
        run_config: Its run config.
        tags: Its tags; those under ``headwater/`` are system tags.

    Raises:
        HeadwaterInvalidConfigError, HeadwaterInvalidDefinitionError: the run config or the
            target is not valid (no run is created).
    """
    run = instance.get_run_by_id(run_id)
    outcome = Submission.RESUMED
    if run is None:
        run = _prepared_run(target, run_id, run_config, tags)
        try:
            instance.create_run(run)
            outcome = Submission.CREATED
        except HeadwaterRunAlreadyExistsError:
            run = instance.get_run_by_id(run_id) or run
    if run.status is not PipelineRunStatus.NOT_STARTED:
        return Submission.EXISTING
    instance.submit_run(run_id)
    return outcome


def _prepared_run(target: RunTarget, run_id: str, run_config: Mapping[str, Any],
                  tags: Mapping[str, str]) -> PipelineRun:
    from headwater.execution.api import prepare_run

    user_tags = {key: value for key, value in tags.items()
                 if not key.startswith(SYSTEM_TAG_PREFIX)}
    system_tags = {key: value for key, value in tags.items()
                   if key.startswith(SYSTEM_TAG_PREFIX)}
    pipeline = target.repository.reconstructable_pipeline(target.pipeline_name)
    return prepare_run(pipeline, dict(run_config), mode=target.mode, tags=user_tags,
                       solid_selection=list(target.solid_selection)
                       if target.solid_selection else None,
                       run_id=run_id, system_tags=system_tags).run
