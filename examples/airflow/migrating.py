"""Existing Airflow DAGs run by Headwater while a team moves them over: every DAG in
airflow_dags/ becomes a pipeline, each task a solid running its operator.

    headwater pipeline execute -f examples/airflow/migrating.py -p orders_export \\
        --tags '{"airflow/logical_date": "2024-01-02T00:00:00+00:00"}'
"""

from headwater import file_relative_path
from headwater_airflow import make_headwater_repo_from_airflow_dags_path

airflow_dags = make_headwater_repo_from_airflow_dags_path(
    file_relative_path(__file__, "airflow_dags"))
