"""Contexts: what a run knows (RunContext) and what a solid sees (SolidExecutionContext)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from headwater.definitions.configurable import process_definition_config
from headwater.definitions.resource import ResourceDefinition, Resources
from headwater.definitions.solid import register_empty_context_factory
from headwater.errors import HeadwaterInvalidInvocationError
from headwater.execution.active import RetryState
from headwater.execution.resources import ResourceScope

if TYPE_CHECKING:
    from headwater.definitions.mode import ModeDefinition
    from headwater.definitions.pipeline import PipelineDefinition
    from headwater.definitions.run_config import ResolvedRunConfig
    from headwater.execution.log_manager import LogManager
    from headwater.execution.plan import ExecutionPlan, ExecutionStep, StepOutputHandle
    from headwater.execution.recorder import RunRecorder
    from headwater.execution.run import PipelineRun


class RunContext:
    """Everything about one run that its steps share (internal).

    Attributes:
        pipeline: The (subset) pipeline definition.
        plan: The execution plan.
        run: The PipelineRun record.
        resolved_config: The ResolvedRunConfig.
        mode_def: The mode.
        resource_defs: Resolved resource definitions of the mode.
        resources: Built resources, by key.
        recorder: Where events go (the instance, or an in-memory recorder).
        log: The run's LogManager.
        retries: RetryState shared by the executor.
        output_capture: ``{StepOutputHandle: value}`` of outputs produced in this process,
            or None when values are not kept.
        instance: What solids see as ``context.instance`` (default: the recorder).
        parent_output_run_ids: Steps not executed in this run whose outputs come from an
            earlier run (re-execution): step key -> that run's id.
        known_state: Passed to ActiveExecution: outputs available before the run started.
        default_console_logger: Whether a run config naming no logger gets the console
            logger; executors pass it on to the processes that run steps.
    """

    def __init__(self, pipeline: PipelineDefinition, plan: ExecutionPlan, run: PipelineRun,
                 resolved_config: ResolvedRunConfig, mode_def: ModeDefinition,
                 resource_defs: Mapping[str, ResourceDefinition],
                 resources: Mapping[str, Any], recorder: RunRecorder, log: LogManager,
                 retries: RetryState, output_capture: dict[StepOutputHandle, Any] | None,
                 instance: Any = None, *,
                 parent_output_run_ids: Mapping[str, str] | None = None,
                 known_state: Mapping[str, Any] | None = None,
                 default_console_logger: bool = True) -> None:
        self.pipeline = pipeline
        self.plan = plan
        self.run = run
        self.resolved_config = resolved_config
        self.mode_def = mode_def
        self.resource_defs = resource_defs
        self.resources = resources
        self.recorder = recorder
        self.instance = instance if instance is not None else recorder
        self.log = log
        self.retries = retries
        self.output_capture = output_capture
        self.step_errors: dict[str, BaseException | None] = {}
        self.parent_output_run_ids: dict[str, str] = dict(parent_output_run_ids or {})
        self.known_state: dict[str, Any] = dict(known_state or {})
        self.default_console_logger = default_console_logger
        # Set by the run's driver when no new step may start (a failure with
        # stop_on_failure, a cancellation).
        self.stop_requested = False
        self._resources_by_keys: dict[frozenset[str], Resources] = {}

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def pipeline_name(self) -> str:
        return self.pipeline.name

    def run_id_for_output(self, step_key: str) -> str:
        """The run whose IO manager storage holds ``step_key``'s outputs."""
        return self.parent_output_run_ids.get(step_key, self.run.run_id)

    def resources_for(self, keys: frozenset[str], owner: str) -> Resources:
        """The resources object holding ``keys`` (shared between steps needing the same)."""
        found = self._resources_by_keys.get(keys)
        if found is None:
            found = Resources({k: self.resources[k] for k in keys}, owner)
            self._resources_by_keys[keys] = found
        return found


class SolidExecutionContext:
    """The ``context`` a solid's function receives.

    Attributes:
        solid_config: The solid's processed config.
        resources: The resources it required, as attributes.
        log: Log lines written here go to the event log and the run's loggers.
        run_id: The run's id.
        run_config: The run config as given.
        pipeline_def / pipeline_name / pipeline_run / mode_def / instance: The run's.
        solid_handle: The solid's dotted handle; ``solid`` its node, ``solid_def`` its
            definition.
        step_key: The step's key.
        retry_number: 0 on the first attempt, 1 on the first retry, ...
    """

    __slots__ = ("_run", "_step", "log", "resources", "retry_number", "solid_config")

    def __init__(self, run_context: RunContext, step: ExecutionStep, log: Any,
                 retry_number: int) -> None:
        self._run = run_context
        self._step = step
        self.log = log
        self.retry_number = retry_number
        self.solid_config = run_context.resolved_config.solid_config(step.solid_handle)
        keys = step.solid_def.required_resource_keys
        self.resources = run_context.resources_for(keys, f'solid "{step.solid_handle}"')

    @property
    def run_id(self) -> str:
        return self._run.run_id

    @property
    def run_config(self) -> dict[str, Any]:
        return self._run.resolved_config.original

    @property
    def pipeline_def(self) -> Any:
        return self._run.pipeline

    @property
    def pipeline_name(self) -> str:
        return self._run.pipeline.name

    @property
    def pipeline_run(self) -> Any:
        return self._run.run

    @property
    def mode_def(self) -> Any:
        return self._run.mode_def

    @property
    def instance(self) -> Any:
        return self._run.instance

    @property
    def solid_handle(self) -> str:
        return self._step.solid_handle

    @property
    def solid(self) -> Any:
        return self._step.node

    @property
    def solid_def(self) -> Any:
        return self._step.solid_def

    @property
    def step_key(self) -> str:
        return self._step.key

    @property
    def step_launcher(self) -> Any:
        return None

    def has_tag(self, key: str) -> bool:
        """Whether the run has tag ``key``."""
        return key in self._run.run.tags

    def get_tag(self, key: str) -> str | None:
        """The run's tag ``key``, or None."""
        return self._run.run.tags.get(key)

    def get_mapping_key(self) -> str | None:
        """The mapping key of a mapped step (one value of a dynamic output), else None."""
        return self._step.mapping_key


class DirectSolidContext:
    """A context for calling a solid's function directly in a test.

    Built with :func:`build_solid_context`; bound to a solid when passed to it, which checks
    the config against the solid's schema and the resources against its required keys.
    """

    def __init__(self, resources: Mapping[str, Any] | None = None, config: Any = None,
                 instance: Any = None) -> None:
        self._resource_args = dict(resources or {})
        self._config = config
        self.instance = instance
        self._scope: ResourceScope | None = None
        self._resource_values: dict[str, Any] | None = None
        self.log = _direct_log()
        self.solid_config: Any = config
        self.resources = Resources({})
        self.retry_number = 0
        self.run_id = "EPHEMERAL"
        self.run_config: dict[str, Any] = {}
        self.solid_def: Any = None

    def __enter__(self) -> DirectSolidContext:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._scope is not None:
            self._scope.__exit__(*exc)
            self._scope = None

    def _values(self) -> dict[str, Any]:
        if self._resource_values is None:
            defs = {k: v for k, v in self._resource_args.items()
                    if isinstance(v, ResourceDefinition)}
            values = {k: v for k, v in self._resource_args.items() if k not in defs}
            if defs:
                configs = {k: process_definition_config(
                    d, None, f'Error in config for resource "{k}" of build_solid_context')
                    for k, d in defs.items()}
                self._scope = ResourceScope({**defs}, configs, defs, self.instance,
                                            where="build_solid_context")
                values.update(self._scope.__enter__())
            self._resource_values = values
        return self._resource_values

    def _bind_for_direct_invocation(self, solid_def: Any) -> DirectSolidContext:
        self.solid_def = solid_def
        self.solid_config = process_definition_config(
            solid_def, self._config, f'Error in config for solid "{solid_def.name}"')
        values = self._values()
        missing = sorted(solid_def.required_resource_keys - values.keys())
        if missing:
            raise HeadwaterInvalidInvocationError(
                f'Solid "{solid_def.name}" requires resource(s) {missing}; pass them to '
                f"build_solid_context(resources={{...}})."
            )
        self.resources = Resources({k: values[k] for k in solid_def.required_resource_keys},
                                   f'solid "{solid_def.name}"')
        return self

    def get_mapping_key(self) -> str | None:
        return None

    def has_tag(self, key: str) -> bool:
        return False

    def get_tag(self, key: str) -> str | None:
        return None


def _direct_log() -> logging.Logger:
    return logging.getLogger("headwater.direct_invocation")


def build_solid_context(resources: Mapping[str, Any] | None = None, config: Any = None,
                        instance: Any = None) -> DirectSolidContext:
    """A context for invoking a solid directly in a unit test.

    Args:
        resources: ``{key: value or ResourceDefinition}``; definitions are built (and torn
            down when the context is used in a ``with`` block).
        config: The solid's config, validated against its schema when the solid is called.
        instance: An instance, if the solid uses one.

    Example:
        >>> assert scale(build_solid_context(config={"factor": 2}), [1, 2]) == [2, 4]
    """
    return DirectSolidContext(resources, config, instance)


register_empty_context_factory(build_solid_context)
