"""An Airflow DAG as it was before Headwater: a BashOperator and a PythonOperator.

Airflow runs it with `airflow dags test orders_export 2024-01-02`; Headwater runs it as the
pipeline "orders_export" (see ../migrating.py).
"""

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def check_export(ds, params, **context):
    print(f"checking the {params['format']} export of {ds}")
    return ds


with DAG("orders_export", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
         schedule="@daily", params={"format": "csv"}) as dag:
    export = BashOperator(task_id="export", bash_command='echo "exporting orders of {{ ds }}"')
    check = PythonOperator(task_id="check", python_callable=check_export)
    export >> check
