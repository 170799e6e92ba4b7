"""``headwater airflow scaffold``: write an Airflow DAG file that calls make_airflow_dag.

The file points at the pipeline's code relative to itself when the code is a file (so the
pair can be moved together), or by module name; the run config is written into it as a
Python literal, so the DAG file needs nothing else at parse time.
"""

from __future__ import annotations

import os
import pprint
import re
from collections.abc import Mapping, Sequence
from typing import Any

from headwater import config_from_files
from headwater_airflow.dag import make_airflow_dag

_TEMPLATE = '''"""Airflow DAG for the Headwater pipeline "{pipeline_name}".

Written by `headwater airflow scaffold`; put this file in Airflow's dags folder. Each
task runs one solid's steps against the Headwater instance of $HEADWATER_HOME; one DAG run
is one Headwater run (`headwater run list`). Try it without a scheduler:

    airflow dags test {dag_id} 2024-01-02
"""
{imports}
from headwater_airflow import make_airflow_dag

RUN_CONFIG = {run_config}

dag = make_airflow_dag(
    {code},
    pipeline_name={pipeline_name!r},
    run_config=RUN_CONFIG,
    mode={mode!r},
    preset={preset!r},
    dag_id={dag_id!r},
)
'''


def scaffold_dag_file(pipeline_name: str, output: str, python_file: str | None = None,
                      module_name: str | None = None, attribute: str | None = None,
                      config_files: Sequence[str] = (), mode: str | None = None,
                      preset: str | None = None, dag_id: str | None = None) -> str:
    """Write the DAG file of a pipeline and return its path.

    The DAG is built once here, so a pipeline that does not load or a run config that is
    invalid is reported now, not when Airflow parses the file.

    Args:
        pipeline_name: The pipeline.
        output: A folder (the file is ``<dag_id>.py`` in it) or a ``.py`` path.
        python_file / module_name: Where the pipeline is (one of them).
        attribute: The attribute of the file or module, if needed.
        config_files: YAML files (globs allowed) merged into the run config.
        mode / preset: As for make_airflow_dag.
        dag_id: The DAG's id; ``headwater_<pipeline_name>`` when None.

    Returns:
        The path of the file written.
    """
    dag_id = dag_id or f"headwater_{pipeline_name}"
    path = output if output.endswith(".py") else os.path.join(output, f"{_file_stem(dag_id)}.py")
    run_config = config_from_files(list(config_files)) if config_files else {}
    pointer: dict[str, Any] = {"python_file": os.path.abspath(python_file)} \
        if python_file else {"module": module_name}
    if attribute:
        pointer["attribute"] = attribute
    make_airflow_dag(pointer, pipeline_name, run_config or None, mode, preset, dag_id)
    with open(path, "w", encoding="utf-8") as file:
        file.write(_render(pointer, os.path.dirname(os.path.abspath(path)), pipeline_name,
                           run_config, mode, preset, dag_id))
    return path


def _render(pointer: Mapping[str, Any], dag_dir: str, pipeline_name: str,
            run_config: Mapping[str, Any], mode: str | None, preset: str | None,
            dag_id: str) -> str:
    imports = ""
    attribute = f", {'attribute'!r}: {pointer['attribute']!r}" if "attribute" in pointer else ""
    if "python_file" in pointer:
        relative = os.path.relpath(pointer["python_file"], dag_dir)
        imports = "\nimport os\n"
        code = ('{"python_file": os.path.join(os.path.dirname(os.path.abspath(__file__)), '
                f"{relative!r}){attribute}}}")
    else:
        code = f'{{"module": {pointer["module"]!r}{attribute}}}'
    config = pprint.pformat(dict(run_config), indent=4, width=88, sort_dicts=False)
    return _TEMPLATE.format(pipeline_name=pipeline_name, imports=imports, code=code,
                            run_config=config, mode=mode, preset=preset, dag_id=dag_id)


def _file_stem(dag_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", dag_id)
