"""Loading a finished run's outputs back through their IO managers.

Outputs computed in other processes are not in this process's memory: results read them
the way a downstream step would, with the IO manager that stored them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from headwater.definitions.io_manager import InputContext, OutputContext
from headwater.definitions.resource import Resources
from headwater.execution.plan import StepOutputHandle, solid_handle_of
from headwater.execution.resources import ResourceScope


def upstream_output_context(handle: StepOutputHandle, solid_def: Any, pipeline_name: str,
                            run_id: str, resource_config: Any, resources: Resources,
                            log: Any = None, config: Any = None) -> OutputContext:
    """The OutputContext of a stored output, as its IO manager's ``load_input`` sees it
    (``run_id`` is the run that stored it; ``config`` is the output's
    ``solids.<s>.outputs.<o>`` config, which says where it was stored)."""
    output_def = solid_def.output_dict[handle.output_name]
    return OutputContext(
        step_key=handle.step_key, name=handle.output_name, pipeline_name=pipeline_name,
        run_id=run_id, metadata=output_def.metadata, mapping_key=handle.mapping_key,
        config=config, solid_def=solid_def, headwater_type=output_def.headwater_type, log=log,
        resource_config=resource_config, resources=resources, asset_key=output_def.asset_key)


class OutputValues(Mapping[StepOutputHandle, Any]):
    """Output values by handle: those captured in this process, else loaded on demand."""

    def __init__(self, captured: Mapping[StepOutputHandle, Any],
                 loader: OutputLoader | None = None) -> None:
        self._captured = dict(captured)
        self._loader = loader
        self._missing: set[StepOutputHandle] = set()

    def __getitem__(self, handle: StepOutputHandle) -> Any:
        if handle in self._captured:
            return self._captured[handle]
        if self._loader is None or handle in self._missing:
            raise KeyError(handle)
        try:
            value = self._loader.load(handle)
        except Exception:
            self._missing.add(handle)
            raise KeyError(handle) from None
        self._captured[handle] = value
        return value

    def __contains__(self, handle: object) -> bool:
        try:
            self[handle]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[StepOutputHandle]:
        return iter(self._captured)

    def __len__(self) -> int:
        return len(self._captured)


class OutputLoader:
    """Loads outputs of one run with the run's IO managers (built per load, then torn down)."""

    def __init__(self, prepared: Any, recorder: Any,
                 output_run_ids: Mapping[str, str] | None = None) -> None:
        self.prepared = prepared
        self.recorder = recorder
        self.output_run_ids = dict(output_run_ids or {})

    def load(self, handle: StepOutputHandle) -> Any:
        prepared = self.prepared
        resolved_mode = prepared.schema.resolved
        solid_def = prepared.plan.solid_def_for_step(handle.step_key)
        output_def = solid_def.output_dict[handle.output_name]
        key = output_def.io_manager_key
        scope = ResourceScope(resolved_mode.resource_defs, prepared.resolved.resources, [key],
                              instance=self.recorder, pipeline_run=prepared.run,
                              where="loading a run's outputs")
        with scope as resources:
            manager_def = resolved_mode.resource_defs[key]
            manager_resources = {k: resources[k] for k in manager_def.required_resource_keys}
            upstream = upstream_output_context(
                handle, solid_def, prepared.args.pipeline.name,
                self.output_run_ids.get(handle.step_key, prepared.run.run_id),
                prepared.resolved.resources.get(key), Resources(manager_resources),
                config=prepared.resolved.output_config(solid_handle_of(handle.step_key),
                                                       handle.output_name))
            context = InputContext(name=handle.output_name,
                                   pipeline_name=prepared.args.pipeline.name,
                                   upstream_output=upstream,
                                   headwater_type=output_def.headwater_type,
                                   resource_config=upstream.resource_config,
                                   resources=upstream.resources)
            return resources[key].load_input(context)
