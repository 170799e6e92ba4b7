"""Airflow: a pipeline as an Airflow DAG (checked here without running it; the tests run
such DAGs under Airflow), and the mistakes make_airflow_dag reports while Airflow parses.
orders_pipelines.py, next to this file, defines the pipeline "daily_orders"."""

# [start:make-dag]
import datetime

import pendulum

from headwater_airflow import AirflowDagDefinitionError, make_airflow_dag

dag = make_airflow_dag(
    "orders_pipelines",  # the module that defines the pipeline
    "daily_orders",
    run_config={"solids": {"extract": {"config": {"day": "{{ ds }}"}}}},
    mode="prod",
    dag_kwargs={"schedule": "@daily", "start_date": pendulum.datetime(2024, 1, 1, tz="UTC")},
    op_kwargs={"retries": 2, "retry_delay": datetime.timedelta(minutes=5)},
)
assert sorted(dag.task_dict) == ["extract", "summarize"]
assert dag.task_dict["summarize"].upstream_task_ids == {"extract"}
# [end:make-dag]

# [start:errors]
try:
    make_airflow_dag("orders_pipelines", "daily_orders", mode="test",
                     run_config={"solids": {"extract": {"config": {"day": "{{ ds }}"}}}})
except AirflowDagDefinitionError as error:
    assert "keeps outputs in memory" in str(error)
else:
    raise AssertionError("an in-memory IO manager must be refused")

try:
    make_airflow_dag("orders_pipelines", "daily_orders", mode="prod",
                     run_config={"solids": {"extract": {"config": {"day": 1}}}})
except AirflowDagDefinitionError as error:
    assert "solids.extract.config.day" in str(error)
else:
    raise AssertionError("invalid config must be refused")
# [end:errors]
