"""The Airflow operator that runs one solid's steps of a Headwater run.

Each task of a DAG made by :func:`~headwater_airflow.make_airflow_dag` is a
``HeadwaterSolidOperator``. Its ``execute`` opens the Headwater instance, records (or
joins) the DAG run's Headwater run, executes the solid's steps in the task's process with
``headwater.integration.execute_run_steps`` (inputs load from the outputs earlier tasks
stored through the persistent IO manager), and ends the run when it can: FAILURE when a
step fails (the task then fails, and an Airflow retry runs only the steps that did not
succeed), SUCCESS after the last step. A task Airflow stops (timeout, SIGTERM) ends the
run FAILURE before it goes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airflow.sdk import BaseOperator

from headwater import Instance, PipelineRunStatus, ReconstructablePipeline
from headwater.integration import execute_run_steps, prepare_run
from headwater_airflow.errors import HeadwaterStepsFailedError
from headwater_airflow.runs import (
    airflow_tags,
    finish_if_complete,
    headwater_run_id,
    start_run,
)


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
            self._running = (instance, run_id)
            try:
                events = execute_run_steps(pipeline, run_id, self.step_keys, instance)
            except BaseException as error:
                # Stopped by Airflow (execution timeout, termination) or failed outside the
                # steps (a resource that cannot be built): the run must not stay STARTED.
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
        finally:
            instance.dispose()

    def on_kill(self) -> None:
        """Airflow stops the task (SIGTERM, timeout): end the run FAILURE before it goes."""
        running = self._running
        if running is None:
            return
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
        instance.report_run_failed(run, message, error)
