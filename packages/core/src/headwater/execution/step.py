"""Executing one step: load inputs, run the solid, type-check and store outputs, run hooks.

Every exception from user code (the compute function, IO managers, loaders, type checks)
becomes a STEP_FAILURE carrying the user's traceback, or a STEP_UP_FOR_RETRY when a retry
policy or ``RetryRequested`` asks for another attempt. The step's events are yielded as
they happen.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterator
from typing import Any

from headwater.definitions.events import (
    AssetMaterialization,
    DynamicOutput,
    ExpectationResult,
    Output,
    normalize_metadata,
)
from headwater.definitions.hook import HookContext
from headwater.definitions.io_manager import InputContext, OutputContext
from headwater.errors import (
    Failure,
    HeadwaterError,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvariantViolationError,
    HeadwaterRunStatusConflictError,
    HeadwaterStepOutputNotFoundError,
    HeadwaterStorageUnavailableError,
    HeadwaterTypeCheckDidNotPass,
    RetryRequested,
)
from headwater.execution.context import RunContext, SolidExecutionContext
from headwater.execution.events import (
    HandledOutputData,
    HeadwaterEvent,
    HeadwaterEventType,
    HookErroredData,
    LoadedInputData,
    SerializableErrorInfo,
    StepExpectationResultData,
    StepFailureData,
    StepInputData,
    StepMaterializationData,
    StepOutputData,
    StepRetryData,
    StepSuccessData,
    TypeCheckData,
    UserFailureData,
    new_event,
)
from headwater.execution.output_loader import upstream_output_context
from headwater.execution.plan import (
    ExecutionStep,
    FromConfig,
    FromDefaultValue,
    FromMultipleSources,
    FromRootInputManager,
    FromStepOutput,
    StepOutputHandle,
    solid_handle_of,
)
from headwater.types import TypeCheckContext

E = HeadwaterEventType
_EXHAUSTED = object()
# Raised by the instance while a step runs (a log line flushed from user code): the run
# cannot be recorded, or is no longer this process's. They end the run, not just the step.
_RUN_ENDING = (HeadwaterStorageUnavailableError, HeadwaterRunStatusConflictError)


class _UserCodeError(Exception):
    """Internal: user code raised ``cause`` while Headwater was doing ``what``."""

    def __init__(self, what: str, cause: BaseException) -> None:
        super().__init__(what)
        self.what = what
        self.cause = cause


def _format_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.2f}ms"
    if seconds < 60:
        return f"{seconds:.2f}s"
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes)}m{secs:.0f}s"


class StepExecution:
    """Runs one attempt of one step, yielding its events."""

    def __init__(self, run: RunContext, step: ExecutionStep) -> None:
        self.run = run
        self.step = step
        self.retry_number = run.retries.get_attempt_count(step.key)
        self.log = run.log.for_step(step.key, step.solid_handle)
        self.context = SolidExecutionContext(run, step, self.log, self.retry_number)
        self.events: list[HeadwaterEvent] = []
        self.output_values: dict[str, Any] = {}
        self.error: BaseException | None = None

    def _event(self, event_type: HeadwaterEventType, message: str,
               data: Any = None) -> HeadwaterEvent:
        event = new_event(event_type, self.run.pipeline.name, message, self.step.key,
                          self.step.solid_handle, data)
        self.log.log_event(event)
        self.events.append(event)
        return event

    def _type_context(self, resource_keys: frozenset[str], owner: str) -> TypeCheckContext:
        """The context of a type check or loader: the resources it declared, not the
        solid's."""
        return TypeCheckContext(resources=self.run.resources_for(resource_keys, owner),
                                run_id=self.run.run_id, log=self.log)

    # -- the attempt -------------------------------------------------------------------

    def execute(self) -> Iterator[HeadwaterEvent]:
        step = self.step
        if self.retry_number:
            yield self._event(E.STEP_RESTARTED, f'Started re-execution (attempt # '
                                                f'{self.retry_number + 1}) of step "{step.key}".')
        else:
            yield self._event(E.STEP_START, f'Started execution of step "{step.key}".')
        started = time.perf_counter()
        try:
            inputs: dict[str, Any] = {}
            for step_input in step.inputs:
                # A Nothing input only orders the step: there is no value to load.
                if not step_input.input_def.is_nothing:
                    inputs[step_input.name] = yield from self._load_input(step_input)
            yield from self._run_compute(inputs)
        except RetryRequested as request:
            yield from self._retry_or_fail(request, request.max_retries, request.seconds_to_wait,
                                           requested=True)
            return
        except _UserCodeError as error:
            yield from self._handle_user_error(error.cause, error.what)
            return
        except _RUN_ENDING:
            raise
        except HeadwaterError as error:
            # Framework-detected mistakes in user code: a failed type check, a missing or
            # unknown output, an unexpected yield.
            self.error = error
            yield self._failure(SerializableErrorInfo.from_exception(error), None)
            return
        duration = time.perf_counter() - started
        yield self._event(E.STEP_SUCCESS, f'Finished execution of step "{step.key}" in '
                                          f"{_format_duration(duration)}.",
                          StepSuccessData(duration * 1000.0))

    def _handle_user_error(self, cause: BaseException, what: str) -> Iterator[HeadwaterEvent]:
        self.error = cause
        if isinstance(cause, Failure):
            try:
                user_data = UserFailureData(cause.description,
                                            normalize_metadata(cause.metadata, "a Failure"))
            except HeadwaterInvalidDefinitionError as bad_metadata:
                # The step fails all the same (never the whole run); the event says why the
                # metadata is missing.
                user_data = UserFailureData(f"{cause.description} ({bad_metadata})")
            yield self._failure(SerializableErrorInfo.from_exception(cause), user_data)
            return
        policy = self.step.retry_policy
        if policy is not None and not isinstance(cause, HeadwaterError):
            yield from self._retry_or_fail(cause, policy.max_retries,
                                           policy.calculate_delay(self.retry_number + 1),
                                           requested=False, what=what)
            return
        yield self._failure(SerializableErrorInfo.from_exception(cause), None, what)

    def _retry_or_fail(self, error: BaseException, max_retries: int,
                       seconds_to_wait: float | None, requested: bool,
                       what: str | None = None) -> Iterator[HeadwaterEvent]:
        retries = self.run.retries
        cause = error.__cause__ if requested and error.__cause__ is not None else error
        info = SerializableErrorInfo.from_exception(cause)
        if not retries.enabled:
            self.error = cause
            yield self._failure(info, UserFailureData("RetryRequested but retries are disabled")
                                if requested else None, what)
            return
        if self.retry_number >= max_retries:
            self.error = cause
            yield self._failure(info, UserFailureData(
                f"Exceeded max_retries of {max_retries}") if requested else None, what)
            return
        retries.mark_attempt(self.step.key)
        wait = f" in {seconds_to_wait:g} seconds" if seconds_to_wait else ""
        yield self._event(E.STEP_UP_FOR_RETRY,
                          f'Execution of step "{self.step.key}" failed and has requested a '
                          f"retry{wait}.",
                          StepRetryData(info, seconds_to_wait, self.retry_number + 1))

    def _failure(self, info: SerializableErrorInfo, user_data: UserFailureData | None,
                 what: str | None = None) -> HeadwaterEvent:
        self.run.step_errors[self.step.key] = self.error
        where = f" while {what}" if what else ""
        return self._event(E.STEP_FAILURE,
                           f'Execution of step "{self.step.key}" failed{where}: {info.message}',
                           StepFailureData(info, user_data, self.retry_number))

    # -- inputs ------------------------------------------------------------------------

    def _load_input(self, step_input: Any) -> Iterator[HeadwaterEvent]:
        source = step_input.source
        input_def = step_input.input_def
        if isinstance(source, FromStepOutput):
            value = yield from self._load_from_output(step_input.name, input_def, source.handle)
        elif isinstance(source, FromMultipleSources):
            value = []
            for sub in source.sources:
                item = yield from self._load_from_output(step_input.name, input_def, sub.handle)
                value.append(item)
        elif isinstance(source, FromConfig):
            config_value = self.run.resolved_config.input_config(source.solid_handle,
                                                                  source.input_name)
            loader = source.input_def.headwater_type.loader
            value = self._user_call(f'loading input "{step_input.name}" from config',
                                    loader.construct_from_config_value,
                                    self._type_context(loader.required_resource_keys,
                                                       f'the loader of input "{step_input.name}"'),
                                    config_value)
        elif isinstance(source, FromDefaultValue):
            value = source.input_def.default_value
        elif isinstance(source, FromRootInputManager):
            manager = self.run.resources[source.manager_key]
            context = InputContext(
                name=step_input.name, pipeline_name=self.run.pipeline.name,
                solid_def=self.step.solid_def,
                config=self.run.resolved_config.input_config(self.step.solid_handle,
                                                             step_input.name),
                metadata=input_def.metadata, headwater_type=input_def.headwater_type,
                log=self.log, resource_config=self.run.resolved_config.resources.get(
                    source.manager_key),
                resources=self._manager_resources(source.manager_key),
                asset_key=input_def.asset_key)
            value = self._user_call(f'loading input "{step_input.name}"', manager.load_input,
                                    context)
            yield self._event(E.LOADED_INPUT,
                              f'Loaded input "{step_input.name}" using input manager '
                              f'"{source.manager_key}"',
                              LoadedInputData(step_input.name, source.manager_key))
        else:
            raise HeadwaterInvariantViolationError(
                f'Input "{step_input.name}" of step "{self.step.key}" has an unresolved source '
                f"{source!r}.")
        yield from self._type_check_input(step_input.name, input_def, value)
        return value

    def _load_from_output(self, input_name: str, input_def: Any,
                          handle: StepOutputHandle) -> Iterator[HeadwaterEvent]:
        upstream_def = self.run.plan.solid_def_for_step(handle.step_key)
        output_def = upstream_def.output_dict[handle.output_name]
        if output_def.headwater_type.is_nothing:
            return None
        manager_key = output_def.io_manager_key
        manager = self.run.resources[manager_key]
        upstream = upstream_output_context(
            handle, upstream_def, self.run.pipeline.name,
            self.run.run_id_for_output(handle.step_key),
            self.run.resolved_config.resources.get(manager_key),
            self._manager_resources(manager_key), self.log,
            config=self.run.resolved_config.output_config(solid_handle_of(handle.step_key),
                                                          handle.output_name))
        context = InputContext(
            name=input_name, pipeline_name=self.run.pipeline.name,
            solid_def=self.step.solid_def,
            config=self.run.resolved_config.input_config(self.step.solid_handle, input_name),
            metadata=input_def.metadata, upstream_output=upstream,
            headwater_type=input_def.headwater_type, log=self.log,
            resource_config=upstream.resource_config, resources=upstream.resources,
            asset_key=input_def.asset_key)
        value = self._user_call(f'loading input "{input_name}"', manager.load_input, context)
        yield self._event(E.LOADED_INPUT,
                          f'Loaded input "{input_name}" using input manager "{manager_key}", '
                          f'from output "{handle.output_name}" of step "{handle.step_key}"',
                          LoadedInputData(input_name, manager_key, handle.output_name,
                                          handle.step_key))
        return value

    def _type_check_input(self, name: str, input_def: Any, value: Any
                          ) -> Iterator[HeadwaterEvent]:
        htype = input_def.headwater_type
        check = self._user_call(f'type-checking input "{name}"', htype.type_check,
                                self._type_context(htype.required_resource_keys,
                                                   f'type "{htype.display_name}"'), value)
        data = TypeCheckData(check.success, name, check.description,
                             normalize_metadata(check.metadata, "a TypeCheck"))
        if not check.success:
            yield self._event(E.STEP_INPUT, f'Got input "{name}" of type "{htype.display_name}". '
                                            "(Type check failed).", StepInputData(name, data))
            raise HeadwaterTypeCheckDidNotPass(
                f'Type check failed for step input "{name}" - expected type '
                f'"{htype.display_name}". {check.description or ""}'.rstrip(),
                check.metadata, htype)
        yield self._event(E.STEP_INPUT, f'Got input "{name}" of type "{htype.display_name}". '
                                        "(Type check passed).", StepInputData(name, data))

    # -- compute and outputs -----------------------------------------------------------

    def _run_compute(self, inputs: dict[str, Any]) -> Iterator[HeadwaterEvent]:
        solid_def = self.step.solid_def
        result = self._user_call("running its compute function", solid_def.compute_fn,
                                 self.context, inputs)
        seen: set[tuple[str, str | None]] = set()
        # Only a generator is a stream of events: any other iterator (a file, a map object)
        # is a value like any other.
        if inspect.isgenerator(result):
            iterator = iter(result)
            while (item := self._user_call("running its compute function", next, iterator,
                                           _EXHAUSTED)) is not _EXHAUSTED:
                yield from self._handle_yielded(item, seen, yielded=True)
        elif result is not None or len(solid_def.output_defs) == 1:
            yield from self._handle_yielded(result, seen, yielded=False)
        yield from self._finish_outputs(seen)

    def _handle_yielded(self, item: Any, seen: set[tuple[str, str | None]],
                        yielded: bool) -> Iterator[HeadwaterEvent]:
        solid_def = self.step.solid_def
        if isinstance(item, (Output, DynamicOutput)):
            yield from self._handle_output(item, seen)
        elif isinstance(item, AssetMaterialization):
            yield self._event(E.ASSET_MATERIALIZATION,
                              f"Materialized value {item.asset_key.to_string()}.",
                              StepMaterializationData(item))
        elif isinstance(item, ExpectationResult):
            label = f" {item.label}" if item.label else ""
            outcome = "passed" if item.success else "failed"
            yield self._event(E.STEP_EXPECTATION_RESULT, f"Expectation{label} {outcome}.",
                              StepExpectationResultData(item))
        elif yielded:
            raise HeadwaterInvariantViolationError(
                f'Compute function of solid "{self.step.solid_handle}" yielded {item!r} '
                f"({type(item).__name__}); a solid yields Output, DynamicOutput, "
                "AssetMaterialization or ExpectationResult values."
            )
        else:
            outputs = solid_def.output_defs
            if len(outputs) != 1:
                raise HeadwaterInvariantViolationError(
                    f'Compute function of solid "{self.step.solid_handle}" returned {item!r}, '
                    f"but the solid has {len(outputs)} outputs; return or yield Output values "
                    "naming each output."
                )
            if outputs[0].is_dynamic:
                raise HeadwaterInvariantViolationError(
                    f'Solid "{self.step.solid_handle}" has a dynamic output, so it must yield '
                    "DynamicOutput values rather than return a value."
                )
            if item is None and outputs[0].headwater_type.is_nothing:
                return
            yield from self._handle_output(Output(item, outputs[0].name), seen)

    def _handle_output(self, output: Output | DynamicOutput,
                       seen: set[tuple[str, str | None]]) -> Iterator[HeadwaterEvent]:
        solid_def = self.step.solid_def
        handle = self.step.solid_handle
        output_def = solid_def.output_dict.get(output.output_name)
        if output_def is None:
            raise HeadwaterInvariantViolationError(
                f'Core compute for solid "{handle}" returned an output "{output.output_name}" '
                f"that does not exist. The available outputs are {list(solid_def.output_dict)}."
            )
        mapping_key = output.mapping_key if isinstance(output, DynamicOutput) else None
        if output_def.is_dynamic and mapping_key is None:
            raise HeadwaterInvariantViolationError(
                f'Solid "{handle}" yielded an Output for its dynamic output '
                f'"{output.output_name}"; yield DynamicOutput(value, mapping_key=...) instead.'
            )
        if not output_def.is_dynamic and mapping_key is not None:
            raise HeadwaterInvariantViolationError(
                f'Solid "{handle}" yielded a DynamicOutput for output "{output.output_name}", '
                "which is not a DynamicOutputDefinition."
            )
        marker = (output.output_name, mapping_key)
        if marker in seen:
            if mapping_key is not None:
                raise HeadwaterInvariantViolationError(
                    f'Solid "{handle}" yielded a DynamicOutput with mapping_key "{mapping_key}" '
                    f'multiple times for output "{output.output_name}".')
            raise HeadwaterInvariantViolationError(
                f'Compute for solid "{handle}" returned an output "{output.output_name}" '
                "multiple times.")
        seen.add(marker)
        value = output.value
        htype = output_def.headwater_type
        check = self._user_call(f'type-checking output "{output.output_name}"',
                                htype.type_check,
                                self._type_context(htype.required_resource_keys,
                                                   f'type "{htype.display_name}"'), value)
        metadata = normalize_metadata(output.metadata, f'output "{output.output_name}"')
        check_data = TypeCheckData(check.success, output.output_name, check.description,
                                   normalize_metadata(check.metadata, "a TypeCheck"))
        key_text = f' (mapping key "{mapping_key}")' if mapping_key else ""
        if not check.success:
            yield self._event(E.STEP_OUTPUT,
                              f'Yielded output "{output.output_name}"{key_text} of type '
                              f'"{htype.display_name}". (Type check failed).',
                              StepOutputData(output.output_name, mapping_key, check_data,
                                             metadata))
            raise HeadwaterTypeCheckDidNotPass(
                f'Type check failed for step output "{output.output_name}" - expected type '
                f'"{htype.display_name}". {check.description or ""}'.rstrip(),
                check.metadata, htype)
        yield self._event(E.STEP_OUTPUT,
                          f'Yielded output "{output.output_name}"{key_text} of type '
                          f'"{htype.display_name}". (Type check passed).',
                          StepOutputData(output.output_name, mapping_key, check_data, metadata))
        if mapping_key is None:
            self.output_values[output.output_name] = value
        else:
            self.output_values.setdefault(output.output_name, {})[mapping_key] = value
        capture = self.run.output_capture
        if capture is not None:
            capture[StepOutputHandle(self.step.key, output.output_name, mapping_key)] = value
        if htype.is_nothing:
            return
        yield from self._store_output(output_def, value, mapping_key)

    def _store_output(self, output_def: Any, value: Any,
                      mapping_key: str | None) -> Iterator[HeadwaterEvent]:
        manager_key = output_def.io_manager_key
        manager = self.run.resources[manager_key]
        context = OutputContext(
            step_key=self.step.key, name=output_def.name, pipeline_name=self.run.pipeline.name,
            run_id=self.run.run_id, metadata=output_def.metadata, mapping_key=mapping_key,
            config=self.run.resolved_config.output_config(self.step.solid_handle,
                                                          output_def.name),
            solid_def=self.step.solid_def, headwater_type=output_def.headwater_type,
            log=self.log, version=None,
            resource_config=self.run.resolved_config.resources.get(manager_key),
            resources=self._manager_resources(manager_key), asset_key=output_def.asset_key)
        returned = self._user_call(f'storing output "{output_def.name}"',
                                   manager.handle_output, context, value)
        if returned is not None:
            items = returned if inspect.isgenerator(returned) or isinstance(returned, list) \
                else [returned]
            for item in items:
                if isinstance(item, AssetMaterialization):
                    yield self._event(E.ASSET_MATERIALIZATION,
                                      f"Materialized value {item.asset_key.to_string()}.",
                                      StepMaterializationData(item))
        yield self._event(E.HANDLED_OUTPUT,
                          f'Handled output "{output_def.name}" using IO manager "{manager_key}"',
                          HandledOutputData(output_def.name, manager_key, mapping_key))
        yield from self._materialize_output(output_def, value)

    def _materialize_output(self, output_def: Any, value: Any) -> Iterator[HeadwaterEvent]:
        """Run the type's legacy materializer once per ``outputs: [...]`` config entry."""
        htype = output_def.headwater_type
        materializer = htype.materializer
        if materializer is None:
            return
        for entry in self.run.resolved_config.materialization_configs(self.step.solid_handle,
                                                                      output_def.name):
            items = self._user_call(
                f'materializing output "{output_def.name}"', materializer.materialize,
                self._type_context(materializer.required_resource_keys,
                                   f'the materializer of type "{htype.display_name}"'),
                entry, value)
            for item in items:
                if not isinstance(item, AssetMaterialization):
                    raise HeadwaterInvariantViolationError(
                        f'The materializer of type "{htype.display_name}" returned {item!r} '
                        f'for output "{output_def.name}"; it must return an '
                        "AssetMaterialization (or a list of them).")
                yield self._event(E.ASSET_MATERIALIZATION,
                                  f"Materialized value {item.asset_key.to_string()}.",
                                  StepMaterializationData(item))

    def _finish_outputs(self, seen: set[tuple[str, str | None]]) -> Iterator[HeadwaterEvent]:
        names_seen = {name for name, _ in seen}
        for output_def in self.step.solid_def.output_defs:
            if output_def.name in names_seen:
                continue
            if output_def.headwater_type.is_nothing and not output_def.is_dynamic:
                yield from self._handle_output(Output(None, output_def.name), seen)
            elif output_def.is_required and not output_def.is_dynamic:
                raise HeadwaterStepOutputNotFoundError(
                    f'Core compute for solid "{self.step.solid_handle}" did not return an output '
                    f'for non-optional output "{output_def.name}"',
                    self.step.key, output_def.name)

    # -- helpers -----------------------------------------------------------------------

    def _manager_resources(self, manager_key: str) -> Any:
        definition = self.run.resource_defs[manager_key]
        return self.run.resources_for(definition.required_resource_keys,
                                      f'IO manager "{manager_key}"')

    def _user_call(self, what: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except (RetryRequested, *_RUN_ENDING):
            raise
        except Exception as error:
            raise _UserCodeError(what, error) from None

    # -- hooks -------------------------------------------------------------------------

    def run_hooks(self) -> Iterator[HeadwaterEvent]:
        """Run the step's hooks on its events; a hook that raises never fails the run."""
        for hook_def in sorted(self.step.hook_defs, key=lambda h: h.name):
            context = HookContext(
                hook_def=hook_def, pipeline_name=self.run.pipeline.name,
                run_id=self.run.run_id, step_key=self.step.key, mode_def=self.run.mode_def,
                solid=self.step.node, solid_config=self.context.solid_config,
                log=self.log,
                resources=self.run.resources_for(hook_def.required_resource_keys,
                                                 f'hook "{hook_def.name}"'),
                solid_exception=self.error, solid_output_values=self.output_values)
            try:
                result = hook_def.hook_fn(context, list(self.events))
            except Exception as error:
                yield self._event(E.HOOK_ERRORED,
                                  f'Error occurred during the execution of hook '
                                  f'"{hook_def.name}" triggered for solid '
                                  f'"{self.step.solid_handle}": {error!r}',
                                  HookErroredData(SerializableErrorInfo.from_exception(error)))
                continue
            if getattr(result, "is_skipped", False):
                yield self._event(E.HOOK_SKIPPED,
                                  f'Skipped the execution of hook "{hook_def.name}". It did not '
                                  f'meet its triggering condition during the execution of solid '
                                  f'"{self.step.solid_handle}".')
            else:
                yield self._event(E.HOOK_COMPLETED,
                                  f'Finished the execution of hook "{hook_def.name}" triggered '
                                  f'for solid "{self.step.solid_handle}".')


def execute_step(run: RunContext, step: ExecutionStep) -> Iterator[HeadwaterEvent]:
    """One attempt of ``step``, then its hooks once it succeeded or failed for good."""
    execution = StepExecution(run, step)
    last = None
    for event in execution.execute():
        last = event
        yield event
    if step.hook_defs and last is not None and last.event_type_value != "STEP_UP_FOR_RETRY":
        yield from execution.run_hooks()
