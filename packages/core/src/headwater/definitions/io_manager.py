"""IO managers: where step outputs are stored and how downstream inputs load them.

Compute stays free of I/O: a solid returns a value, its output's IO manager
(``OutputDefinition(io_manager_key=...)``, default ``"io_manager"``) stores it, and the
downstream step's input is loaded by the same manager.
"""

from __future__ import annotations

import inspect
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from headwater.config import Field, StringSource
from headwater.definitions.files import make_private_dirs, open_private
from headwater.definitions.resource import ResourceDefinition, Resources
from headwater.definitions.utils import headwater_home
from headwater.errors import HeadwaterInvariantViolationError


class OutputContext:
    """What ``IOManager.handle_output`` receives about the output being stored.

    Attributes:
        step_key: The step that produced the output (``solid``, ``composite.child``,
            ``solid[mapping_key]``).
        name: The output's name.
        pipeline_name: The pipeline of the run.
        run_id: The run that produced the output (the parent run's id when a re-execution
            loads an output it did not recompute).
        metadata: The output definition's metadata.
        mapping_key: The mapping key for outputs of mapped steps, else None.
        config: Per-output config from ``solids.<s>.outputs.<o>``.
        solid_def: The solid's definition.
        headwater_type: The output's runtime type.
        log: The run's log manager.
        version: The output's version when memoizing, else None.
        resource_config: The IO manager's own config.
        resources: The resources the IO manager required.
        asset_key: The asset the output writes, if declared.
    """

    __slots__ = ("asset_key", "config", "headwater_type", "log", "mapping_key", "metadata",
                 "name", "pipeline_name", "resource_config", "resources", "run_id",
                 "solid_def", "step_key", "version")

    def __init__(self, step_key: str | None = None, name: str | None = None,
                 pipeline_name: str | None = None, run_id: str | None = None,
                 metadata: Mapping[str, Any] | None = None, mapping_key: str | None = None,
                 config: Any = None, solid_def: Any = None, headwater_type: Any = None,
                 log: Any = None, version: str | None = None, resource_config: Any = None,
                 resources: Resources | None = None, asset_key: Any = None) -> None:
        self.step_key = step_key
        self.name = name
        self.pipeline_name = pipeline_name
        self.run_id = run_id
        self.metadata = metadata or {}
        self.mapping_key = mapping_key
        self.config = config
        self.solid_def = solid_def
        self.headwater_type = headwater_type
        self.log = log
        self.version = version
        self.resource_config = resource_config
        self.resources = resources if resources is not None else Resources({})
        self.asset_key = asset_key

    def get_output_identifier(self) -> list[str]:
        """``[run_id, step_key, output_name]``, plus the mapping key for one value of a
        dynamic output (the run id replaced by the version when memoizing): the parts of a
        storage path that identify this output."""
        first = self.version if self.version is not None else self.run_id
        identifier = [str(first), str(self.step_key), str(self.name)]
        if self.mapping_key is not None:
            identifier.append(str(self.mapping_key))
        return identifier


class InputContext:
    """What ``IOManager.load_input`` receives about the input being loaded.

    Attributes:
        name: The input's name.
        pipeline_name: The pipeline of the run.
        solid_def: The definition of the solid that takes the input.
        config: Per-input config, if any.
        metadata: The input definition's metadata.
        upstream_output: The OutputContext of the output being loaded (None for root inputs).
        headwater_type: The input's runtime type.
        log: The run's log manager.
        resource_config: The IO manager's own config.
        resources: The resources the IO manager required.
        asset_key: The asset the input reads, if declared.
    """

    __slots__ = ("asset_key", "config", "headwater_type", "log", "metadata", "name",
                 "pipeline_name", "resource_config", "resources", "solid_def",
                 "upstream_output")

    def __init__(self, name: str | None = None, pipeline_name: str | None = None,
                 solid_def: Any = None, config: Any = None,
                 metadata: Mapping[str, Any] | None = None,
                 upstream_output: OutputContext | None = None, headwater_type: Any = None,
                 log: Any = None, resource_config: Any = None,
                 resources: Resources | None = None, asset_key: Any = None) -> None:
        self.name = name
        self.pipeline_name = pipeline_name
        self.solid_def = solid_def
        self.config = config
        self.metadata = metadata or {}
        self.upstream_output = upstream_output
        self.headwater_type = headwater_type
        self.log = log
        self.resource_config = resource_config
        self.resources = resources if resources is not None else Resources({})
        self.asset_key = asset_key


def build_output_context(step_key: str | None = None, name: str | None = None,
                         metadata: Mapping[str, Any] | None = None, run_id: str | None = None,
                         mapping_key: str | None = None, config: Any = None,
                         headwater_type: Any = None, version: str | None = None,
                         resource_config: Any = None,
                         resources: Mapping[str, Any] | None = None) -> OutputContext:
    """An OutputContext for testing an IO manager directly."""
    return OutputContext(step_key=step_key, name=name, metadata=metadata, run_id=run_id,
                         mapping_key=mapping_key, config=config, headwater_type=headwater_type,
                         version=version, resource_config=resource_config,
                         resources=Resources(resources or {}))


def build_input_context(name: str | None = None, config: Any = None,
                        metadata: Mapping[str, Any] | None = None,
                        upstream_output: OutputContext | None = None,
                        headwater_type: Any = None, resource_config: Any = None,
                        resources: Mapping[str, Any] | None = None) -> InputContext:
    """An InputContext for testing an IO manager directly."""
    return InputContext(name=name, config=config, metadata=metadata,
                        upstream_output=upstream_output, headwater_type=headwater_type,
                        resource_config=resource_config, resources=Resources(resources or {}))


class IOManager(ABC):
    """Stores outputs and loads them as inputs. Subclass it and return an instance from an
    ``@io_manager`` function."""

    @abstractmethod
    def handle_output(self, context: OutputContext, obj: Any) -> Any:
        """Store ``obj``, the value of the output described by ``context``.

        May return or yield ``AssetMaterialization`` values, which are recorded.
        """

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load the value of ``context.upstream_output`` for the input ``context``."""


class RootInputManager(ABC):
    """Loads an input that no upstream output feeds (``InputDefinition(root_manager_key=...)``)."""

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load the input described by ``context``."""


class IOManagerDefinition(ResourceDefinition):
    """A resource definition whose value is an IOManager.

    Args:
        input_config_schema: Schema of per-input config (``solids.<s>.inputs.<i>``).
        output_config_schema: Schema of per-output config (``solids.<s>.outputs.<o>``).
        is_persistent: Whether outputs survive the process (required by executors that
            run steps in other processes).
    """

    def __init__(self, resource_fn: Callable[..., Any], config_schema: Any = None,
                 description: str | None = None,
                 required_resource_keys: Iterable[str] | None = None,
                 version: str | None = None, input_config_schema: Any = None,
                 output_config_schema: Any = None, is_persistent: bool = True) -> None:
        super().__init__(resource_fn, config_schema, description, required_resource_keys,
                         version)
        self.input_config_schema = input_config_schema
        self.output_config_schema = output_config_schema
        self.is_persistent = is_persistent

    @staticmethod
    def hardcoded_io_manager(value: IOManager, description: str | None = None
                             ) -> IOManagerDefinition:
        """An IO manager definition that always returns ``value``."""
        return IOManagerDefinition(lambda: value, description=description)


class RootInputManagerDefinition(ResourceDefinition):
    """A resource definition whose value is a RootInputManager."""

    def __init__(self, resource_fn: Callable[..., Any], config_schema: Any = None,
                 description: str | None = None,
                 required_resource_keys: Iterable[str] | None = None,
                 version: str | None = None, input_config_schema: Any = None) -> None:
        super().__init__(resource_fn, config_schema, description, required_resource_keys,
                         version)
        self.input_config_schema = input_config_schema


def io_manager(config_schema: Any = None, description: str | None = None,
               output_config_schema: Any = None, input_config_schema: Any = None,
               required_resource_keys: Iterable[str] | None = None,
               version: str | None = None) -> Any:
    """Define an IO manager from a function returning an ``IOManager``.

    Example:
        >>> @io_manager(config_schema={"base_dir": str})
        ... def my_io_manager(init_context):
        ...     return MyIOManager(init_context.resource_config["base_dir"])
    """
    if inspect.isfunction(config_schema):
        fn = config_schema
        return IOManagerDefinition(fn, description=fn.__doc__)

    def decorator(fn: Callable[..., Any]) -> IOManagerDefinition:
        return IOManagerDefinition(fn, config_schema, description or fn.__doc__,
                                   required_resource_keys, version, input_config_schema,
                                   output_config_schema)

    return decorator


def root_input_manager(config_schema: Any = None, description: str | None = None,
                       input_config_schema: Any = None,
                       required_resource_keys: Iterable[str] | None = None,
                       version: str | None = None) -> Any:
    """Define a root input manager from ``fn(context: InputContext) -> value``."""

    def wrap(fn: Callable[..., Any], desc: str | None) -> RootInputManagerDefinition:
        class _FunctionRootInputManager(RootInputManager):
            def load_input(self, context: InputContext) -> Any:
                return fn(context)

        def build() -> RootInputManager:
            return _FunctionRootInputManager()

        # Named after the user's function: errors about the definition name it.
        build.__name__ = build.__qualname__ = getattr(fn, "__name__", "root_input_manager")
        return RootInputManagerDefinition(build, config_schema, desc, required_resource_keys,
                                          version, input_config_schema)

    if inspect.isfunction(config_schema):
        fn, config_schema = config_schema, None
        return wrap(fn, fn.__doc__)
    return lambda fn: wrap(fn, description or fn.__doc__)


class InMemoryIOManager(IOManager):
    """Keeps outputs in a dict in this process (lost when the process ends)."""

    def __init__(self) -> None:
        self.values: dict[tuple[Any, ...], Any] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.values[tuple(context.get_output_identifier())] = obj

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None
        return self.values[tuple(upstream.get_output_identifier())]


class PickledObjectFilesystemIOManager(IOManager):
    """Pickles each output to ``<base_dir>/<run_id>/<step_key>/<output_name>``."""

    def __init__(self, base_dir: str) -> None:
        self.base_dir = base_dir

    def path_for(self, context: OutputContext) -> str:
        return os.path.join(self.base_dir, *context.get_output_identifier())

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = self.path_for(context)
        make_private_dirs(os.path.dirname(path))
        # Write then rename, so that a reader never sees half a pickle.
        temp_path = f"{path}.tmp-{os.getpid()}"
        import pickle  # here, not at the top: ~5 ms of every import of headwater otherwise

        with open_private(temp_path, "wb") as file:
            pickle.dump(obj, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp_path, path)

    def load_input(self, context: InputContext) -> Any:
        upstream = context.upstream_output
        assert upstream is not None
        import pickle

        with open(self.path_for(upstream), "rb") as file:
            return pickle.load(file)


class CustomPathPickledObjectFilesystemIOManager(IOManager):
    """Pickles each output to ``<base_dir>/<metadata["path"]>``."""

    def __init__(self, base_dir: str) -> None:
        self.base_dir = base_dir

    def _path(self, context: OutputContext) -> str:
        if "path" not in context.metadata:
            raise HeadwaterInvariantViolationError(
                f'Output "{context.name}" of step "{context.step_key}" is stored by '
                'custom_path_fs_io_manager, which needs metadata={"path": ...} on its '
                "OutputDefinition."
            )
        return os.path.join(self.base_dir, context.metadata["path"])

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = self._path(context)
        make_private_dirs(os.path.dirname(path) or ".")
        import pickle

        with open_private(path, "wb") as file:
            pickle.dump(obj, file, protocol=pickle.HIGHEST_PROTOCOL)

    def load_input(self, context: InputContext) -> Any:
        assert context.upstream_output is not None
        import pickle

        with open(self._path(context.upstream_output), "rb") as file:
            return pickle.load(file)


def default_storage_dir(init_context: Any) -> str:
    """The instance's storage directory, or ``$HEADWATER_HOME/storage`` with no instance."""
    instance = getattr(init_context, "instance", None)
    if instance is not None:
        return instance.storage_directory()
    return os.path.join(headwater_home(), "storage")


mem_io_manager = IOManagerDefinition(
    lambda: InMemoryIOManager(),
    description="Keeps outputs in memory in the process that runs the steps.",
    is_persistent=False,
)

fs_io_manager = IOManagerDefinition(
    lambda init_context: PickledObjectFilesystemIOManager(
        init_context.resource_config.get("base_dir") or default_storage_dir(init_context)
    ),
    config_schema={"base_dir": Field(StringSource, is_required=False,
                                     description="Directory for the pickles.")},
    description="Pickles outputs to files under base_dir "
                "(default: the instance's storage directory, $HEADWATER_HOME/storage).",
)

custom_path_fs_io_manager = IOManagerDefinition(
    lambda init_context: CustomPathPickledObjectFilesystemIOManager(
        init_context.resource_config["base_dir"]
    ),
    config_schema={"base_dir": Field(StringSource, description="Directory for the pickles.")},
    description='Pickles each output to <base_dir>/<metadata["path"]>.',
)
