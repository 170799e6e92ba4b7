"""make_airflow_dag's mistakes: reported while Airflow parses the DAG file, as that file's
import error, without breaking the rest of the dags folder."""

from __future__ import annotations

import pytest
from airflow_support import DAGS_FOLDER, load_dag, write_dag_file

from headwater_airflow import AirflowDagDefinitionError

pytestmark = pytest.mark.usefixtures("airflow_db")


def test_pipeline_that_does_not_load_names_pipeline_file_and_cause(dag_id):
    path = write_dag_file(dag_id, """
        dag = make_airflow_dag({"module": "no_such_module_here"}, "etl")
    """)
    with pytest.raises(AirflowDagDefinitionError) as raised:
        load_dag(path)
    message = str(raised.value)
    assert '"etl"' in message and str(path) in message and "no_such_module_here" in message


def test_invalid_run_config_is_reported_with_its_config_path(dag_id):
    path = write_dag_file(dag_id, """
        dag = make_airflow_dag(PIPELINES, "etl",
                               run_config={"solids": {"extract": {"config": {"day": 5}}}})
    """)
    with pytest.raises(AirflowDagDefinitionError, match=r"solids\.extract\.config\.day"):
        load_dag(path)


def test_in_memory_io_manager_is_refused_with_the_fix(dag_id):
    path = write_dag_file(dag_id, """
        dag = make_airflow_dag(PIPELINES, "two_modes", mode="in_memory")
    """)
    with pytest.raises(AirflowDagDefinitionError, match="fs_io_manager") as raised:
        load_dag(path)
    assert '"io_manager"' in str(raised.value)


def test_broken_dag_file_is_an_import_error_of_its_own_file_only(dag_id):
    from airflow.dag_processing.dagbag import DagBag

    folder = DAGS_FOLDER.parent / f"bag_{dag_id}"
    folder.mkdir()
    broken = write_dag_file(f"{dag_id}_broken", """
        dag = make_airflow_dag({"module": "no_such_module_here"}, "etl")
    """)
    good = write_dag_file(f"{dag_id}_good", f"""
        dag = make_airflow_dag(PIPELINES, "etl", dag_id="{dag_id}_good")
    """)
    broken = broken.rename(folder / broken.name)
    good.rename(folder / good.name)
    bag = DagBag(dag_folder=str(folder))
    assert list(bag.dag_ids) == [f"{dag_id}_good"]
    assert list(bag.import_errors) == [str(broken)]
    assert "no_such_module_here" in bag.import_errors[str(broken)]
