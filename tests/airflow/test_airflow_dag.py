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


def _kinds(instance, run_id):
    return [(e.step_key, e.headwater_event.event_type_value)
            for e in instance.all_logs(run_id) if e.headwater_event is not None]


def test_logical_date_and_params_reach_the_run_as_tags_and_config(dag_id, headwater_home):
    dag = load_dag(write_dag_file(dag_id, f"""
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"extract": {{"config": {{"day": "{{{{ ds }}}}"}}}}}}}},
            dag_kwargs={{"params": {{"region": "eu"}}}})
    """))
    dag_run = run_dag(dag)
    _, run = _run_of(dag_run)
    assert run.tags["airflow/logical_date"].startswith("2024-01-02")
    assert run.tags["airflow/params"] == '{"region": "eu"}'
    assert run.tags["airflow/run_id"] == dag_run.run_id
    assert run.run_config["solids"]["extract"]["config"]["day"] == "2024-01-02"


def test_airflow_retry_runs_only_the_failed_step_and_the_run_ends_success(
        dag_id, headwater_home, calls):
    dag = load_dag(write_dag_file(dag_id, f"""
        import datetime
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"transform": {{"config": {{"fail_first_attempts": 1}}}}}}}},
            op_kwargs={{"retries": 1, "retry_delay": datetime.timedelta(seconds=0)}})
    """))
    dag_run = run_dag(dag)
    assert dag_run.state == "success"
    assert calls().count("extract") == 1
    assert calls().count("transform") == 2
    instance, run = _run_of(dag_run)
    assert run.status is PipelineRunStatus.SUCCESS
    kinds = _kinds(instance, run.run_id)
    assert ("transform", "STEP_FAILURE") in kinds
    assert [k for _, k in kinds if k.startswith("PIPELINE_")] == [
        "PIPELINE_START", "PIPELINE_FAILURE", "PIPELINE_START", "PIPELINE_SUCCESS"]


def test_failed_step_without_retries_leaves_the_run_failure(dag_id, headwater_home, calls):
    dag = load_dag(write_dag_file(dag_id, f"""
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"transform": {{"config": {{"fail_first_attempts": 5}}}}}}}})
    """))
    dag_run = run_dag(dag)
    assert dag_run.state == "failed"
    _, run = _run_of(dag_run)
    assert run.status is PipelineRunStatus.FAILURE
    assert "load" not in calls()


def test_task_stopped_by_airflow_timeout_leaves_the_run_failure(dag_id, headwater_home):
    dag = load_dag(write_dag_file(dag_id, f"""
        import datetime
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"transform": {{"config": {{"sleep": 30.0}}}}}}}},
            op_kwargs={{"execution_timeout": datetime.timedelta(seconds=2)}})
    """))
    dag_run = run_dag(dag)
    assert dag_run.state == "failed"
    instance, run = _run_of(dag_run)
    assert run.status is PipelineRunStatus.FAILURE
    failure = [e for e in instance.all_logs(run.run_id) if e.headwater_event is not None
               and e.headwater_event.event_type_value == "PIPELINE_FAILURE"]
    assert "transform" in failure[-1].message


def test_mapped_steps_run_in_the_task_of_their_solid(dag_id, headwater_home, calls):
    dag = load_dag(write_dag_file(dag_id, f"""
        dag = make_airflow_dag(PIPELINES, "fanned", dag_id={dag_id!r})
    """))
    assert dag.task_dict["square"].upstream_task_ids == {"split"}
    dag_run = run_dag(dag)
    assert dag_run.state == "success"
    assert sorted(calls()) == ["add_up=5", "split", "square0", "square1", "square2"]
    _, run = _run_of(dag_run)
    assert run.status is PipelineRunStatus.SUCCESS


def test_headwater_home_argument_chooses_the_instance(dag_id, headwater_home, tmp_path):
    other = tmp_path / "other-home"
    other.mkdir()
    dag = load_dag(write_dag_file(dag_id, f"""
        dag = make_airflow_dag(PIPELINES, "etl", dag_id={dag_id!r},
                               headwater_home={str(other)!r})
    """))
    dag_run = run_dag(dag)
    run_id = headwater_run_id(dag_run.dag_id, dag_run.run_id)
    chosen = Instance.from_config(str(other))
    try:
        assert chosen.get_run_by_id(run_id).status is PipelineRunStatus.SUCCESS
    finally:
        chosen.dispose()
    assert Instance.get().get_run_by_id(run_id) is None
