"""Headwater on Airflow, both ways.

* :func:`make_airflow_dag`: a Headwater pipeline as an Airflow DAG, one task per solid,
  one DAG run per Headwater run (``headwater airflow scaffold`` writes the DAG file).
* :func:`make_headwater_pipeline_from_airflow_dag` and
  :func:`make_headwater_repo_from_airflow_dags_path`: existing Airflow DAGs as Headwater
  pipelines, so that Headwater can run, schedule and record them while a team migrates.

Importing this package does not import Airflow; the functions do, when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names
from headwater_airflow.errors import (
    AirflowDagConversionError,
    AirflowDagDefinitionError,
    HeadwaterAirflowError,
    HeadwaterStepsFailedError,
    HeadwaterTaskStoppedError,
)
from headwater_airflow.runs import headwater_run_id

__version__ = "0.1.0"

# name -> module: these import Airflow, so they load on first use.
_LAZY = {
    "make_airflow_dag": "headwater_airflow.dag",
    "scaffold_dag_file": "headwater_airflow.scaffold",
    "HeadwaterSolidOperator": "headwater_airflow.operator",
    "make_headwater_pipeline_from_airflow_dag": "headwater_airflow.from_airflow",
    "make_headwater_repo_from_airflow_dags_path": "headwater_airflow.from_airflow",
}

__all__ = [
    "AirflowDagConversionError", "AirflowDagDefinitionError", "HeadwaterAirflowError",
    "HeadwaterSolidOperator", "HeadwaterStepsFailedError", "HeadwaterTaskStoppedError", "headwater_run_id",
    "make_airflow_dag", "make_headwater_pipeline_from_airflow_dag",
    "make_headwater_repo_from_airflow_dags_path", "scaffold_dag_file",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_airflow.dag import make_airflow_dag
    from headwater_airflow.from_airflow import (
        make_headwater_pipeline_from_airflow_dag,
        make_headwater_repo_from_airflow_dags_path,
    )
    from headwater_airflow.operator import HeadwaterSolidOperator
    from headwater_airflow.scaffold import scaffold_dag_file
