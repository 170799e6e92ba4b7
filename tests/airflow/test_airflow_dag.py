"""make_airflow_dag: a pipeline run as a real Airflow DAG, one task per solid, recorded as
one Headwater run."""

from __future__ import annotations

import pytest
from airflow_support import load_dag, run_dag, write_dag_file

from headwater import Instance, PipelineRunStatus
from headwater_airflow import headwater_run_id

pytestmark = pytest.mark.usefixtures("airflow_db")


def _run_of(dag_run) -> object:
    instance = Instance.get()
    return instance, instance.get_run_by_id(headwater_run_id(dag_run.dag_id, dag_run.run_id))


def test_one_task_per_solid_with_dependencies_of_the_steps(dag_id):
    dag = load_dag(write_dag_file(dag_id, f"""
        dag = make_airflow_dag(PIPELINES, "etl", dag_id={dag_id!r})
    """))
    assert sorted(dag.task_dict) == ["audit", "extract", "load", "transform"]
    assert dag.task_dict["transform"].upstream_task_ids == {"extract"}
    assert dag.task_dict["load"].upstream_task_ids == {"transform"}
    assert dag.task_dict["audit"].upstream_task_ids == {"extract"}


def test_dag_run_is_one_successful_headwater_run_with_every_step(dag_id, headwater_home,
                                                                 calls):
    dag = load_dag(write_dag_file(dag_id, f"""
        dag = make_airflow_dag(PIPELINES, "etl", dag_id={dag_id!r})
    """))
    dag_run = run_dag(dag)
    assert dag_run.state == "success"
    instance, run = _run_of(dag_run)
    assert run.status is PipelineRunStatus.SUCCESS
    kinds = [(e.step_key, e.headwater_event.event_type_value)
             for e in instance.all_logs(run.run_id) if e.headwater_event is not None]
    for step in ("extract", "transform", "load", "audit"):
        assert (step, "STEP_SUCCESS") in kinds
    assert kinds[0] == (None, "PIPELINE_START") and kinds[-1] == (None, "PIPELINE_SUCCESS")
    assert sorted(calls()) == ["audit", "extract", "load", "transform"]
