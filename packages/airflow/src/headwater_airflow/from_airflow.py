"""Airflow DAGs as Headwater pipelines, so that Headwater can run, schedule and record
existing DAGs while a team moves them over.

Each Airflow task becomes a solid named ``airflow_<task_id>`` that renders the operator's
templates and calls its ``execute`` with an Airflow template context built by Airflow's own
task runtime (``ds``, ``ts``, ``logical_date``, ``params``, ``macros``, ``run_id``, ``ti``,
...). Task dependencies become ``Nothing`` dependencies between the solids, so steps run in
the DAG's order and nothing is stored between them.

The logical date of a run is its ``airflow/logical_date`` tag when it has one (ISO 8601),
else the time the step starts; the ``airflow/params`` tag (JSON) overrides the DAG's
params. What is not there without an Airflow deployment: XComs between tasks, Airflow
Variables and Connections (each is a request to Airflow's API server), sensors that
reschedule, and deferrable operators.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from headwater import (
    DependencyDefinition,
    InputDefinition,
    MultiDependencyDefinition,
    Nothing,
    OutputDefinition,
    PipelineDefinition,
    RepositoryDefinition,
    SolidDefinition,
    solid,
)
from headwater_airflow.errors import AirflowDagConversionError
from headwater_airflow.runs import LOGICAL_DATE_TAG, PARAMS_TAG

AFTER = "after"


def solid_name_for_task(task_id: str) -> str:
    """The solid of an Airflow task: ``airflow_<task_id>``, with characters a solid name
    cannot have (``.``, ``-``) as ``_``."""
    return "airflow_" + re.sub(r"[^A-Za-z0-9_]", "_", task_id)


def pipeline_name_for_dag(dag_id: str) -> str:
    """The pipeline of an Airflow DAG: its id, with ``.`` and ``-`` as ``_``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", dag_id)


def make_headwater_pipeline_from_airflow_dag(dag: Any, tags: Mapping[str, Any] | None = None,
                                             name: str | None = None) -> PipelineDefinition:
    """A Headwater pipeline that runs an Airflow DAG's tasks, one solid per task.

    Args:
        dag: An ``airflow.sdk.DAG``.
        tags: Tags of the pipeline (so of its runs).
        name: The pipeline's name; the DAG's id (``.``/``-`` as ``_``) when None.

    Returns:
        The pipeline. Run it like any other; a task that raises fails its step.

    Raises:
        AirflowDagConversionError: two tasks map to the same solid name.

    Example:
        >>> pipeline = make_headwater_pipeline_from_airflow_dag(dag)
        >>> execute_pipeline(pipeline, tags={"airflow/logical_date": "2024-01-02T00:00:00+00:00"})
    """
    solids: dict[str, SolidDefinition] = {}
    dependencies: dict[str, dict[str, Any]] = {}
    for task_id in sorted(dag.task_dict):
        task = dag.task_dict[task_id]
        solid_name = solid_name_for_task(task_id)
        if solid_name in solids:
            raise AirflowDagConversionError(
                f'Airflow DAG "{dag.dag_id}": tasks "{task_id}" and '
                f'"{solids[solid_name].tags["airflow/task_id"]}" both become solid '
                f'"{solid_name}". Rename one of the tasks.')
        upstream = sorted(task.upstream_task_ids)
        solids[solid_name] = solid(
            name=solid_name,
            input_defs=[InputDefinition(AFTER, Nothing)] if upstream else [],
            output_defs=[OutputDefinition(Nothing)],
            description=f'Airflow task "{task_id}" ({type(task).__name__}) of DAG '
                        f'"{dag.dag_id}".',
            tags={"airflow/task_id": task_id, "airflow/operator": type(task).__name__},
        )(_task_compute(dag, task_id))
        if upstream:
            dependencies[solid_name] = {AFTER: MultiDependencyDefinition(
                [DependencyDefinition(solid_name_for_task(u)) for u in upstream])}
    return PipelineDefinition(
        list(solids.values()), name or pipeline_name_for_dag(dag.dag_id),
        description=dag.description or f'The Airflow DAG "{dag.dag_id}", run by Headwater.',
        dependencies=dependencies, tags={"airflow/dag_id": dag.dag_id, **dict(tags or {})})


def make_headwater_repo_from_airflow_dags_path(dags_path: str, repo_name: str = "airflow_dags",
                                               safe_mode: bool = True) -> RepositoryDefinition:
    """A repository with a pipeline for each DAG that Airflow finds in a dags folder.

    Args:
        dags_path: A DAG file or a folder of them.
        repo_name: The repository's name.
        safe_mode: Airflow's safe mode: read only files that mention both "airflow" and
            "dag".

    Raises:
        AirflowDagConversionError: a DAG file does not import (every such file and its error
            are named), or the path holds no DAG.
    """
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=dags_path, safe_mode=safe_mode)
    if bag.import_errors:
        listed = "\n".join(f"  {path}: {error.strip().splitlines()[-1]}"
                           for path, error in sorted(bag.import_errors.items()))
        raise AirflowDagConversionError(
            f"Airflow could not import {len(bag.import_errors)} DAG file(s) under {dags_path}; "
            f"fix them (or move them out of the folder):\n{listed}")
    if not bag.dag_ids:
        raise AirflowDagConversionError(
            f"Airflow found no DAG under {dags_path}. Point at a DAG file or a folder of them "
            "(in safe mode, a file must mention both 'airflow' and 'dag').")
    pipelines = {}
    for dag_id in sorted(bag.dag_ids):
        pipeline = make_headwater_pipeline_from_airflow_dag(bag.get_dag(dag_id))
        pipelines[pipeline.name] = pipeline
    return RepositoryDefinition(repo_name, pipelines,
                                description=f"The Airflow DAGs of {dags_path}.")


def _task_compute(dag: Any, task_id: str) -> Any:
    def compute(context: Any) -> None:
        import contextvars

        from airflow.sdk.bases.operator import ExecutorSafeguard

        run = context.pipeline_run
        # What Airflow's task runner does too: a copy of the operator, locked for execution,
        # takes the rendered values; the DAG's operator keeps its templates.
        task = dag.task_dict[task_id].prepare_for_execution()
        ti = _task_instance(dag, task, run.run_id, run.tags)
        airflow_context = ti.get_template_context()
        ti.render_templates(airflow_context)
        context.log.info(f'Running Airflow task "{task_id}" ({type(task).__name__}) for '
                         f"logical date {airflow_context.get('ds')}.")
        # The operator checks that a task runner called it: this is one.
        runner = contextvars.copy_context()
        runner.run(ExecutorSafeguard.tracker.set, ti.task)
        result = runner.run(ti.task.execute, context=airflow_context)
        if result is not None:
            context.log.info(f'Airflow task "{task_id}" returned {result!r}.')

    compute.__name__ = solid_name_for_task(task_id)
    return compute


def _task_instance(dag: Any, task: Any, run_id: str, tags: Mapping[str, str]) -> Any:
    """An Airflow task instance whose template context is that of a DAG run of ours.

    Built with Airflow's task runtime, as its task runner builds one from what the API
    server sends: the same code makes the context, so the keys and values are Airflow's.
    """
    import pendulum
    from airflow.sdk.api.datamodels._generated import DagRun, DagRunState, DagRunType, TIRunContext
    from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance

    now = pendulum.now("UTC")
    logical = tags.get(LOGICAL_DATE_TAG)
    logical_date = pendulum.parse(logical) if logical else now
    conf = json.loads(tags[PARAMS_TAG]) if tags.get(PARAMS_TAG) else None
    airflow_run_id = f"headwater__{run_id}"
    dag_run = DagRun(
        dag_id=dag.dag_id, run_id=airflow_run_id, logical_date=logical_date,
        data_interval_start=logical_date, data_interval_end=logical_date, run_after=now,
        start_date=now, end_date=None, run_type=DagRunType.MANUAL, state=DagRunState.RUNNING,
        conf=conf, consumed_asset_events=[], partition_key=None)
    ti = RuntimeTaskInstance.model_construct(
        id=uuid.uuid4(), task_id=task.task_id, dag_id=dag.dag_id, run_id=airflow_run_id,
        try_number=1, map_index=-1, task=task, max_tries=0, start_date=now,
        _cached_template_context=None)
    ti._ti_context_from_server = TIRunContext(dag_run=dag_run, max_tries=0)
    return ti
