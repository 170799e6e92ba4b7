"""A pipeline no other process can load from its code, sent to the kernel by value.

A pipeline built inside a function (a test, a notebook cell, a closure) has no code pointer:
the kernel cannot import it again. The step pickles the definition itself with
``cloudpickle``, which, unlike the standard pickle, serializes functions defined inside
functions and the values they close over, to a private file (``0600``) in the step's
scratch folder; the kernel loads it from there. Nothing of it, secrets in its definitions
included, goes into the notebook: the handoff names the file only.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from typing import Any

from headwater_notebook.errors import HeadwaterNotebookError

PIPELINE_FILE = "pipeline.pickle"

_FIX = ("Define the pipeline at module level of an importable module (the kernel then loads "
        "it from its code), or run it with reconstructable(<module-level function building "
        "it>)")


def write_pipeline(pipeline: Any, solid_name: str, scratch_dir: str) -> str:
    """Pickle ``pipeline`` to a file only this user can read in ``scratch_dir``; its path.

    Raises:
        HeadwaterNotebookError: a part of the pipeline cannot be pickled; the error names
            the part (a resource by mode and key, a logger, a solid, a hook) and the fix.
    """
    import cloudpickle

    try:
        payload = cloudpickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        raise _unpicklable(pipeline, solid_name, error) from None
    path = os.path.join(scratch_dir, PIPELINE_FILE)
    # Created private, not chmod-ed after: the definitions may hold config values.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(payload)
    return path


def read_pipeline(path: str, solid_name: str) -> Any:
    """The pipeline :func:`write_pipeline` pickled to ``path`` (in the kernel).

    Raises:
        HeadwaterNotebookError: the kernel cannot load it (a class or module the pipeline
            refers to by name cannot be imported there).
    """
    # cloudpickle writes standard pickles; loading needs only cloudpickle to be importable.
    with open(path, "rb") as file:
        try:
            return pickle.load(file)
        except Exception as error:
            raise HeadwaterNotebookError(
                f'The kernel of notebook solid "{solid_name}" cannot load the pipeline the '
                f"step sent it by value (the pipeline is built inside a function): "
                f"{type(error).__name__}: {error}. The kernel imports by name the modules "
                "and module-level classes and functions the pipeline uses: make them "
                f"importable from the step's working directory. {_FIX}.") from error


def _unpicklable(pipeline: Any, solid_name: str, error: Exception) -> HeadwaterNotebookError:
    import cloudpickle

    what = "a part of it"
    for part, value in _parts(pipeline):
        try:
            cloudpickle.dumps(value)
        except Exception as part_error:
            what, error = part, part_error
            break
    hint = (" Build the value inside the resource's function (@resource def ...(init_context): "
            "return connect(...)) rather than capturing a built one, which cannot leave this "
            "process." if what.startswith("resource") else "")
    return HeadwaterNotebookError(
        f'Notebook solid "{solid_name}" runs its notebook in a Jupyter kernel (another '
        f'process). Pipeline "{pipeline.name}" is built inside a function, so the kernel '
        f"cannot load it from its code, and it cannot be sent by value either: {what} cannot "
        f"be pickled ({type(error).__name__}: {error}).{hint} {_FIX}.")


def _parts(pipeline: Any) -> Iterator[tuple[str, Any]]:
    """The parts of ``pipeline`` a user writes, each named as an error names it."""
    for mode in pipeline.mode_definitions:
        for key, definition in mode.resource_defs.items():
            yield f'resource "{key}" of mode "{mode.name}"', definition
        for key, definition in mode.logger_defs.items():
            yield f'logger "{key}" of mode "{mode.name}"', definition
        for definition in mode.executor_defs:
            yield f'an executor of mode "{mode.name}"', definition
    for definition in pipeline.all_node_defs:
        yield f'solid "{definition.name}"', definition
    for hook in pipeline.hook_defs:
        yield f'hook "{hook.name}"', hook
    for preset in pipeline.preset_defs:
        yield f'preset "{preset.name}"', preset
