"""Running pipelines from Python: ``execute_pipeline`` and friends.

A run goes: resolve mode/preset/selection/tags → validate the run config (every error at
once, before anything runs) → build the plan → record the run → start the loggers and the
resources the selected steps need → let the executor run the steps → record the outcome.
"""

from __future__ import annotations

import logging
import time
import uuid
import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater.allocation import gc_paused
from headwater.definitions.dependency import DependencyDefinition, Node
from headwater.definitions.executor import ExecutorRequirement, InitExecutorContext
from headwater.definitions.logger import InitLoggerContext
from headwater.definitions.mode import ModeDefinition
from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.run_config import ResolvedRunConfig, RunConfigSchema
from headwater.definitions.solid import lambda_solid
from headwater.definitions.utils import normalize_tags
from headwater.errors import (
    HeadwaterExecutionInterruptedError,
    HeadwaterInvalidConfigError,
    HeadwaterInvariantViolationError,
    HeadwaterResourceFunctionError,
    HeadwaterRunStatusConflictError,
    HeadwaterUserCodeExecutionError,
)
from headwater.execution.active import RetryState
from headwater.execution.context import RunContext
from headwater.execution.events import (
    EngineEventData,
    HeadwaterEvent,
    HeadwaterEventType,
    PipelineFailureData,
    SerializableErrorInfo,
    new_event,
)
from headwater.execution.log_manager import LogManager
from headwater.execution.modes import resolve_mode
from headwater.execution.output_loader import OutputLoader, OutputValues
from headwater.execution.plan import ExecutionPlan, build_execution_plan
from headwater.execution.recorder import InMemoryRunRecorder, RunRecorder
from headwater.execution.resources import ResourceScope
from headwater.execution.results import PipelineExecutionResult
from headwater.execution.run import PipelineRun
from headwater.execution.selection import select_solids

E = HeadwaterEventType
SOLID_SELECTION_TAG = "headwater/solid_selection"
PRESET_NAME_TAG = "headwater/preset_name"


def _definition_of(pipeline: Any) -> PipelineDefinition:
    """A PipelineDefinition, or anything that can produce one (``reconstructable(...)``)."""
    if isinstance(pipeline, PipelineDefinition):
        return pipeline
    get_definition = getattr(pipeline, "get_definition", None)
    if get_definition is not None:
        definition: PipelineDefinition = get_definition()
        return definition
    raise HeadwaterInvariantViolationError(
        f"Expected a pipeline definition, received {pipeline!r} ({type(pipeline).__name__}).")


def _origin_of(pipeline: Any) -> dict[str, Any] | None:
    origin = getattr(pipeline, "origin", None)
    return dict(origin) if origin else None


class RunRequestArgs:
    """The arguments of a run, resolved (preset applied, selection made, tags merged)."""

    def __init__(self, pipeline: PipelineDefinition, mode_def: ModeDefinition,
                 run_config: dict[str, Any], tags: dict[str, str],
                 solid_selection: list[str] | None, solids_to_execute: list[str] | None) -> None:
        self.pipeline = pipeline
        self.mode_def = mode_def
        self.run_config = run_config
        self.tags = tags
        self.solid_selection = solid_selection
        self.solids_to_execute = solids_to_execute


def resolve_run_args(pipeline: PipelineDefinition, run_config: Mapping[str, Any] | None = None,
                     mode: str | None = None, preset: str | None = None,
                     tags: Mapping[str, Any] | None = None,
                     solid_selection: str | Sequence[str] | None = None) -> RunRequestArgs:
    """Apply a preset, pick the mode, make the selection and merge the tags
    (pipeline < preset < given)."""
    merged_tags: dict[str, str] = dict(pipeline.tags)
    if preset is not None:
        if mode is not None:
            raise HeadwaterInvariantViolationError(
                f"You may set only one of mode (got {mode!r}) or preset (got {preset!r}).")
        preset_def = pipeline.get_preset(preset)
        if run_config and dict(run_config) != preset_def.run_config:
            raise HeadwaterInvariantViolationError(
                f'Preset "{preset}" has its own run config; do not pass run_config as well '
                "(use preset.with_additional_config(...) to extend it).")
        selection_list = None if solid_selection is None else list(
            [solid_selection] if isinstance(solid_selection, str) else solid_selection)
        if selection_list is not None and preset_def.solid_selection is not None and \
                selection_list != preset_def.solid_selection:
            raise HeadwaterInvariantViolationError(
                f'Preset "{preset}" selects {preset_def.solid_selection}; a different '
                f"solid_selection ({selection_list}) cannot be passed with it.")
        run_config = preset_def.run_config
        mode = preset_def.mode
        solid_selection = preset_def.solid_selection if selection_list is None else selection_list
        merged_tags.update(preset_def.tags)
        merged_tags[PRESET_NAME_TAG] = preset
    elif run_config is None:
        run_config = pipeline.default_run_config
    mode_def = pipeline.get_mode_definition(mode)
    merged_tags.update(normalize_tags(tags, "the run"))
    solids_to_execute = None
    selection = None
    if solid_selection:
        selection = [solid_selection] if isinstance(solid_selection, str) else list(solid_selection)
        solids_to_execute = sorted(select_solids(pipeline, selection))
        pipeline = pipeline.get_pipeline_subset_def(solids_to_execute)
        merged_tags[SOLID_SELECTION_TAG] = ",".join(selection)
    return RunRequestArgs(pipeline, mode_def, dict(run_config or {}), merged_tags, selection,
                          solids_to_execute)


# Run config schemas by pipeline, kept beside the (frozen) definitions while they live.
_SchemasByMode = dict[tuple[str, int], RunConfigSchema]
_run_config_schemas: weakref.WeakKeyDictionary[PipelineDefinition, _SchemasByMode] = (
    weakref.WeakKeyDictionary())


@gc_paused
def run_config_schema_for(pipeline: PipelineDefinition, mode_def: ModeDefinition
                          ) -> RunConfigSchema:
    """The run config schema of a pipeline in a mode, built once and kept on the pipeline."""
    from headwater.plugins.manager import plugin_generation

    cache = _run_config_schemas.get(pipeline)
    if cache is None:
        cache = _run_config_schemas[pipeline] = {}
    key = (mode_def.name, plugin_generation())
    schema = cache.get(key)
    if schema is None:
        schema = cache[key] = RunConfigSchema(pipeline, resolve_mode(mode_def))
    return schema


def validate_run_config(pipeline: Any, run_config: Mapping[str, Any] | None = None,
                        mode: str | None = None) -> ResolvedRunConfig:
    """Validate a run config without running anything; raises with every error found."""
    pipeline_def = _definition_of(pipeline)
    mode_def = pipeline_def.get_mode_definition(mode)
    return run_config_schema_for(pipeline_def, mode_def).resolve(run_config)


def create_execution_plan(pipeline: Any, run_config: Mapping[str, Any] | None = None,
                          mode: str | None = None,
                          step_keys_to_execute: Sequence[str] | None = None,
                          solid_selection: str | Sequence[str] | None = None) -> ExecutionPlan:
    """The execution plan of a run, without running it."""
    args = resolve_run_args(_definition_of(pipeline), run_config, mode,
                            solid_selection=solid_selection)
    resolved = _resolve_config(run_config_schema_for(args.pipeline, args.mode_def),
                               args.run_config)
    return build_execution_plan(args.pipeline, resolved, step_keys_to_execute)


def _resolve_config(schema: RunConfigSchema, run_config: Mapping[str, Any]
                    ) -> ResolvedRunConfig:
    """Validate the run config, reporting every error at once; an executor name that no
    installed plugin provides gets, besides its error, the package to install."""
    try:
        return schema.resolve(run_config)
    except HeadwaterInvalidConfigError as error:
        hints = _executor_hints(schema, run_config)
        if not hints:
            raise
        raise HeadwaterInvalidConfigError(error.preamble, [*error.errors, *hints],
                                          error.config_value) from None


def _executor_hints(schema: RunConfigSchema, run_config: Mapping[str, Any]) -> list[str]:
    execution = run_config.get("execution")
    if not isinstance(execution, Mapping):
        return []
    from headwater.plugins.known import install_hint, provider_of

    available = sorted(e.name for e in schema.resolved.executor_defs)
    # Only names a known package provides: for anything else (a typo), the did-you-mean of
    # the config error says it better.
    return [f'Executor "{name}" (at execution.{name}) is not installed for mode '
            f'"{schema.resolved.mode.name}", which has {available}. {install_hint(name)}'
            for name in execution if name not in available and provider_of(name) is not None]


class PreparedRun:
    """A run whose config is valid and plan is built, ready to execute."""

    def __init__(self, args: RunRequestArgs, schema: RunConfigSchema,
                 resolved: ResolvedRunConfig, plan: ExecutionPlan, run: PipelineRun) -> None:
        self.args = args
        self.schema = schema
        self.resolved = resolved
        self.plan = plan
        self.run = run


def prepare_run(pipeline: Any, run_config: Mapping[str, Any] | None = None,
                mode: str | None = None, preset: str | None = None,
                tags: Mapping[str, Any] | None = None,
                solid_selection: str | Sequence[str] | None = None,
                run_id: str | None = None, step_keys_to_execute: Sequence[str] | None = None,
                parent_run_id: str | None = None, root_run_id: str | None = None,
                system_tags: Mapping[str, str] | None = None) -> PreparedRun:
    """Resolve the arguments, validate the config and build the plan of a new run.

    ``system_tags`` are set by Headwater itself (re-execution, schedules) and may use the
    reserved ``headwater/`` prefix.
    """
    pipeline_def = _definition_of(pipeline)
    args = resolve_run_args(pipeline_def, run_config, mode, preset, tags, solid_selection)
    args.tags.update(system_tags or {})
    schema = run_config_schema_for(args.pipeline, args.mode_def)
    resolved = _resolve_config(schema, args.run_config)
    plan = build_execution_plan(args.pipeline, resolved, step_keys_to_execute)
    run = PipelineRun(
        run_id=run_id or str(uuid.uuid4()), pipeline_name=pipeline_def.name,
        run_config=args.run_config, mode=args.mode_def.name,
        solid_selection=args.solid_selection, solids_to_execute=args.solids_to_execute,
        step_keys_to_execute=list(step_keys_to_execute) if step_keys_to_execute else None,
        tags=args.tags, parent_run_id=parent_run_id, root_run_id=root_run_id,
        pipeline_origin=_origin_of(pipeline),
    )
    return PreparedRun(args, schema, resolved, plan, run)


def build_loggers(prepared: PreparedRun, default_console: bool = True) -> list[logging.Logger]:
    """The run's loggers: those its run config names; when it names none, the mode's
    console logger at INFO (unless ``default_console`` is False)."""
    logger_defs = prepared.schema.resolved.logger_defs
    configured = prepared.resolved.loggers
    if not configured:
        # No logger named in run config: the console at INFO, so that a run prints what
        # solids log without every event (events are all in the event log anyway).
        console = logger_defs.get("console") if default_console else None
        if console is None:
            return []
        configured = {"console": console.resolve_config(
            {"log_level": "INFO", "name": "headwater"})}
    loggers = []
    for key, config in configured.items():
        definition = logger_defs[key]
        loggers.append(definition.logger_fn(InitLoggerContext(
            config, definition, prepared.args.pipeline, prepared.run.run_id)))
    return loggers


def check_executor(pipeline: Any, prepared: PreparedRun, recorder: Any) -> Any:
    """The run's executor definition, after checking that the run meets its requirements."""
    resolved_mode = prepared.schema.resolved
    executor_def = next(e for e in resolved_mode.executor_defs
                        if e.name == prepared.resolved.executor_name)
    _check_requirements(executor_def, pipeline, recorder, resolved_mode.resource_defs,
                        prepared.schema.required_resource_keys)
    return executor_def


def _check_requirements(executor_def: Any, pipeline: Any, recorder: Any,
                        resource_defs: Mapping[str, Any], used_keys: frozenset[str]) -> None:
    requirements = executor_def.requirements
    if not requirements:
        return
    if ExecutorRequirement.RECONSTRUCTABLE_PIPELINE in requirements and \
            getattr(pipeline, "origin", None) is None:
        raise HeadwaterInvariantViolationError(
            f'You have attempted to use an executor that uses multiple processes with the '
            f'pipeline "{_definition_of(pipeline).name}" that is not reconstructable. Pass '
            "reconstructable(<pipeline>) instead of the pipeline itself, or run it from the "
            "CLI (-f/-m).")
    if ExecutorRequirement.NON_EPHEMERAL_INSTANCE in requirements and \
            not getattr(recorder, "is_persistent", False):
        raise HeadwaterInvariantViolationError(
            f'The executor "{executor_def.name}" runs steps in other processes, which need a '
            "persistent instance to coordinate. Pass instance=Instance.get() (or set "
            "HEADWATER_HOME and run from the CLI).")
    if ExecutorRequirement.PERSISTENT_OUTPUTS in requirements:
        transient = sorted(key for key, d in resource_defs.items()
                           if key in used_keys and getattr(d, "is_persistent", True) is False)
        if transient:
            raise HeadwaterInvariantViolationError(
                f'The executor "{executor_def.name}" runs steps in other processes, but the IO '
                f"manager(s) {transient} keep outputs in memory, where other processes cannot "
                "read them. Use a persistent IO manager, e.g. ModeDefinition(resource_defs="
                '{"io_manager": fs_io_manager}).')


def execute_run_iterator(pipeline: Any, prepared: PreparedRun, recorder: Any,
                         output_capture: dict[Any, Any] | None = None,
                         stop_on_failure: bool = False,
                         failure_holder: list[BaseException] | None = None,
                         parent_output_run_ids: Mapping[str, str] | None = None,
                         known_state: Mapping[str, Any] | None = None,
                         default_console_logger: bool = True
                         ) -> Iterator[HeadwaterEvent]:
    """Execute a prepared run that is already recorded, yielding its events.

    With ``stop_on_failure``, no new step starts after a step fails; the first user error
    is appended to ``failure_holder`` for the caller to raise. With
    ``default_console_logger`` False, a run config naming no logger gets none (for callers
    that show the log lines themselves, from the recorder).
    """
    from headwater.execution.lifecycle import hooks_for, wrapped

    events = _execute_run(pipeline, prepared, recorder, output_capture, stop_on_failure,
                          failure_holder, parent_output_run_ids, known_state,
                          default_console_logger)
    wrap = wrapped(hooks_for(recorder), "headwater_run_wrapper", recorder, prepared.run)
    if wrap is None:
        yield from events
        return
    # A pluggy call cannot be suspended at each event: the run executes inside the
    # wrappers to its end, and its events reach the caller afterwards (recorded and
    # logged as they happened).
    seen: list[HeadwaterEvent] = []
    raised: BaseException | None = None
    try:
        wrap(lambda: seen.extend(events))
    except BaseException as error:
        raised = error
    yield from seen
    if raised is not None:
        raise raised


def _execute_run(pipeline: Any, prepared: PreparedRun, recorder: Any,
                 output_capture: dict[Any, Any] | None, stop_on_failure: bool,
                 failure_holder: list[BaseException] | None,
                 parent_output_run_ids: Mapping[str, str] | None,
                 known_state: Mapping[str, Any] | None, default_console_logger: bool
                 ) -> Iterator[HeadwaterEvent]:
    run = prepared.run
    pipeline_def = prepared.args.pipeline
    recorder = _with_lifecycle_hooks(recorder, run)
    loggers = build_loggers(prepared, default_console_logger)
    log = LogManager(run.run_id, pipeline_def.name, loggers, recorder)

    def pipeline_event(event_type: HeadwaterEventType, message: str,
                       data: Any = None) -> HeadwaterEvent:
        event = new_event(event_type, pipeline_def.name, message, data=data)
        log.log_event(event)
        return event

    started = time.perf_counter()
    step_failed = False
    try:
        yield pipeline_event(E.PIPELINE_START,
                             f'Started execution of run for "{pipeline_def.name}".')
        resolved_mode = prepared.schema.resolved
        executor_def = check_executor(pipeline, prepared, recorder)
        executor = executor_def.executor_creation_fn(InitExecutorContext(
            pipeline, executor_def, prepared.resolved.executor_config, recorder))
        scope = ResourceScope(resolved_mode.resource_defs, prepared.resolved.resources,
                              prepared.schema.required_resource_keys, instance=recorder,
                              pipeline_run=run, log=log,
                              where=f'mode "{resolved_mode.mode.name}"')
        with scope as resources:
            run_context = RunContext(
                pipeline_def, prepared.plan, run, prepared.resolved, resolved_mode.mode,
                resolved_mode.resource_defs, resources, recorder, log,
                RetryState(executor.retries), output_capture,
                parent_output_run_ids=parent_output_run_ids, known_state=known_state,
                default_console_logger=default_console_logger)
            for event in executor.execute(run_context, prepared.plan):
                yield event
                if event.is_step_failure:
                    step_failed = True
                    if stop_on_failure:
                        run_context.stop_requested = True
                        error = run_context.step_errors.get(event.step_key)
                        if failure_holder is not None and error is not None and \
                                not failure_holder:
                            failure_holder.append(error)
    except GeneratorExit:
        # The caller stopped iterating: the run will not go on, so it must not stay STARTED.
        pipeline_event(E.PIPELINE_CANCELED,
                       f'Execution of run for "{pipeline_def.name}" was stopped by its caller '
                       "before it finished.")
        recorder.flush()
        raise
    except HeadwaterExecutionInterruptedError as request:
        # Asked to stop (``headwater run cancel``, SIGTERM): the run ends CANCELED.
        yield pipeline_event(E.PIPELINE_CANCELED,
                             f'Execution of run for "{pipeline_def.name}" was canceled: '
                             f"{request}")
        recorder.flush()
        raise
    except HeadwaterRunStatusConflictError as lost:
        # Another process ended the run (the run monitor, say): this one lost it. It records
        # why it stopped (an engine event moves no status) and nothing more.
        yield pipeline_event(E.ENGINE_EVENT, f"{lost}", EngineEventData(
            error=SerializableErrorInfo.from_exception(lost)))
        recorder.flush()
        raise
    except (KeyboardInterrupt, SystemExit) as interrupt:
        yield pipeline_event(E.PIPELINE_FAILURE,
                             f'Execution of run for "{pipeline_def.name}" was interrupted.',
                             PipelineFailureData(SerializableErrorInfo.from_exception(interrupt)))
        recorder.flush()
        raise
    except Exception as error:
        info = SerializableErrorInfo.from_exception(
            error.user_exception if isinstance(error, HeadwaterUserCodeExecutionError)
            else error)
        yield pipeline_event(E.ENGINE_EVENT, f"{error}", EngineEventData(error=info))
        yield pipeline_event(E.PIPELINE_FAILURE,
                             f'Execution of run for "{pipeline_def.name}" failed. An exception '
                             f"was thrown during execution: {error}",
                             PipelineFailureData(info))
        recorder.flush()
        if failure_holder is not None and not failure_holder:
            failure_holder.append(error.user_exception
                                  if isinstance(error, HeadwaterResourceFunctionError)
                                  else error)
        return
    elapsed = time.perf_counter() - started
    if step_failed:
        yield pipeline_event(E.PIPELINE_FAILURE,
                             f'Execution of run for "{pipeline_def.name}" failed. Steps failed: '
                             "see the step failure events.", PipelineFailureData())
    else:
        yield pipeline_event(E.PIPELINE_SUCCESS,
                             f'Finished execution of run for "{pipeline_def.name}" in '
                             f"{elapsed:.2f}s.")
    recorder.flush()


def _with_lifecycle_hooks(recorder: RunRecorder, run: PipelineRun) -> RunRecorder:
    from headwater.execution.lifecycle import hooks_for, with_lifecycle_hooks

    return with_lifecycle_hooks(recorder, run, hooks_for(recorder))


def _start(pipeline: Any, prepared: PreparedRun, instance: Any) -> Any:
    recorder = instance if instance is not None else InMemoryRunRecorder()
    # Plugin settings are checked before the run is recorded: a mistake there must not
    # leave a run behind that never starts.
    recorder.enabled_plugins  # noqa: B018
    # So is the executor: a run it cannot execute (e.g. multiprocess steps with outputs
    # kept in memory) is refused, not recorded as failed.
    check_executor(pipeline, prepared, recorder)
    recorder.create_run(prepared.run)
    return recorder


def execute_pipeline_iterator(pipeline: Any, run_config: Mapping[str, Any] | None = None,
                              mode: str | None = None, preset: str | None = None,
                              tags: Mapping[str, Any] | None = None,
                              solid_selection: str | Sequence[str] | None = None,
                              instance: Any = None, default_console_logger: bool = True
                              ) -> Iterator[HeadwaterEvent]:
    """Run a pipeline, yielding its events as they happen.

    Config is validated before the first event: an invalid run config raises
    ``HeadwaterInvalidConfigError`` listing every error.

    ``default_console_logger=False`` leaves out the console logger a run gets when its
    run config names no logger: for callers that show log lines themselves (the CLI shows
    those its ``instance`` receives).
    """
    prepared = prepare_run(pipeline, run_config, mode, preset, tags, solid_selection)
    recorder = _start(pipeline, prepared, instance)
    return execute_run_iterator(pipeline, prepared, recorder,
                                default_console_logger=default_console_logger)


def execute_pipeline(pipeline: Any, run_config: Mapping[str, Any] | None = None,
                     mode: str | None = None, preset: str | None = None,
                     tags: Mapping[str, Any] | None = None,
                     solid_selection: str | Sequence[str] | None = None,
                     instance: Any = None, raise_on_error: bool = True
                     ) -> PipelineExecutionResult:
    """Run a pipeline and return its result.

    Args:
        pipeline: A PipelineDefinition (or ``reconstructable(...)`` of one).
        run_config: The run config (solids, resources, execution, loggers).
        mode: The mode; needed when the pipeline has several.
        preset: A preset's name (instead of run_config and mode).
        tags: Run tags, merged over the pipeline's and the preset's.
        solid_selection: Selection clauses (``["*report"]``) of top-level solids to run.
        instance: Where the run and its events are recorded; in memory when None.
        raise_on_error: Re-raise the first error of user code (the original exception) once
            the run has recorded its failure; no new step starts after it.

    Example:
        >>> result = execute_pipeline(daily_orders, mode="test",
        ...                           run_config={"solids": {"load": {"config": {"day": "2024-01-01"}}}})
        >>> assert result.success
    """
    prepared = prepare_run(pipeline, run_config, mode, preset, tags, solid_selection)
    return execute_prepared(pipeline, prepared, instance, raise_on_error)


def iterate_prepared(pipeline: Any, prepared: PreparedRun, instance: Any,
                     parent_output_run_ids: Mapping[str, str] | None = None,
                     known_state: Mapping[str, Any] | None = None) -> Iterator[HeadwaterEvent]:
    """Record a prepared run and yield its events as it runs; ``execute_prepared``'s
    iterator form."""
    recorder = _start(pipeline, prepared, instance)
    return execute_run_iterator(pipeline, prepared, recorder,
                                parent_output_run_ids=parent_output_run_ids,
                                known_state=known_state)


def execute_prepared(pipeline: Any, prepared: PreparedRun, instance: Any,
                     raise_on_error: bool = True,
                     parent_output_run_ids: Mapping[str, str] | None = None,
                     known_state: Mapping[str, Any] | None = None) -> PipelineExecutionResult:
    """Record and run a prepared run to completion; the result of ``execute_pipeline``."""
    recorder = _start(pipeline, prepared, instance)
    outputs: dict[Any, Any] = {}
    failures: list[BaseException] = []
    events = list(execute_run_iterator(pipeline, prepared, recorder, outputs,
                                       stop_on_failure=raise_on_error, failure_holder=failures,
                                       parent_output_run_ids=parent_output_run_ids,
                                       known_state=known_state))
    if raise_on_error and failures:
        raise failures[0]
    # Steps that ran in other processes, or in the runs a re-execution reuses, left their
    # values with the IO managers only.
    loader = OutputLoader(prepared, recorder, parent_output_run_ids) \
        if getattr(recorder, "is_persistent", False) or parent_output_run_ids else None
    return PipelineExecutionResult(prepared.args.pipeline, prepared.run.run_id, events,
                                   OutputValues(outputs, loader))


def execute_solid(solid_def: Any, mode_def: ModeDefinition | None = None,
                  input_values: Mapping[str, Any] | None = None,
                  tags: Mapping[str, Any] | None = None,
                  run_config: Mapping[str, Any] | None = None,
                  raise_on_error: bool = True) -> Any:
    """Run one solid (or composite) in an ephemeral pipeline; inputs given by value.

    Example:
        >>> result = execute_solid(scale, input_values={"numbers": [1, 2]},
        ...                        run_config={"solids": {"scale": {"config": {"factor": 3}}}})
        >>> result.output_value()
        [3, 6]
    """
    stubs = []
    deps: dict[str, dict[str, DependencyDefinition]] = {}
    for input_name, value in (input_values or {}).items():
        stub = lambda_solid(name=f"__stub_{input_name}")(_constant(value))
        stubs.append(stub)
        deps.setdefault(solid_def.name, {})[input_name] = DependencyDefinition(stub.name)
    ephemeral = PipelineDefinition(
        [solid_def, *stubs], f"ephemeral_{solid_def.name}_solid_pipeline", dependencies=deps,
        mode_defs=[mode_def] if mode_def is not None else None)
    result = execute_pipeline(ephemeral, run_config=run_config, tags=tags,
                              raise_on_error=raise_on_error)
    return result.result_for_solid(solid_def.name)


def execute_solids_within_pipeline(pipeline: Any, solid_names: Sequence[str],
                                   inputs: Mapping[str, Mapping[str, Any]] | None = None,
                                   run_config: Mapping[str, Any] | None = None,
                                   mode: str | None = None, preset: str | None = None,
                                   tags: Mapping[str, Any] | None = None, instance: Any = None,
                                   raise_on_error: bool = True) -> dict[str, Any]:
    """Run some top-level solids of a pipeline, in its modes, with some inputs given by value.

    Dependencies among the named solids are kept; an input fed by a solid that is not
    named gets its value from ``inputs`` (``{solid: {input: value}}``), from config, or from
    its default.

    Returns:
        ``{solid_name: SolidExecutionResult}``.

    Example:
        >>> results = execute_solids_within_pipeline(
        ...     daily_orders, ["clean", "report"], inputs={"clean": {"raw": [1, 2]}},
        ...     mode="test")
        >>> results["report"].output_value()
    """
    pipeline_def = _definition_of(pipeline)
    selected = frozenset(solid_names)
    unknown = sorted(selected - {node.name for node in pipeline_def.solids})
    if unknown:
        raise HeadwaterInvariantViolationError(
            f'Pipeline "{pipeline_def.name}" has no top-level solid(s) {unknown}.')
    deps: dict[str, dict[str, Any]] = pipeline_def.dependencies_within(selected)
    stubs = []
    for solid_name, values in (inputs or {}).items():
        if solid_name not in selected:
            raise HeadwaterInvariantViolationError(
                f'Inputs were given for solid "{solid_name}", which is not among the solids '
                f"to execute ({sorted(selected)}).")
        for input_name, value in values.items():
            stub = lambda_solid(name=f"__stub_{solid_name}_{input_name}")(_constant(value))
            stubs.append(Node(stub.name, stub))
            deps.setdefault(solid_name, {})[input_name] = DependencyDefinition(stub.name)
    subset = pipeline_def.with_solids(
        [n for n in pipeline_def.solids if n.name in selected] + stubs, deps, selected)
    result = execute_pipeline(subset, run_config=run_config, mode=mode, preset=preset,
                              tags=tags, instance=instance, raise_on_error=raise_on_error)
    return {name: result.result_for_solid(name) for name in solid_names}


def execute_solid_within_pipeline(pipeline: Any, solid_name: str,
                                  inputs: Mapping[str, Any] | None = None,
                                  run_config: Mapping[str, Any] | None = None,
                                  mode: str | None = None, preset: str | None = None,
                                  tags: Mapping[str, Any] | None = None, instance: Any = None,
                                  raise_on_error: bool = True) -> Any:
    """Run one top-level solid of a pipeline, in its modes, with inputs given by value
    (``{input: value}``); see :func:`execute_solids_within_pipeline`."""
    return execute_solids_within_pipeline(
        pipeline, [solid_name], {solid_name: inputs} if inputs else None, run_config, mode,
        preset, tags, instance, raise_on_error)[solid_name]


def _constant(value: Any) -> Any:
    def constant() -> Any:
        return value

    return constant
