"""The Airflow operator that runs one solid's steps of a Headwater run.

Each task of a DAG made by :func:`~headwater_airflow.make_airflow_dag` is a
``HeadwaterSolidOperator``. Its ``execute`` opens the Headwater instance, records (or
joins) the DAG run's Headwater run, executes the solid's steps in the task's process with
``headwater.integration.execute_run_steps`` (inputs load from the outputs earlier tasks
stored through the persistent IO manager), and ends the run when it can: FAILURE when a
step fails (the task then fails, and an Airflow retry runs only the steps that did not
succeed), SUCCESS after the last step. A task Airflow stops (timeout, SIGTERM) stops its
steps and ends the run FAILURE before it goes. While its steps run, the task's process is
recorded on the run with a heartbeat (see :mod:`headwater_airflow.process`), so that the
daemon's run monitor fails the run of a task killed with SIGKILL.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from airflow.sdk import BaseOperator

from headwater import Instance, PipelineRunStatus, ReconstructablePipeline
from headwater.integration import execute_run_steps, prepare_run
from headwater_airflow.errors import HeadwaterStepsFailedError, HeadwaterTaskStoppedError
from headwater_airflow.process import recorded_process
from headwater_airflow.runs import (
    airflow_tags,
    finish_if_complete,
    headwater_run_id,
    start_run,
)


class _StoppedByAirflow(KeyboardInterrupt):
    """Raised in the task's main thread when Airflow stops the task (SIGTERM).

    Like Headwater's own interruption, it is not an ``Exception``: a solid's ``except
    Exception`` does not swallow it, so the step stops where it is.
    """


class HeadwaterSolidOperator(BaseOperator):
    """Runs the steps of one solid of a Headwater pipeline, in the DAG run's Headwater run.

    ``run_config`` is a template field: strings in it may use Airflow's template context
    (``"{{ ds }}"``, ``"{{ params.region }}"``), rendered before the task runs.

    Args:
        pointer: Where the pipeline's code is (``{"module": ...}`` or
            ``{"python_file": ...}``, with ``pipeline_name``).
        run_config: The run config (or None with a preset).
        mode: The mode.
        preset: A preset's name, instead of run_config and mode.
        step_keys: The steps this task runs.
        plan_step_keys: Every step of the plan: the run ends SUCCESS when all are done.
        headwater_home: The instance's folder; ``$HEADWATER_HOME`` when None.
        **kwargs: BaseOperator's arguments (``task_id``, ``retries``, ...).
    """

    template_fields: Sequence[str] = ("run_config",)
    ui_color = "#d6ecf6"

    def __init__(self, *, pointer: Mapping[str, Any], run_config: Mapping[str, Any] | None,
                 mode: str | None, preset: str | None, step_keys: Sequence[str],
                 plan_step_keys: Sequence[str], headwater_home: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pointer = dict(pointer)
        self.run_config = dict(run_config) if run_config is not None else None
        self.mode = mode
        self.preset = preset
        self.step_keys = list(step_keys)
        self.plan_step_keys = list(plan_step_keys)
        self.headwater_home = headwater_home
        self._running: tuple[Instance, str] | None = None

    def _open_instance(self) -> Instance:
        if self.headwater_home:
            return Instance.from_config(self.headwater_home)
        return Instance.get()

    def execute(self, context: Any) -> str:
        """Run this task's steps; returns the Headwater run id (pushed as the XCom)."""
        pipeline = ReconstructablePipeline(self.pointer)
        dag_id = context["dag"].dag_id
        run_id = headwater_run_id(dag_id, context["run_id"])
        prepared = prepare_run(pipeline, self.run_config, self.mode, self.preset,
                               tags=airflow_tags(context), run_id=run_id)
        instance = self._open_instance()
        try:
            start_run(instance, prepared.run, self.task_id,
                      getattr(context.get("ti"), "try_number", 1) or 1)
            self.log.info("Headwater run %s (headwater run show %s)", run_id, run_id)
            with recorded_process(instance, run_id):
                return self._run_steps(instance, pipeline, run_id)
        finally:
            instance.dispose()

    def _run_steps(self, instance: Instance, pipeline: Any, run_id: str) -> str:
        self._running = (instance, run_id)
        try:
            events = execute_run_steps(pipeline, run_id, self.step_keys, instance)
        except _StoppedByAirflow as stopped:
            message = (f'Airflow stopped task "{self.task_id}" (SIGTERM) while its steps '
                       f"{self.step_keys} were running: they did not finish. Run the task "
                       "again (an Airflow retry, or a cleared task) to resume the run.")
            self._fail(instance, run_id, message, stopped)
            raise HeadwaterTaskStoppedError(
                f"Headwater run {run_id}: {message}", run_id, self.step_keys) from None
        except BaseException as error:
            # Stopped by Airflow's execution timeout, or failed outside the steps (a
            # resource that cannot be built): the run must not stay STARTED.
            self._fail(instance, run_id,
                       f'Airflow task "{self.task_id}" stopped before its steps '
                       f"{self.step_keys} finished: {type(error).__name__}: {error}",
                       error)
            raise
        finally:
            self._running = None
        failed = sorted({e.step_key for e in events if e.is_step_failure})
        if failed:
            message = (f'Step(s) {failed} of Headwater run {run_id} failed in Airflow task '
                       f'"{self.task_id}". `headwater run logs {run_id}` shows why; a '
                       "retry of this task runs only the steps that did not succeed.")
            self._fail(instance, run_id, message)
            raise HeadwaterStepsFailedError(message, run_id, failed)
        finish_if_complete(instance, run_id, self.plan_step_keys)
        return run_id

    def on_kill(self) -> None:
        """Airflow stops the task (its supervisor sends SIGTERM and calls this in the task's
        main thread): stop the steps where they are; the run ends FAILURE, and a retry of
        the task resumes it. After an execution timeout the steps have already stopped."""
        running = self._running
        if running is None:
            return
        self._running = None
        if threading.current_thread() is threading.main_thread():
            # Airflow's SIGTERM handler returns to the task's code: without this, the steps
            # would go on (until Airflow follows up with SIGKILL).
            raise _StoppedByAirflow(f'Airflow stopped task "{self.task_id}".')
        instance, run_id = running
        self._fail(instance, run_id,
                   f'Airflow stopped task "{self.task_id}" while its steps {self.step_keys} '
                   "were running.")

    @staticmethod
    def _fail(instance: Instance, run_id: str, message: str,
              error: BaseException | None = None) -> None:
        run = instance.get_run_by_id(run_id)
        if run is None or run.status is PipelineRunStatus.FAILURE:
            return
        if run.status is PipelineRunStatus.CANCELING:
            # `headwater run cancel` stopped the task (SIGTERM to its recorded process).
            instance.report_run_canceled(run, f"Run {run_id} was canceled: {message}")
            return
        instance.report_run_failed(run, message, error)
