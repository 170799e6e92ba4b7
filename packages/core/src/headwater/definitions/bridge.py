"""The 0.12 names that bridge the solid/pipeline model to the op/graph/job one.

``@op``, ``In``, ``Out``, ``DynamicOut`` and ``@graph`` build the same definitions as
``@solid``, ``InputDefinition``, ``OutputDefinition``, ``DynamicOutputDefinition`` and
``@composite_solid``; ``graph.to_job(...)`` builds a ``PipelineDefinition`` with one mode.
Nothing here is a second model: an op *is* a ``SolidDefinition``, a job *is* a pipeline, so
the two spellings mix freely in one codebase.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from headwater.definitions.composite import composite_solid
from headwater.definitions.input_output import (
    NO_VALUE,
    DynamicOutputDefinition,
    InputDefinition,
    OutputDefinition,
)
from headwater.definitions.mode import ModeDefinition
from headwater.definitions.pipeline import PipelineDefinition
from headwater.definitions.retry import RetryPolicy
from headwater.definitions.solid import solid
from headwater.definitions.utils import DEFAULT_IO_MANAGER_KEY, DEFAULT_OUTPUT
from headwater.errors import HeadwaterInvalidDefinitionError


class In:
    """An op's input, named by its key in ``ins``: ``InputDefinition`` without the name.

    Args:
        headwater_type: The input's type (default: from the parameter's hint, else Any).
        description: A human-readable description.
        default_value: Used when the input is not connected.
        root_manager_key: Resource key of the root input manager that loads it.
        metadata: Free-form metadata for IO managers.
        asset_key: The asset the input reads.
    """

    def __init__(self, headwater_type: Any = None, description: str | None = None,
                 default_value: Any = NO_VALUE, root_manager_key: str | None = None,
                 metadata: Mapping[str, Any] | None = None, asset_key: Any = None) -> None:
        self.headwater_type = headwater_type
        self.description = description
        self.default_value = default_value
        self.root_manager_key = root_manager_key
        self.metadata = metadata
        self.asset_key = asset_key

    def to_definition(self, name: str) -> InputDefinition:
        """The ``InputDefinition`` named ``name``."""
        return InputDefinition(name, self.headwater_type, self.description, self.default_value,
                               self.root_manager_key, self.metadata, self.asset_key)


class Out:
    """An op's output: ``OutputDefinition`` without the name (``out={"name": Out()}``).

    Args:
        headwater_type: The output's type (default: from the return hint, else Any).
        description: A human-readable description.
        is_required: Whether the op must produce it.
        io_manager_key: Resource key of the IO manager that stores it.
        metadata: Free-form metadata for IO managers.
        asset_key: The asset the output writes.
    """

    definition_class: type[OutputDefinition] = OutputDefinition

    def __init__(self, headwater_type: Any = None, description: str | None = None,
                 is_required: bool = True, io_manager_key: str = DEFAULT_IO_MANAGER_KEY,
                 metadata: Mapping[str, Any] | None = None, asset_key: Any = None) -> None:
        self.headwater_type = headwater_type
        self.description = description
        self.is_required = is_required
        self.io_manager_key = io_manager_key
        self.metadata = metadata
        self.asset_key = asset_key

    def to_definition(self, name: str) -> OutputDefinition:
        """The output definition named ``name``."""
        return self.definition_class(self.headwater_type, name, self.description,
                                     self.is_required, self.io_manager_key, self.metadata,
                                     self.asset_key)


class DynamicOut(Out):
    """A dynamic output (yield ``DynamicOutput`` values): ``DynamicOutputDefinition``."""

    definition_class = DynamicOutputDefinition


def _input_defs(ins: Mapping[str, In] | None, where: str) -> list[InputDefinition] | None:
    if ins is None:
        return None
    if not isinstance(ins, Mapping) or not all(isinstance(v, In) for v in ins.values()):
        raise HeadwaterInvalidDefinitionError(
            f"{where}: ins must be a dict of input name to In(...), received {ins!r}.")
    return [value.to_definition(name) for name, value in ins.items()]


def _output_defs(out: Out | Mapping[str, Out] | None, where: str
                 ) -> list[OutputDefinition] | None:
    if out is None:
        return None
    if isinstance(out, Out):
        return [out.to_definition(DEFAULT_OUTPUT)]
    if not isinstance(out, Mapping) or not all(isinstance(v, Out) for v in out.values()):
        raise HeadwaterInvalidDefinitionError(
            f"{where}: out must be an Out(...) or a dict of output name to Out(...), "
            f"received {out!r}.")
    return [value.to_definition(name) for name, value in out.items()]


def op(name: Any = None, description: str | None = None,
       ins: Mapping[str, In] | None = None, out: Out | Mapping[str, Out] | None = None,
       config_schema: Any = None, required_resource_keys: Iterable[str] | None = None,
       tags: Mapping[str, Any] | None = None, version: str | None = None,
       retry_policy: RetryPolicy | None = None) -> Any:
    """Define an op: ``@solid`` with ``ins``/``out`` instead of input/output definitions.

    Example:
        >>> @op(ins={"rows": In(list)}, out={"count": Out(int)})
        ... def count_rows(rows):
        ...     return len(rows)
    """
    if callable(name):
        return solid(name)
    where = f'op "{name}"' if name else "op"
    return solid(name=name, description=description, input_defs=_input_defs(ins, where),
                 output_defs=_output_defs(out, where), config_schema=config_schema,
                 required_resource_keys=required_resource_keys, tags=tags, version=version,
                 retry_policy=retry_policy)


def graph(name: Any = None, description: str | None = None,
          ins: Mapping[str, In] | None = None,
          out: Out | Mapping[str, Out] | None = None) -> Any:
    """Define a graph of ops: a composite solid that can also become a job (``to_job``).

    Example:
        >>> @graph
        ... def etl():
        ...     load(transform(extract()))
        >>> etl_job = etl.to_job(resource_defs={"io_manager": fs_io_manager})
    """
    if callable(name):
        return composite_solid(name)
    where = f'graph "{name}"' if name else "graph"
    return composite_solid(name=name, description=description,
                           input_defs=_input_defs(ins, where),
                           output_defs=_output_defs(out, where))


def _check_job_arguments(resource_defs: Mapping[str, Any] | None,
                         config: Mapping[str, Any] | None, hooks: Sequence[Any] | None,
                         where: str) -> None:
    if resource_defs is not None and not isinstance(resource_defs, Mapping):
        raise HeadwaterInvalidDefinitionError(
            f"{where}: resource_defs must be a dict of resource key to definition, received "
            f"{resource_defs!r}.")
    if config is not None and not isinstance(config, Mapping):
        raise HeadwaterInvalidDefinitionError(
            f"{where}: config must be a run config dict, received {config!r}.")
    if hooks is not None and isinstance(hooks, (str, bytes, Mapping)):
        raise HeadwaterInvalidDefinitionError(
            f"{where}: hooks must be a set of hook definitions, received {hooks!r}.")


def make_job(graph_def: Any, name: str | None = None, description: str | None = None,
             resource_defs: Mapping[str, Any] | None = None,
             config: Mapping[str, Any] | None = None, tags: Mapping[str, Any] | None = None,
             executor_def: Any = None, logger_defs: Mapping[str, Any] | None = None,
             hooks: Iterable[Any] | None = None) -> Any:
    """The pipeline ``graph_def.to_job(...)`` returns; see ``CompositeSolidDefinition.to_job``."""

    job_name = name or graph_def.name
    where = f'Job "{job_name}"'
    hook_list = list(hooks) if hooks is not None else None
    _check_job_arguments(resource_defs, config, hook_list, where)
    mode = ModeDefinition(resource_defs=dict(resource_defs or {}),
                          executor_defs=[executor_def] if executor_def is not None else None,
                          logger_defs=dict(logger_defs) if logger_defs else None)
    return PipelineDefinition(solid_defs=[], name=job_name,
                   description=description or graph_def.description,
                   dependencies=graph_def.dependency_structure, mode_defs=[mode], tags=tags,
                   hook_defs=hook_list, default_run_config=config, _nodes=graph_def.solids)
