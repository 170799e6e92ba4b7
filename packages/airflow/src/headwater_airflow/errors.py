"""Every error headwater-airflow raises.

Airflow shows the message of an error raised while it parses a DAG file as that file's
import error, and the message of an error raised by a task in the task's log: each message
here names the pipeline (or DAG), the file or task, and what to change.
"""

from __future__ import annotations

from headwater import HeadwaterError


class HeadwaterAirflowError(HeadwaterError):
    """Base class of the errors headwater-airflow raises."""


class AirflowDagDefinitionError(HeadwaterAirflowError):
    """``make_airflow_dag`` could not build the DAG: the pipeline does not load, its run
    config is invalid, or its outputs cannot cross Airflow's task processes.

    Attributes:
        pipeline_name: The pipeline.
        dag_file: The DAG file being parsed, if known.
    """

    def __init__(self, message: str, pipeline_name: str, dag_file: str | None) -> None:
        super().__init__(message)
        self.pipeline_name = pipeline_name
        self.dag_file = dag_file


class HeadwaterStepsFailedError(HeadwaterAirflowError):
    """Steps a task ran failed; the Headwater run records why (``headwater run logs``).

    Attributes:
        run_id: The Headwater run.
        step_keys: The steps that failed.
    """

    def __init__(self, message: str, run_id: str, step_keys: list[str]) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.step_keys = step_keys


class HeadwaterTaskStoppedError(HeadwaterAirflowError):
    """Airflow stopped a task (SIGTERM) while its steps ran; the run ended FAILURE and a
    retry of the task resumes it.

    Attributes:
        run_id: The Headwater run.
        step_keys: The steps the task was running.
    """

    def __init__(self, message: str, run_id: str, step_keys: list[str]) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.step_keys = step_keys


class AirflowDagConversionError(HeadwaterAirflowError):
    """An Airflow DAG (or a folder of DAG files) could not be made into Headwater
    definitions."""
