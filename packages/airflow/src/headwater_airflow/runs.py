"""One Airflow DAG run is one Headwater run: its id, its record, its start and its end.

Every task of a DAG run derives the same Headwater run id from the DAG's id and the DAG
run's id, so all of them record into one run. Whichever task comes first records the run
(with the DAG run's logical date and params as tags) and starts it; a task whose steps
fail ends it FAILURE; the task after which every step has succeeded ends it SUCCESS. A
task run again (an Airflow retry, or a cleared task) starts the run again, so a run that
failed can still end SUCCESS.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from headwater import HeadwaterEventType, Instance, PipelineRun, PipelineRunStatus

TAG_PREFIX = "airflow/"
DAG_ID_TAG = "airflow/dag_id"
DAG_RUN_ID_TAG = "airflow/run_id"
LOGICAL_DATE_TAG = "airflow/logical_date"
PARAMS_TAG = "airflow/params"

# Events after which a step needs nothing more: it produced its outputs, or was skipped.
_DONE = frozenset({"STEP_SUCCESS", "STEP_SKIPPED"})
_ENDS = _DONE | {"STEP_FAILURE"}


def headwater_run_id(dag_id: str, dag_run_id: str) -> str:
    """The Headwater run id of an Airflow DAG run: the same in every task of it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"airflow:{dag_id}/{dag_run_id}"))


def airflow_tags(context: Mapping[str, Any]) -> dict[str, str]:
    """The tags that tie a Headwater run to its DAG run, from a task's template context."""
    dag_run = context.get("dag_run")
    tags = {DAG_ID_TAG: context["dag"].dag_id, DAG_RUN_ID_TAG: context["run_id"]}
    logical_date = context.get("logical_date") or getattr(dag_run, "logical_date", None)
    if logical_date is not None:
        tags[LOGICAL_DATE_TAG] = logical_date.isoformat()
    params = context.get("params")
    if params:
        tags[PARAMS_TAG] = json.dumps(dict(params), sort_keys=True, default=str)
    return tags


def start_run(instance: Instance, run: PipelineRun, task_id: str, try_number: int
              ) -> PipelineRun:
    """Record ``run`` unless another task did, and mark it started: a new run, or one that
    ended FAILURE when Airflow runs a task of it again (``try_number`` above 1). The first
    attempt of a task on a branch that did not fail leaves a failed run FAILURE.

    Returns:
        The run as recorded.
    """
    recorded = instance.get_run_by_id(run.run_id)
    if recorded is None:
        try:
            instance.create_run(run)
        except Exception:
            # Two first tasks at once: the other one recorded it.
            if not instance.has_run(run.run_id):
                raise
        recorded = instance.get_run_by_id(run.run_id)
    assert recorded is not None
    if recorded.status in (PipelineRunStatus.NOT_STARTED, PipelineRunStatus.MANAGED):
        instance.report_run_event(recorded, HeadwaterEventType.PIPELINE_START,
                                  f'Started run of "{run.pipeline_name}" from Airflow DAG run '
                                  f'"{run.tags.get(DAG_RUN_ID_TAG)}" (task "{task_id}").')
    elif try_number > 1 and recorded.status in (PipelineRunStatus.FAILURE,
                                                PipelineRunStatus.CANCELED):
        instance.report_run_event(recorded, HeadwaterEventType.PIPELINE_START,
                                  f'Resumed run of "{run.pipeline_name}": Airflow runs task '
                                  f'"{task_id}" again.')
    return instance.get_run_by_id(run.run_id) or recorded


def step_outcomes(instance: Instance, run_id: str) -> dict[str, str]:
    """``{step_key: the last of STEP_SUCCESS / STEP_SKIPPED / STEP_FAILURE}`` of a run."""
    outcomes: dict[str, str] = {}
    for entry in instance.all_logs(run_id):
        event = entry.headwater_event
        if event is not None and event.step_key and event.event_type_value in _ENDS:
            outcomes[event.step_key] = event.event_type_value
    return outcomes


def finish_if_complete(instance: Instance, run_id: str, step_keys: Iterable[str]) -> bool:
    """End the run SUCCESS once every step of the plan is done; True if it ended.

    Mapped steps (``solid[?]``) are done when every one of them the run started is done.
    """
    run = instance.get_run_by_id(run_id)
    if run is None or run.status is not PipelineRunStatus.STARTED:
        return False
    outcomes = step_outcomes(instance, run_id)
    for key in step_keys:
        if key.endswith("[?]"):
            prefix = key[:-2]
            if any(k.startswith(prefix) and v not in _DONE for k, v in outcomes.items()):
                return False
        elif outcomes.get(key) not in _DONE:
            return False
    instance.report_run_event(run, HeadwaterEventType.PIPELINE_SUCCESS,
                              f'Finished run of "{run.pipeline_name}": every step succeeded '
                              "in its Airflow task.")
    return True
