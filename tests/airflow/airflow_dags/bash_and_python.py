"""An Airflow DAG as Airflow users write them (BashOperator and PythonOperator), for the
tests that run it with Headwater. Each task appends a line to $HEADWATER_AIRFLOW_TEST_CALLS."""

import os

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def summarize(ds, params, **context):
    with open(os.environ["HEADWATER_AIRFLOW_TEST_CALLS"], "a") as calls:
        calls.write(f"summarize:{ds}:{params['region']}\n")
    return "summarized"


with DAG("bash_and_python", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
         schedule=None, params={"region": "eu"}) as dag:
    extract = BashOperator(
        task_id="extract",
        bash_command='echo "extract:{{ ds }}" >> "$HEADWATER_AIRFLOW_TEST_CALLS"')
    summary = PythonOperator(task_id="summarize", python_callable=summarize)
    extract >> summary
