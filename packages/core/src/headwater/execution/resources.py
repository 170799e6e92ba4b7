"""Building a run's resources, in dependency order, and tearing them down again."""

from __future__ import annotations

import contextlib
import inspect
import traceback
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from headwater.definitions.configurable import process_definition_config
from headwater.definitions.mode import order_resource_keys
from headwater.definitions.resource import (
    InitResourceContext,
    ResourceDefinition,
    Resources,
    call_resource_fn,
)
from headwater.errors import HeadwaterInvalidInvocationError, HeadwaterResourceFunctionError


class ResourceScope:
    """Builds the resources ``keys`` need (and what those need) on enter; tears generator
    resources down on exit, in reverse order, whether or not the scope ended in an error.

    Example:
        >>> with ResourceScope(defs, configs, {"db"}) as resources:
        ...     resources["db"].query(...)
    """

    def __init__(self, resource_defs: Mapping[str, ResourceDefinition],
                 resource_configs: Mapping[str, Any], keys: Iterable[str],
                 instance: Any = None, pipeline_run: Any = None, log: Any = None,
                 where: str = "the run") -> None:
        self.resource_defs = resource_defs
        self.resource_configs = resource_configs
        self.where = where
        self._initial_keys = list(keys)
        self.instance = instance
        self.pipeline_run = pipeline_run
        self.log = log
        self.values: dict[str, Any] = {}
        self._exit_stack = contextlib.ExitStack()

    def __enter__(self) -> dict[str, Any]:
        try:
            self.ensure(self._initial_keys)
        except BaseException:
            self._exit_stack.close()
            raise
        return self.values

    def __exit__(self, *exc: object) -> None:
        self._exit_stack.close()

    def ensure(self, keys: Iterable[str]) -> dict[str, Any]:
        """Build whichever of ``keys`` (and their dependencies) are not built yet."""
        for key in order_resource_keys(self.resource_defs, keys, self.where):
            if key not in self.values:
                self.values[key] = self._build(key)
        return self.values

    def _build(self, key: str) -> Any:
        definition = self.resource_defs[key]
        context = InitResourceContext(
            resource_config=self.resource_configs.get(key),
            resource_def=definition,
            resources=Resources({k: self.values[k] for k in definition.required_resource_keys},
                                f'resource "{key}"'),
            instance=self.instance,
            pipeline_run=self.pipeline_run,
            log=self.log,
            run_id=getattr(self.pipeline_run, "run_id", None),
        )
        try:
            value = call_resource_fn(definition, context)
            if definition.is_generator:
                generator = value
                value = next(generator)
                self._exit_stack.callback(self._teardown, key, generator)
            elif isinstance(value, contextlib.AbstractContextManager) and \
                    inspect.isgeneratorfunction(inspect.unwrap(definition.resource_fn)):
                # @contextlib.contextmanager resources: enter now, exit with the scope.
                value = self._exit_stack.enter_context(value)
        except Exception as error:
            raise HeadwaterResourceFunctionError(
                f'Error while initializing resource "{key}": {error!r}', error,
                traceback.format_exc(),
            ) from error
        return value

    def _teardown(self, key: str, generator: Any) -> None:
        try:
            next(generator)
        except StopIteration:
            return
        except Exception as error:
            if self.log is not None:
                self.log.error(f'Teardown of resource "{key}" raised {error!r}:\n'
                               f"{traceback.format_exc()}")
            return
        if self.log is not None:
            self.log.warning(f'Resource "{key}" yielded more than once; only one yield is '
                             "allowed (the code after it is the teardown).")


@contextlib.contextmanager
def build_resources(resources: Mapping[str, Any], instance: Any = None,
                    resource_config: Mapping[str, Any] | None = None,
                    pipeline_run: Any = None, log_manager: Any = None) -> Iterator[Resources]:
    """Build resources outside a run (in tests, scripts), and tear them down on exit.

    Args:
        resources: ``{key: ResourceDefinition or plain value}``; a plain value is used as
            it is.
        instance: The instance the resources see as ``init_context.instance``.
        resource_config: ``{key: config}``, each checked against its resource's schema
            (the ``config`` level of a run config's ``resources.<key>.config``).
        pipeline_run: The run the resources see, if any.
        log_manager: The log the resources see as ``init_context.log``.

    Yields:
        The built resources, by attribute (``resources.db``).

    Example:
        >>> with build_resources({"db": database}, resource_config={"db": {"url": "x"}}) as r:
        ...     r.db.query("select 1")
    """
    definitions = {key: value if isinstance(value, ResourceDefinition)
                   else ResourceDefinition.hardcoded_resource(value)
                   for key, value in resources.items()}
    configs = dict(resource_config or {})
    unknown = sorted(set(configs) - set(definitions))
    if unknown:
        raise HeadwaterInvalidInvocationError(
            f"build_resources got config for {unknown}, which are not among the resources "
            f"given ({sorted(definitions)}).")
    processed = {key: process_definition_config(
        definition, configs.get(key), f'Error in config for resource "{key}" given to '
                                      "build_resources")
        for key, definition in definitions.items()}
    with ResourceScope(definitions, processed, definitions, instance=instance,
                       pipeline_run=pipeline_run, log=log_manager,
                       where="build_resources") as values:
        yield Resources(values, "build_resources")
