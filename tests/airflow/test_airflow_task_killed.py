"""A task that Airflow kills while its steps run: SIGTERM (Airflow's supervisor stopping
the task, which calls the operator's on_kill) and SIGKILL (out of memory, a lost worker).
Each DAG runs under `airflow dags test` in a process of its own, which the test signals once
the Headwater step is seen started in the instance."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from airflow_support import AIRFLOW_ENV, airflow_command, write_dag_file

from headwater import Instance, PipelineRunStatus

HEADWATER = str(Path(sys.executable).parent / "headwater")
# Generous: Airflow starts slowly on a busy machine. Only a bound, never a measure.
DEADLINE = 300.0


@pytest.fixture
def airflow_home(airflow_db, tmp_path) -> Path:
    """An Airflow home of the test's own (a copy of the migrated database), its dags folder
    holding only the test's DAG."""
    home = tmp_path / "airflow"
    (home / "dags").mkdir(parents=True)
    shutil.copyfile(airflow_db, home / "airflow.db")
    return home


@pytest.fixture
def instance(headwater_home) -> Iterator[Instance]:
    opened = Instance.from_config(str(headwater_home))
    yield opened
    opened.dispose()


def _start_dag_test(airflow_home: Path, dag_id: str, body: str) -> subprocess.Popen[str]:
    path = write_dag_file(dag_id, body)
    shutil.move(path, airflow_home / "dags" / path.name)
    env = {**os.environ, **AIRFLOW_ENV, "AIRFLOW_HOME": str(airflow_home),
           "AIRFLOW__CORE__DAGS_FOLDER": str(airflow_home / "dags")}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "airflow"), "dags", "test", dag_id, "2024-01-02"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[str],
                what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"airflow dags test ended before {what}:\n"
                                 f"{process.stdout.read()[-4000:]}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"{what} did not happen within {DEADLINE:g}s")
        time.sleep(0.2)


def _the_run(instance: Instance):
    runs = instance.get_runs()
    return runs[0] if runs else None


def _transform_started(instance: Instance) -> Callable[[], bool]:
    def started() -> bool:
        run = _the_run(instance)
        return run is not None and any(
            e.step_key == "transform" for e in instance.all_logs(run.run_id, of_type="STEP_START"))
    return started


def _finish(process: subprocess.Popen[str]) -> str:
    try:
        output, _ = process.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(f"airflow dags test did not end:\n{output[-4000:]}") from None
    return output


def _run_events(instance: Instance, run_id: str) -> list[tuple[str, str]]:
    return [(e.headwater_event.event_type_value, e.user_message)
            for e in instance.all_logs(run_id) if e.headwater_event is not None
            and e.headwater_event.event_type_value.startswith("PIPELINE_")]


def test_task_stopped_by_sigterm_ends_the_run_failure_saying_airflow_stopped_it(
        airflow_home, dag_id, headwater_home, instance, calls):
    process = _start_dag_test(airflow_home, dag_id, f"""
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"transform": {{"config": {{"hang_first_attempts": 1}}}}}}}})
    """)
    _wait_until(_transform_started(instance), process, "the transform step started")
    os.kill(process.pid, signal.SIGTERM)
    output = _finish(process)
    run = instance.get_run_by_id(_the_run(instance).run_id)
    assert run.status is PipelineRunStatus.FAILURE, output[-4000:]
    kinds = _run_events(instance, run.run_id)
    assert [k for k, _ in kinds] == ["PIPELINE_START", "PIPELINE_FAILURE"]
    assert 'Airflow stopped task "transform"' in kinds[-1][1]
    assert "load" not in calls()


def test_retry_after_sigterm_resumes_the_run_and_runs_only_the_unfinished_steps(
        airflow_home, dag_id, headwater_home, instance, calls):
    process = _start_dag_test(airflow_home, dag_id, f"""
        import datetime
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"transform": {{"config": {{"hang_first_attempts": 1}}}}}}}},
            op_kwargs={{"retries": 1, "retry_delay": datetime.timedelta(seconds=0)}})
    """)
    _wait_until(_transform_started(instance), process, "the transform step started")
    os.kill(process.pid, signal.SIGTERM)
    output = _finish(process)
    assert process.returncode == 0, output[-4000:]
    run = instance.get_run_by_id(_the_run(instance).run_id)
    assert run.status is PipelineRunStatus.SUCCESS
    assert [k for k, _ in _run_events(instance, run.run_id)] == [
        "PIPELINE_START", "PIPELINE_FAILURE", "PIPELINE_START", "PIPELINE_SUCCESS"]
    assert sorted(calls()) == ["audit", "extract", "load", "transform", "transform"]


def _monitor_once(headwater_home: Path) -> None:
    """The daemon's duties once, the run monitor among them (`headwater daemon run --once`)."""
    result = subprocess.run([HEADWATER, "daemon", "run", "--once"], capture_output=True,
                            text=True, timeout=DEADLINE,
                            env={**os.environ, "HEADWATER_HOME": str(headwater_home)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_run_of_a_task_killed_with_sigkill_is_failed_by_the_run_monitor(
        airflow_home, dag_id, headwater_home, instance):
    process = _start_dag_test(airflow_home, dag_id, f"""
        dag = make_airflow_dag(
            PIPELINES, "etl", dag_id={dag_id!r},
            run_config={{"solids": {{"transform": {{"config": {{"hang_first_attempts": 1}}}}}}}})
    """)
    _wait_until(_transform_started(instance), process, "the transform step started")
    run = instance.get_run_by_id(_the_run(instance).run_id)
    assert run.tags["headwater/pid"] == str(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=DEADLINE)
    assert instance.get_run_by_id(run.run_id).status is PipelineRunStatus.STARTED
    _monitor_once(headwater_home)
    assert instance.get_run_by_id(run.run_id).status is PipelineRunStatus.FAILURE
    [failure] = instance.all_logs(run.run_id, of_type="PIPELINE_FAILURE")
    assert f"its process (pid {process.pid} on " in failure.user_message
    assert "is gone" in failure.user_message


def test_run_between_two_tasks_is_left_alone_by_the_run_monitor(
        airflow_home, dag_id, headwater_home, instance, calls):
    path = write_dag_file(dag_id, f"""
        dag = make_airflow_dag(PIPELINES, "etl", dag_id={dag_id!r})
    """)
    shutil.move(path, airflow_home / "dags" / path.name)
    env = {**AIRFLOW_ENV, "AIRFLOW_HOME": str(airflow_home),
           "AIRFLOW__CORE__DAGS_FOLDER": str(airflow_home / "dags")}
    # One task of the DAG run, in a process that then exits: the run waits for the others.
    result = airflow_command("tasks", "test", dag_id, "extract", "2024-01-02", env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert calls() == ["extract"]
    run = _the_run(instance)
    assert run.status is PipelineRunStatus.STARTED
    _monitor_once(headwater_home)
    assert instance.get_run_by_id(run.run_id).status is PipelineRunStatus.STARTED
