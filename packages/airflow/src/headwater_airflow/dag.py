"""``make_airflow_dag``: a Headwater pipeline as an Airflow DAG.

Called at module level of a file in Airflow's dags folder (``headwater airflow scaffold``
writes one). Everything that can be checked is checked here, while Airflow parses the
file, so that a mistake shows as that file's import error rather than as a failed task:
the pipeline loads, its run config is valid, and its outputs are stored where the next
task's process can read them.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Mapping
from typing import Any

from headwater import HeadwaterError, HeadwaterInvalidConfigError, ReconstructablePipeline
from headwater.integration import prepare_run
from headwater_airflow.errors import AirflowDagDefinitionError
from headwater_airflow.tasks import solid_tasks


def make_airflow_dag(module_name_or_pointer: str | Mapping[str, Any], pipeline_name: str,
                     run_config: Mapping[str, Any] | None = None, mode: str | None = None,
                     preset: str | None = None, dag_id: str | None = None,
                     dag_description: str | None = None,
                     dag_kwargs: Mapping[str, Any] | None = None,
                     op_kwargs: Mapping[str, Any] | None = None,
                     headwater_home: str | None = None) -> Any:
    """An Airflow DAG that runs ``pipeline_name``: one task per top-level solid.

    One DAG run is one Headwater run (``headwater run list`` shows it, tagged with the DAG
    run's id, logical date and params); each task runs its solid's steps against the
    Headwater instance and passes outputs on through the mode's persistent IO manager.

    Args:
        module_name_or_pointer: The module defining the pipeline (``"my_project.pipelines"``)
            or a pointer: ``{"python_file": path}`` (with optional ``"attribute"``,
            ``"working_directory"``) or ``{"module": name, ...}``.
        pipeline_name: The pipeline.
        run_config: The run config. Strings in it are Airflow templates, rendered per task
            run (``{"solids": {"load": {"config": {"date": "{{ ds }}"}}}}``).
        mode: The mode (the pipeline's only mode when None).
        preset: A preset's name, instead of ``run_config`` and ``mode``.
        dag_id: The DAG's id; ``headwater_<pipeline_name>`` when None.
        dag_description: The DAG's description; the pipeline's when None.
        dag_kwargs: More arguments of ``airflow.sdk.DAG`` (``schedule``, ``start_date``,
            ``params``, ``default_args``, ...). ``schedule`` is None unless given.
        op_kwargs: More arguments of every task (``retries``, ``retry_delay``,
            ``execution_timeout``, ``pool``, ...).
        headwater_home: The Headwater instance's folder; ``$HEADWATER_HOME`` (in the task's
            environment) when None.

    Returns:
        The ``airflow.sdk.DAG``; ``dag.task_dict`` has a task per solid.

    Raises:
        AirflowDagDefinitionError: the pipeline cannot be loaded, the run config is invalid
            (with every error's config path), or an output goes through an IO manager that
            keeps values in memory. The message names the pipeline and the DAG file.

    Example:
        >>> dag = make_airflow_dag("my_project.pipelines", "daily_orders",
        ...                        run_config={"solids": {"load": {"config": {"day": "{{ ds }}"}}}},
        ...                        dag_kwargs={"schedule": "@daily", "start_date": START})
    """
    from airflow.sdk import DAG

    from headwater_airflow.operator import HeadwaterSolidOperator

    dag_file = _calling_file()
    pointer = _pointer(module_name_or_pointer, pipeline_name)
    where = f'Headwater pipeline "{pipeline_name}"' + (
        f" in the Airflow DAG file {dag_file}" if dag_file else "")
    pipeline = ReconstructablePipeline(pointer)
    try:
        definition = pipeline.get_definition()
        prepared = prepare_run(pipeline, run_config, mode, preset)
    except HeadwaterInvalidConfigError as error:
        raise AirflowDagDefinitionError(
            f"The run config of {where} is invalid; fix run_config of make_airflow_dag (or "
            f"the preset):\n{error}", pipeline_name, dag_file) from error
    except (HeadwaterError, ImportError, SyntaxError) as error:
        raise AirflowDagDefinitionError(
            f"Could not load {where} from {_describe(pointer)}: {error}", pipeline_name,
            dag_file) from error
    _check_outputs_persist(prepared, where, pipeline_name, dag_file)

    options = {"schedule": None, "tags": ["headwater"], **dict(dag_kwargs or {})}
    dag = DAG(dag_id=dag_id or f"headwater_{pipeline_name}",
              description=dag_description or definition.description, **options)
    plan = prepared.plan
    tasks = solid_tasks(plan)
    operators: dict[str, Any] = {}
    for task in tasks:
        operators[task.task_id] = HeadwaterSolidOperator(
            task_id=task.task_id, dag=dag, pointer=pointer,
            run_config=None if preset else dict(run_config or {}), mode=mode, preset=preset,
            step_keys=task.step_keys, plan_step_keys=plan.step_keys,
            headwater_home=headwater_home, **dict(op_kwargs or {}))
    for task in tasks:
        for upstream in sorted(task.upstream):
            operators[upstream] >> operators[task.task_id]
    return dag


def _pointer(module_name_or_pointer: str | Mapping[str, Any], pipeline_name: str
             ) -> dict[str, Any]:
    if isinstance(module_name_or_pointer, str):
        pointer: dict[str, Any] = {"module": module_name_or_pointer}
    else:
        pointer = dict(module_name_or_pointer)
    pointer["pipeline_name"] = pipeline_name
    return pointer


def _describe(pointer: Mapping[str, Any]) -> str:
    if "python_file" in pointer:
        return f'the file "{pointer["python_file"]}"'
    return f'the module "{pointer.get("module")}"'


def _calling_file() -> str | None:
    """The file that called make_airflow_dag (the DAG file Airflow is parsing)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for frame in inspect.stack(context=0)[1:]:
        path = os.path.abspath(frame.filename)
        if os.path.dirname(path) != here:
            return path
    return None


def _check_outputs_persist(prepared: Any, where: str, pipeline_name: str,
                           dag_file: str | None) -> None:
    """Each task runs in a process of its own: every output a step stores must outlive it."""
    resource_defs = prepared.schema.resolved.resource_defs
    plan = prepared.plan
    transient: dict[str, list[str]] = {}
    templates = [t for group in plan.unresolved.values() for t in group]
    for step in [*plan.steps.values(), *templates]:
        for output in step.node.definition.output_defs:
            definition = resource_defs.get(output.io_manager_key)
            if definition is not None and getattr(definition, "is_persistent", True) is False:
                transient.setdefault(output.io_manager_key, []).append(
                    f"{step.key}.{output.name}")
    if transient:
        keys = ", ".join(f'"{key}" (outputs {sorted(outputs)})'
                         for key, outputs in sorted(transient.items()))
        raise AirflowDagDefinitionError(
            f"{where} keeps outputs in memory with the IO manager {keys} of mode "
            f'"{prepared.run.mode}", but each Airflow task runs in a process of its own and '
            "could not read them. Bind a persistent IO manager in that mode, e.g. "
            'ModeDefinition(resource_defs={"io_manager": fs_io_manager}), or choose another '
            "mode (mode=...).", pipeline_name, dag_file)
