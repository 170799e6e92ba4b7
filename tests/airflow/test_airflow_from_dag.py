"""Airflow DAGs run by Headwater: each task a solid running its operator with Airflow's
template context, dependencies kept, the run recorded like any other."""

from __future__ import annotations

import pytest
from airflow_support import HERE

from headwater import PipelineRunStatus, execute_pipeline, instance_for_test
from headwater_airflow import (
    AirflowDagConversionError,
    make_headwater_pipeline_from_airflow_dag,
    make_headwater_repo_from_airflow_dags_path,
)

pytestmark = pytest.mark.usefixtures("airflow_db")

DAGS = HERE / "airflow_dags"


def _repo():
    return make_headwater_repo_from_airflow_dags_path(str(DAGS))


def test_repo_has_a_pipeline_per_dag_with_a_solid_per_task():
    pipeline = _repo().get_pipeline("bash_and_python")
    assert sorted(s.name for s in pipeline.solids) == ["airflow_extract", "airflow_summarize"]


def test_tasks_run_in_dag_order_with_rendered_templates_and_params(calls):
    pipeline = _repo().get_pipeline("bash_and_python")
    with instance_for_test() as instance:
        result = execute_pipeline(
            pipeline, instance=instance,
            tags={"airflow/logical_date": "2024-03-05T00:00:00+00:00"})
        assert result.success
        assert instance.get_run_by_id(result.run_id).status is PipelineRunStatus.SUCCESS
    assert calls() == ["extract:2024-03-05", "summarize:2024-03-05:eu"]


def test_params_tag_overrides_the_dag_params(calls):
    pipeline = _repo().get_pipeline("bash_and_python")
    result = execute_pipeline(pipeline, tags={"airflow/params": '{"region": "us"}'})
    assert result.success
    assert calls()[-1].endswith(":us")


def test_failing_task_fails_its_step_and_skips_the_rest(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_AIRFLOW_TEST_CALLS", str(tmp_path / "no-such-dir" / "x"))
    pipeline = _repo().get_pipeline("bash_and_python")
    result = execute_pipeline(pipeline, raise_on_error=False)
    assert not result.success
    assert result.result_for_solid("airflow_extract").success is False


def test_dags_path_with_a_broken_file_names_it(tmp_path):
    broken = tmp_path / "broken_dag.py"
    broken.write_text("from airflow.sdk import DAG\nraise ValueError('this dag is broken')\n")
    with pytest.raises(AirflowDagConversionError, match="this dag is broken") as raised:
        make_headwater_repo_from_airflow_dags_path(str(tmp_path))
    assert str(broken) in str(raised.value)


def test_pipeline_from_a_dag_object_keeps_the_task_dependencies():
    from airflow.sdk import DAG, BaseOperator

    with DAG("a.b-c", schedule=None) as dag:
        first = BaseOperator(task_id="first")
        second = BaseOperator(task_id="second.step")
        first >> second
    pipeline = make_headwater_pipeline_from_airflow_dag(dag)
    assert pipeline.name == "a_b_c"
    deps = pipeline.dependencies_within({"airflow_first", "airflow_second_step"})
    assert "airflow_second_step" in deps
