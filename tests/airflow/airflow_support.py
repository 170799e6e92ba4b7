"""What the Airflow tests share: Airflow's home and settings, and writing, loading and
running DAG files.

Airflow reads its settings when it is first imported, so the environment is set when this
module is imported (by conftest.py, before any test imports Airflow). DAG files are written
into the dags folder (``dag.test()`` in Airflow 3.3 finds a DAG only there) under ids
unique to each test, so that tests share one database without seeing each other's runs.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="headwater-airflow-home-"))
DAGS_FOLDER = AIRFLOW_HOME / "dags"
DAGS_FOLDER.mkdir()
atexit.register(shutil.rmtree, AIRFLOW_HOME, True)

AIRFLOW_ENV = {
    "AIRFLOW_HOME": str(AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    # No telemetry, no usage reports: nothing leaves the machine.
    "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
    "SCARF_ANALYTICS": "false",
    "DO_NOT_TRACK": "true",
}
os.environ.update(AIRFLOW_ENV)


def airflow_command(*args: str, env: dict[str, str] | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "airflow"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def write_dag_file(dag_id: str, body: str) -> Path:
    """Write a DAG file into the dags folder; ``body`` defines ``dag``."""
    path = DAGS_FOLDER / f"{dag_id}.py"
    header = (f"import sys\nsys.path.insert(0, {str(HERE)!r})\n"
              "from headwater_airflow import make_airflow_dag\n"
              f"PIPELINES = {{'python_file': {str(HERE / 'airflow_pipelines.py')!r}}}\n")
    path.write_text(header + textwrap.dedent(body))
    return path


def load_dag(path: Path) -> Any:
    """Import a DAG file the way Airflow does (as a module of its own) and return ``dag``."""
    name = f"airflow_dag_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module.dag


def run_dag(dag: Any, **kwargs: Any) -> Any:
    """``dag.test()``: a real DAG run, its tasks executed in this process."""
    import pendulum

    kwargs.setdefault("logical_date", pendulum.datetime(2024, 1, 2, tz="UTC"))
    return dag.test(**kwargs)
