"""Pipelines another process can load again: ``reconstructable(...)``.

Executors that run steps in other processes, and a run launched from the command line, need
more than a PipelineDefinition object: they need to know where its code is. A
``ReconstructablePipeline`` carries a pointer to the code (see
:mod:`headwater.execution.code_pointer`) and, in the process that made it, the definition.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from headwater.definitions.pipeline import PipelineDefinition
from headwater.errors import HeadwaterInvariantViolationError
from headwater.execution.code_pointer import check_pointer, file_module_origin, load_pipeline


class ReconstructablePipeline:
    """A pipeline together with a pointer that loads it in any process.

    Pass it wherever a pipeline is expected (``execute_pipeline(reconstructable(p), ...)``).

    Args:
        origin: The pointer: ``{"python_file": ..., "attribute": ..., "pipeline_name": ...,
            "working_directory": ...}`` or ``{"module": ..., ...}``.
        build: How to get the definition in this process without loading the code again;
            when None, the pointer is loaded on first use.
    """

    __slots__ = ("_build", "_definition", "_origin")

    def __init__(self, origin: Mapping[str, Any],
                 build: Callable[[], PipelineDefinition] | None = None) -> None:
        self._origin = check_pointer(origin)
        self._build = build
        self._definition: PipelineDefinition | None = None

    @classmethod
    def for_file(cls, python_file: str, fn_name: str) -> ReconstructablePipeline:
        """The pipeline (or function returning one) named ``fn_name`` in a Python file.

        Args:
            python_file: The file's path; relative paths are taken from the current
                directory, now.
            fn_name: The module-level attribute: a PipelineDefinition, or a function with
                no arguments that returns one.
        """
        return cls({"python_file": os.path.abspath(python_file), "attribute": fn_name})

    @classmethod
    def for_module(cls, module: str, fn_name: str) -> ReconstructablePipeline:
        """The pipeline (or function returning one) named ``fn_name`` in an importable module."""
        return cls({"module": module, "attribute": fn_name})

    @property
    def origin(self) -> dict[str, Any]:
        """The pointer, as a new dict (it is recorded on the run)."""
        return dict(self._origin)

    @property
    def pipeline_name(self) -> str | None:
        """The pipeline's name, when the pointer records it."""
        return self._origin.get("pipeline_name")

    def get_definition(self) -> PipelineDefinition:
        """The PipelineDefinition, built (or loaded from the pointer) on first use."""
        if self._definition is None:
            built = self._build() if self._build is not None else load_pipeline(self._origin)
            if not isinstance(built, PipelineDefinition):
                raise HeadwaterInvariantViolationError(
                    f"The pipeline at {self._origin} is {built!r}, not a PipelineDefinition.")
            self._definition = built
        return self._definition

    def __reduce__(self) -> tuple[Any, ...]:
        # Another process gets the pointer only, and loads the code itself.
        return (ReconstructablePipeline, (self._origin,))

    def __repr__(self) -> str:
        return f"ReconstructablePipeline({self._origin!r})"


def reconstructable(target: Any) -> ReconstructablePipeline:
    """Make a pipeline loadable by other processes (multiprocess executors, launched runs).

    Args:
        target: A PipelineDefinition defined at module level, or a module-level function
            (no arguments) that returns one.

    Returns:
        A ReconstructablePipeline that points at the module (by name, or by file path for
        a script run as ``__main__`` or a file the CLI loaded) and the attribute.

    Raises:
        HeadwaterInvariantViolationError: the target is a lambda, a nested function, a
            pipeline not found at module level of any imported module, or code typed into an
            interactive session.

    Example:
        >>> execute_pipeline(reconstructable(daily_orders),
        ...                  run_config={"execution": {"multiprocess": {}}})
    """
    if isinstance(target, ReconstructablePipeline):
        return target
    if isinstance(target, PipelineDefinition):
        module_name, attribute = _find_module_level(target)
        return ReconstructablePipeline(_pointer(module_name, attribute, target.name),
                                       build=lambda: target)
    if inspect.isfunction(target):
        module_name, attribute = _check_module_level_function(target)
        return ReconstructablePipeline(_pointer(module_name, attribute, None), build=target)
    raise HeadwaterInvariantViolationError(
        f"reconstructable() takes a module-level PipelineDefinition or a module-level "
        f"function returning one, received {target!r} ({type(target).__name__}).")


def _check_module_level_function(fn: Callable[..., Any]) -> tuple[str, str]:
    name = fn.__name__
    if name == "<lambda>":
        raise HeadwaterInvariantViolationError(
            "reconstructable() cannot take a lambda: other processes load the pipeline by "
            "module and name. Define a function with def at module level.")
    if "<locals>" in fn.__qualname__:
        raise HeadwaterInvariantViolationError(
            f'reconstructable() cannot take the nested function "{fn.__qualname__}": other '
            "processes load the pipeline by module and name. Move it to module level.")
    module = sys.modules.get(fn.__module__)
    if module is None or getattr(module, name, None) is not fn:
        raise HeadwaterInvariantViolationError(
            f'reconstructable() cannot find function "{name}" as an attribute of module '
            f'"{fn.__module__}": other processes load the pipeline by module and name. '
            "Define it at module level under its own name.")
    return fn.__module__, name


def _find_module_level(pipeline: PipelineDefinition) -> tuple[str, str]:
    """The (module, attribute) holding ``pipeline``, preferring importable modules and an
    attribute named like the pipeline."""
    found: list[tuple[bool, bool, str, str]] = []
    for module_name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        # __mp_main__ is multiprocessing's alias of the main module: no other process can
        # import it by that name (the main module's own entry is found instead).
        if namespace is None or module_name.startswith("headwater.") or \
                module_name == "__mp_main__":
            continue
        for attribute, value in list(namespace.items()):
            if value is pipeline:
                found.append((module_name == "__main__", attribute != pipeline.name,
                              module_name, attribute))
    if not found:
        raise HeadwaterInvariantViolationError(
            f'reconstructable() cannot find pipeline "{pipeline.name}" at module level of any '
            "imported module: other processes load the pipeline by module and name. Define "
            "it at module level, or pass a module-level function that builds it.")
    _, _, module_name, attribute = min(found)
    return module_name, attribute


def _pointer(module_name: str, attribute: str, pipeline_name: str | None) -> dict[str, Any]:
    pointer: dict[str, Any] = {"attribute": attribute}
    if pipeline_name is not None:
        pointer["pipeline_name"] = pipeline_name
    from_file = file_module_origin(module_name)
    if from_file is not None:
        pointer["python_file"], pointer["working_directory"] = from_file
        return pointer
    if module_name == "__main__":
        main = sys.modules["__main__"]
        spec = getattr(main, "__spec__", None)
        if spec is not None and spec.name:
            pointer["module"] = spec.name  # run with python -m
            return pointer
        path = getattr(main, "__file__", None)
        if path is None:
            raise HeadwaterInvariantViolationError(
                "reconstructable() cannot point at code typed into an interactive session: "
                "other processes load the pipeline from a file or module. Put it in a file.")
        pointer["python_file"] = os.path.abspath(path)
        return pointer
    pointer["module"] = module_name
    return pointer
