"""Airflow: a pipeline as an Airflow DAG (checked here without running it; the tests run
such DAGs under Airflow), and the mistakes make_airflow_dag reports while Airflow parses."""

import datetime
import os
import sys
import tempfile

from headwater import Field, ModeDefinition, fs_io_manager, mem_io_manager, pipeline, solid
from headwater_airflow import AirflowDagDefinitionError

folder = tempfile.mkdtemp()
with open(os.path.join(folder, "orders_pipelines.py"), "w") as file:
    file.write('''
from headwater import Field, ModeDefinition, fs_io_manager, mem_io_manager, pipeline, solid

@solid(config_schema={"day": Field(str)})
def extract(context) -> list:
    return [context.solid_config["day"]]

@solid
def summarize(context, rows: list) -> int:
    return len(rows)

@pipeline(mode_defs=[ModeDefinition("prod", resource_defs={"io_manager": fs_io_manager}),
                     ModeDefinition("test", resource_defs={"io_manager": mem_io_manager})])
def daily_orders():
    summarize(extract())
''')
sys.path.insert(0, folder)

# [start:make-dag]
import pendulum

from headwater_airflow import make_airflow_dag

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
