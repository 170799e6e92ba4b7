"""Airflow: an Airflow DAG run by Headwater."""

# [start:convert]
import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from headwater import execute_pipeline
from headwater_airflow import make_headwater_pipeline_from_airflow_dag

with DAG("nightly_export", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
         schedule="@daily") as dag:
    BashOperator(task_id="export", bash_command="echo exporting {{ ds }}")

nightly_export = make_headwater_pipeline_from_airflow_dag(dag)
result = execute_pipeline(nightly_export,
                          tags={"airflow/logical_date": "2024-01-02T00:00:00+00:00"})
assert result.success
assert [s.name for s in nightly_export.solids] == ["airflow_export"]
# [end:convert]
