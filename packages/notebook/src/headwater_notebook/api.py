"""What a notebook calls: the same three functions in a run and by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from headwater_notebook import kernel

_T = TypeVar("_T")


def get_context(solid_config: Any = None, mode_def: Any = None,
                run_config: Mapping[str, Any] | None = None) -> Any:
    """The solid's context.

    When Headwater runs the notebook as a solid, this is the step's context (its config,
    the resources built from the run's mode, the run's log and id) and the arguments are
    ignored. Run by hand, it is a development context built from the arguments.

    Args:
        solid_config: The config the notebook sees as ``context.solid_config`` by hand.
        mode_def: A ModeDefinition whose resources are built for ``context.resources``.
        run_config: Run config for those resources (``{"resources": {key: {"config":
            ...}}}``) and loggers.

    Example:
        >>> context = get_context(solid_config={"threshold": 3},
        ...                       mode_def=ModeDefinition(resource_defs={"db": test_db}))
    """
    step = kernel.current()
    if step is not None:
        return step.context
    from headwater_notebook.development import development_context

    return development_context(solid_config, mode_def, run_config)


def yield_result(value: _T, output_name: str = "result") -> _T | None:
    """Send ``value`` to the run as the solid's output ``output_name``.

    In a run the value is pickled back to the step, which type-checks it and stores it with
    the output's IO manager once the notebook has finished. By hand, returns ``value``.
    """
    step = kernel.current()
    if step is None:
        return value
    step.yield_result(value, output_name)
    return None


def yield_event(event: _T) -> _T | None:
    """Record an ``AssetMaterialization`` or ``ExpectationResult`` in the run's event log
    (as the notebook runs). By hand, returns ``event``."""
    step = kernel.current()
    if step is None:
        return event
    step.yield_event(event)
    return None
