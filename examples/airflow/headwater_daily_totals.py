"""Airflow DAG for the Headwater pipeline "daily_totals".

Written by `headwater airflow scaffold`; put this file in Airflow's dags folder. Each
task runs one solid's steps against the Headwater instance of $HEADWATER_HOME; one DAG run
is one Headwater run (`headwater run list`). Try it without a scheduler:

    airflow dags test headwater_daily_totals 2024-01-02
"""

import os

from headwater_airflow import make_airflow_dag

RUN_CONFIG = {'solids': {'extract_orders': {'config': {'day': '{{ ds }}'}}}}

dag = make_airflow_dag(
    {"python_file": os.path.join(os.path.dirname(os.path.abspath(__file__)), 'daily_totals.py')},
    pipeline_name='daily_totals',
    run_config=RUN_CONFIG,
    mode=None,
    preset=None,
    dag_id='headwater_daily_totals',
)
