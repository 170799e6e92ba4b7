"""The context a notebook gets when someone runs it by hand, with no pipeline.

``get_context(solid_config=..., mode_def=..., run_config=...)`` builds a one-solid run in
this process: the config is the solid's, every resource of the mode is built (with its
config from ``run_config["resources"]``), and the log prints to the console. Asking again
tears the previous context's resources down and builds a new one, so the author can change
the arguments and re-run the cell.
"""

from __future__ import annotations

import atexit
from collections.abc import Mapping
from typing import Any

from headwater import (
    Field,
    ModeDefinition,
    PipelineDefinition,
    SolidDefinition,
    SolidExecutionContext,
)
from headwater.integration import (
    InMemoryRunRecorder,
    LogManager,
    ResourceScope,
    RetryMode,
    RetryState,
    RunContext,
    build_loggers,
    prepare_run,
)

SOLID_NAME = "this_notebook"
PIPELINE_NAME = "notebook_development"

_scope: ResourceScope | None = None


def _not_run(context: Any, inputs: dict[str, Any]) -> None:
    """The development solid's compute function: the notebook's cells are its compute."""


def development_context(solid_config: Any = None, mode_def: ModeDefinition | None = None,
                        run_config: Mapping[str, Any] | None = None) -> SolidExecutionContext:
    """A context for running a notebook by hand (see the module docstring)."""
    global _scope
    close_development_context()
    mode_def = mode_def or ModeDefinition()
    # The notebook declares no schema by hand: whatever config the author gives is its own
    # (a solid with no schema would refuse it as an unexpected entry).
    solid = SolidDefinition(SOLID_NAME, [], _not_run, [],
                            config_schema=Field(Any, is_required=False),
                            required_resource_keys=set(mode_def.resource_defs))
    pipeline = PipelineDefinition([solid], PIPELINE_NAME, mode_defs=[mode_def])
    config = dict(run_config or {})
    if solid_config is not None:
        config["solids"] = {**config.get("solids", {}), SOLID_NAME: {"config": solid_config}}
    prepared = prepare_run(pipeline, config, mode_def.name)
    recorder = InMemoryRunRecorder()
    run = recorder.create_run(prepared.run)
    log = LogManager(run.run_id, PIPELINE_NAME, build_loggers(prepared), recorder)
    resolved_mode = prepared.schema.resolved
    step = prepared.plan.steps[SOLID_NAME]
    scope = ResourceScope(resolved_mode.resource_defs, prepared.resolved.resources,
                          prepared.plan.resource_keys_for_step(step), instance=recorder,
                          pipeline_run=run, log=log,
                          where=f'get_context(mode_def=...) (mode "{mode_def.name}")')
    resources = scope.__enter__()
    _scope = scope
    atexit.register(close_development_context)
    run_context = RunContext(pipeline, prepared.plan, run, prepared.resolved, resolved_mode.mode,
                             resolved_mode.resource_defs, resources, recorder, log,
                             RetryState(RetryMode.DISABLED), None)
    return SolidExecutionContext(run_context, step, log.for_step(step.key, step.solid_handle), 0)


def close_development_context() -> None:
    """Tear down the resources of the last development context, if any."""
    global _scope
    scope, _scope = _scope, None
    atexit.unregister(close_development_context)
    if scope is not None:
        scope.__exit__(None, None, None)
