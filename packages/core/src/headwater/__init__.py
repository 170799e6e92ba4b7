"""Headwater: a data orchestrator for ETL, analytics and machine learning.

Write solids (typed, configurable units of computation), wire them into pipelines, bind the
outside world through resources chosen per mode, and run anywhere; every run leaves a
structured record of its config and events.

    from headwater import execute_pipeline, pipeline, solid

    @solid
    def hello() -> str:
        return "hello"

    @pipeline
    def hello_pipeline():
        hello()

    assert execute_pipeline(hello_pipeline).success
"""

import os as _os
import typing as _typing

from headwater.config import (
    Array,
    BoolSource,
    Enum,
    EnumValue,
    Field,
    IntSource,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    StringSource,
    config_from_files,
    config_from_yaml_strings,
)
from headwater.definitions.bridge import DynamicOut, In, Out, graph, op
from headwater.definitions.composite import CompositeSolidDefinition, composite_solid
from headwater.definitions.configurable import ConfigMapping, configured
from headwater.definitions.dependency import (
    DependencyDefinition,
    DynamicCollectDependencyDefinition,
    MultiDependencyDefinition,
    SolidInvocation,
)
from headwater.definitions.events import (
    AssetKey,
    AssetMaterialization,
    DynamicOutput,
    EventMetadata,
    ExpectationResult,
    Materialization,
    MetadataValue,
    Output,
)
from headwater.definitions.executor import (
    Executor,
    ExecutorDefinition,
    ExecutorRequirement,
    InitExecutorContext,
    executor,
    multiple_process_executor_requirements,
)
from headwater.definitions.hook import (
    HookContext,
    HookDefinition,
    HookExecutionResult,
    build_hook_context,
    event_list_hook,
    failure_hook,
    success_hook,
)
from headwater.definitions.input_output import (
    DynamicOutputDefinition,
    InputDefinition,
    InputMapping,
    OutputDefinition,
    OutputMapping,
)
from headwater.definitions.io_manager import (
    InputContext,
    IOManager,
    IOManagerDefinition,
    OutputContext,
    RootInputManager,
    RootInputManagerDefinition,
    build_input_context,
    build_output_context,
    custom_path_fs_io_manager,
    fs_io_manager,
    io_manager,
    mem_io_manager,
    root_input_manager,
)
from headwater.definitions.logger import (
    InitLoggerContext,
    LoggerDefinition,
    build_init_logger_context,
    colored_console_logger,
    json_console_logger,
    logger,
)
from headwater.definitions.mode import ModeDefinition
from headwater.definitions.pipeline import PipelineDefinition, pipeline
from headwater.definitions.preset import PresetDefinition
from headwater.definitions.resource import (
    InitResourceContext,
    ResourceDefinition,
    build_init_resource_context,
    make_values_resource,
    resource,
)
from headwater.definitions.retry import Backoff, Jitter, RetryPolicy
from headwater.definitions.solid import SolidDefinition, lambda_solid, solid
from headwater.errors import (
    Failure,
    HeadwaterCodeLoadError,
    HeadwaterError,
    HeadwaterExecutionStepNotFoundError,
    HeadwaterInvalidConfigDefinitionError,
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvalidInvocationError,
    HeadwaterInvalidSubsetError,
    HeadwaterInvariantViolationError,
    HeadwaterResourceFunctionError,
    HeadwaterStepOutputNotFoundError,
    HeadwaterTypeCheckDidNotPass,
    HeadwaterUnknownModeError,
    HeadwaterUnknownResourceError,
    HeadwaterUserCodeExecutionError,
    RetryRequested,
)
from headwater.lazy import lazy_names as _lazy_names
from headwater.types import (
    HeadwaterType,
    HeadwaterTypeKind,
    Nothing,
    PythonObjectHeadwaterType,
    TypeCheck,
    TypeCheckContext,
    check_headwater_type,
    headwater_type_loader,
    headwater_type_materializer,
    make_python_type_usable_as_headwater_type,
    usable_as_headwater_type,
)
from headwater.version import __version__ as __version__

# Execution and the instance load on first use of one of their names (PEP 562), so that
# ``import headwater`` in a module that only defines pipelines loads definitions alone;
# tests/core/test_import_footprint.py holds the list of what it loads.
_LAZY: dict[str, str] = {
    # Schedules, sensors, partitions and repositories: what a daemon or a workspace reads,
    # not what a module that defines and runs pipelines needs (calendar, datetime, locale).
    **dict.fromkeys(("FileHandle", "LocalFileHandle", "LocalFileManager", "local_file_manager"),
                    "headwater.definitions.file_manager"),
    **dict.fromkeys(("Partition", "PartitionSetDefinition", "create_offset_partition_selector",
                     "date_partition_range", "identity_partition_selector", "static_partitions"),
                    "headwater.definitions.partition"),
    **dict.fromkeys(("RepositoryDefinition", "repository"), "headwater.definitions.repository"),
    **dict.fromkeys(("RunRequest", "SkipReason"), "headwater.definitions.run_request"),
    **dict.fromkeys(("ScheduleDefinition", "ScheduleEvaluationContext", "build_schedule_context",
                     "daily_schedule", "hourly_schedule", "monthly_schedule", "schedule",
                     "weekly_schedule"),
                    "headwater.definitions.schedule"),
    **dict.fromkeys(("RunStatusSensorContext", "SensorDefinition", "SensorEvaluationContext",
                     "asset_sensor", "build_sensor_context", "run_failure_sensor",
                     "run_status_sensor", "sensor"),
                    "headwater.definitions.sensor"),
    **dict.fromkeys(("create_execution_plan", "execute_pipeline", "execute_pipeline_iterator",
                     "execute_solid", "execute_solid_within_pipeline",
                     "execute_solids_within_pipeline", "validate_run_config"),
                    "headwater.execution.api"),
    **dict.fromkeys(("SolidExecutionContext", "build_solid_context"),
                    "headwater.execution.context"),
    **dict.fromkeys(("EventLogEntry", "HeadwaterEvent", "HeadwaterEventType"),
                    "headwater.execution.events"),
    **dict.fromkeys(("default_executors", "in_process_executor", "multiprocess_executor"),
                    "headwater.execution.executors.builtin"),
    **dict.fromkeys(("ExecutionPlan", "StepOutputHandle"), "headwater.execution.plan"),
    **dict.fromkeys(("ReconstructablePipeline", "reconstructable"),
                    "headwater.execution.reconstruct"),
    **dict.fromkeys(("reexecute_pipeline", "reexecute_pipeline_iterator"),
                    "headwater.execution.reexecution"),
    "build_resources": "headwater.execution.resources",
    "build_op_context": "headwater.execution.context:build_solid_context",
    **dict.fromkeys(("AssetMetadataEntryData", "EventMetadataEntry", "FloatMetadataEntryData",
                     "IntMetadataEntryData", "JsonMetadataEntryData",
                     "MarkdownMetadataEntryData", "PathMetadataEntryData",
                     "PipelineRunMetadataEntryData", "PythonArtifactMetadataEntryData",
                     "TextMetadataEntryData", "UrlMetadataEntryData"),
                    "headwater.metadata_entries"),
    **dict.fromkeys(("CompositeSolidExecutionResult", "PipelineExecutionResult",
                     "SolidExecutionResult"), "headwater.execution.results"),
    **dict.fromkeys(("PipelineRun", "PipelineRunStatus"), "headwater.execution.run"),
    **dict.fromkeys(("Instance", "InstanceRef", "RunsFilter", "instance_for_test"),
                    "headwater.instance"),
}


__getattr__, __dir__ = _lazy_names(__name__, _LAZY)


if _typing.TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from headwater.definitions.file_manager import (
        FileHandle,
        LocalFileHandle,
        LocalFileManager,
        local_file_manager,
    )
    from headwater.definitions.partition import (
        Partition,
        PartitionSetDefinition,
        create_offset_partition_selector,
        date_partition_range,
        identity_partition_selector,
        static_partitions,
    )
    from headwater.definitions.repository import RepositoryDefinition, repository
    from headwater.definitions.run_request import RunRequest, SkipReason
    from headwater.definitions.schedule import (
        ScheduleDefinition,
        ScheduleEvaluationContext,
        build_schedule_context,
        daily_schedule,
        hourly_schedule,
        monthly_schedule,
        schedule,
        weekly_schedule,
    )
    from headwater.definitions.sensor import (
        RunStatusSensorContext,
        SensorDefinition,
        SensorEvaluationContext,
        asset_sensor,
        build_sensor_context,
        run_failure_sensor,
        run_status_sensor,
        sensor,
    )
    from headwater.execution.api import (
        create_execution_plan,
        execute_pipeline,
        execute_pipeline_iterator,
        execute_solid,
        execute_solid_within_pipeline,
        execute_solids_within_pipeline,
        validate_run_config,
    )
    from headwater.execution.context import SolidExecutionContext, build_solid_context
    from headwater.execution.context import build_solid_context as build_op_context
    from headwater.execution.events import EventLogEntry, HeadwaterEvent, HeadwaterEventType
    from headwater.execution.executors.builtin import (
        default_executors,
        in_process_executor,
        multiprocess_executor,
    )
    from headwater.execution.plan import ExecutionPlan, StepOutputHandle
    from headwater.execution.reconstruct import ReconstructablePipeline, reconstructable
    from headwater.execution.reexecution import reexecute_pipeline, reexecute_pipeline_iterator
    from headwater.execution.resources import build_resources
    from headwater.execution.results import (
        CompositeSolidExecutionResult,
        PipelineExecutionResult,
        SolidExecutionResult,
    )
    from headwater.execution.run import PipelineRun, PipelineRunStatus
    from headwater.instance import Instance, InstanceRef, RunsFilter, instance_for_test
    from headwater.metadata_entries import (
        AssetMetadataEntryData,
        EventMetadataEntry,
        FloatMetadataEntryData,
        IntMetadataEntryData,
        JsonMetadataEntryData,
        MarkdownMetadataEntryData,
        PathMetadataEntryData,
        PipelineRunMetadataEntryData,
        PythonArtifactMetadataEntryData,
        TextMetadataEntryData,
        UrlMetadataEntryData,
    )

# One name serves in config schemas and in type hints: these are the Python types themselves.
Int = int
Float = float
String = str
Bool = bool
Any = _typing.Any
List = _typing.List  # noqa: UP006
Optional = _typing.Optional
Dict = _typing.Dict  # noqa: UP006
Set = _typing.Set  # noqa: UP006
Tuple = _typing.Tuple  # noqa: UP006


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """A path relative to the file calling this: ``file_relative_path(__file__, "x.yaml")``."""
    return _os.path.join(_os.path.dirname(dunderfile), relative_path)


__all__ = [
    "Instance", "InstanceRef", "Partition", "PartitionSetDefinition", "RunRequest",
    "RunStatusSensorContext", "RunsFilter", "ScheduleDefinition", "ScheduleEvaluationContext",
    "SensorDefinition", "SensorEvaluationContext", "SkipReason", "asset_sensor",
    "build_schedule_context", "build_sensor_context", "create_offset_partition_selector",
    "daily_schedule", "date_partition_range", "hourly_schedule", "identity_partition_selector",
    "instance_for_test", "monthly_schedule", "run_failure_sensor", "run_status_sensor",
    "schedule", "sensor", "static_partitions", "weekly_schedule",
    "Any", "Array", "AssetKey", "AssetMaterialization", "Backoff", "Bool", "BoolSource",
    "CompositeSolidDefinition", "CompositeSolidExecutionResult", "ConfigMapping",
    "DependencyDefinition", "Dict", "DynamicCollectDependencyDefinition", "DynamicOutput",
    "DynamicOutputDefinition", "Enum", "EnumValue", "EventLogEntry", "EventMetadata",
    "ExecutionPlan", "Executor", "ExecutorDefinition", "ExecutorRequirement",
    "ExpectationResult", "Failure", "Field", "Float", "HeadwaterCodeLoadError", "HeadwaterError", "HeadwaterEvent",
    "HeadwaterEventType", "HeadwaterExecutionStepNotFoundError",
    "HeadwaterInvalidConfigDefinitionError", "HeadwaterInvalidConfigError",
    "HeadwaterInvalidDefinitionError", "HeadwaterInvalidInvocationError",
    "HeadwaterInvalidSubsetError", "HeadwaterInvariantViolationError",
    "HeadwaterResourceFunctionError", "HeadwaterStepOutputNotFoundError", "HeadwaterType",
    "HeadwaterTypeCheckDidNotPass", "HeadwaterTypeKind", "HeadwaterUnknownModeError",
    "HeadwaterUnknownResourceError", "HeadwaterUserCodeExecutionError", "HookContext",
    "HookDefinition", "HookExecutionResult", "IOManager", "IOManagerDefinition",
    "InitExecutorContext", "InitLoggerContext", "InitResourceContext", "InputContext",
    "InputDefinition", "InputMapping", "Int", "IntSource", "Jitter", "List",
    "LoggerDefinition", "MetadataValue", "ModeDefinition", "MultiDependencyDefinition",
    "Noneable", "Nothing", "Optional", "Output", "OutputContext", "OutputDefinition",
    "OutputMapping", "Permissive", "PipelineDefinition", "PipelineExecutionResult",
    "PipelineRun", "PipelineRunStatus", "PresetDefinition", "PythonObjectHeadwaterType",
    "ReconstructablePipeline", "RepositoryDefinition", "ResourceDefinition", "RetryPolicy", "RetryRequested",
    "RootInputManager", "RootInputManagerDefinition", "ScalarUnion", "Selector", "Set",
    "Shape", "SolidDefinition", "SolidExecutionContext", "SolidExecutionResult",
    "SolidInvocation", "StepOutputHandle", "String", "StringSource", "Tuple", "TypeCheck",
    "TypeCheckContext", "build_hook_context", "build_init_logger_context",
    "build_init_resource_context", "build_input_context", "build_output_context",
    "build_solid_context", "check_headwater_type", "colored_console_logger",
    "composite_solid", "config_from_files", "config_from_yaml_strings", "configured",
    "create_execution_plan", "custom_path_fs_io_manager", "default_executors",
    "event_list_hook", "execute_pipeline", "execute_pipeline_iterator", "execute_solid", "execute_solid_within_pipeline", "execute_solids_within_pipeline",
    "executor", "failure_hook", "file_relative_path", "fs_io_manager", "headwater_type_loader",
    "in_process_executor", "io_manager", "json_console_logger", "lambda_solid", "logger",
    "make_python_type_usable_as_headwater_type", "make_values_resource", "mem_io_manager",
    "multiple_process_executor_requirements", "pipeline", "reconstructable", "reexecute_pipeline", "repository", "resource",
    "root_input_manager", "solid", "success_hook", "usable_as_headwater_type",
    "validate_run_config",
    # The legacy names, kept so that solid/pipeline code runs unchanged.
    "AssetMetadataEntryData", "EventMetadataEntry", "FloatMetadataEntryData",
    "IntMetadataEntryData", "JsonMetadataEntryData", "MarkdownMetadataEntryData",
    "Materialization", "PathMetadataEntryData", "PipelineRunMetadataEntryData",
    "PythonArtifactMetadataEntryData", "TextMetadataEntryData", "UrlMetadataEntryData",
    "FileHandle", "LocalFileHandle", "LocalFileManager", "build_resources",
    "local_file_manager", "multiprocess_executor", "reexecute_pipeline_iterator",
    # The 0.12 names over the same definitions: an op is a solid, a job a pipeline.
    "DynamicOut", "In", "Out", "build_op_context", "graph", "op",
    "headwater_type_materializer",
]
