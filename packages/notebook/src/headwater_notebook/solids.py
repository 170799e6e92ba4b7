"""``define_notebook_solid``: a Jupyter notebook as a solid.

The step runs the notebook with papermill in a real kernel. How the parts cross between the
step and the kernel:

* **context** — the kernel rebuilds it from the run (:mod:`headwater_notebook.kernel`), as
  a multiprocess worker would: config, resources built from the run's mode, the run's log.
* **inputs** — loaded again in the kernel by the run's IO managers (or loaders, defaults,
  root input managers), never written into the notebook.
* **log lines, events, outputs** — sent back through the step's scratch folder
  (:mod:`headwater_notebook.stream`); the step records log lines and events as they come,
  and yields the outputs once the notebook has finished, to be type-checked and stored by
  their IO managers like any solid's.
* **the executed notebook** — saved under the instance's storage directory
  (``notebooks/<run_id>/<step_key>.ipynb``), also when a cell fails, and recorded as an
  asset materialization. ``output_notebook="name"`` adds an output whose value is the
  executed notebook's content (the ``.ipynb`` file's bytes), stored by that output's IO
  manager, so the notebook can go wherever the manager puts outputs (S3, say) and feed
  downstream solids.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from headwater import (
    AssetMaterialization,
    HeadwaterInvalidDefinitionError,
    InputDefinition,
    MetadataValue,
    Output,
    OutputDefinition,
    RetryPolicy,
    SolidDefinition,
)
from headwater.integration import DEFAULT_IO_MANAGER_KEY
from headwater_notebook.errors import HeadwaterNotebookError
from headwater_notebook.handoff import write_handoff
from headwater_notebook.stream import StreamReader, load_output_value

RESERVED_TAGS = ("notebook_path", "kind")
_POLL_SECONDS = 0.05


def define_notebook_solid(name: str, notebook_path: str,
                          input_defs: Sequence[InputDefinition] | None = None,
                          output_defs: Sequence[OutputDefinition] | None = None,
                          config_schema: Any = None,
                          required_resource_keys: set[str] | None = None,
                          output_notebook: str | None = None,
                          tags: Mapping[str, Any] | None = None,
                          description: str | None = None,
                          kernel_name: str | None = None,
                          execution_timeout: float | None = None,
                          asset_key_prefix: Sequence[str] | None = None,
                          retry_policy: RetryPolicy | None = None,
                          output_notebook_io_manager_key: str | None = None
                          ) -> SolidDefinition:
    """A solid that executes the Jupyter notebook at ``notebook_path``.

    In the notebook, ``headwater_notebook.get_context()`` is the solid's context, each input
    is a variable named after it (assigned after the cell tagged ``parameters``), and
    ``headwater_notebook.yield_result(value, output_name)`` /
    ``headwater_notebook.yield_event(event)`` send outputs and events back to the run.

    Args:
        name: The solid's name.
        notebook_path: The ``.ipynb`` file (an absolute path, or relative to the working
            directory of the process running the step; ``file_relative_path`` helps).
        input_defs: The solid's inputs.
        output_defs: The solid's outputs (the notebook yields them with ``yield_result``).
        config_schema: Schema of the solid's config (``get_context().solid_config``).
        required_resource_keys: Resources built in the kernel for the notebook.
        output_notebook: When set, the name of an extra ``bytes`` output whose value is the
            executed notebook (the content of its ``.ipynb`` file), yielded once the notebook
            has run to the end and stored by the output's IO manager like any output.
        tags: Tags of the solid; ``notebook_path`` and ``kind`` are set by Headwater.
        description: The solid's description.
        kernel_name: The Jupyter kernel; default ``python3``, which is always the Python
            running the step (see :mod:`headwater_notebook.kernels`).
        execution_timeout: Seconds each cell may run before the step fails; no limit when
            None.
        asset_key_prefix: Prefix of the asset key under which the executed notebook is
            recorded (``[*prefix, "notebooks", pipeline_name, step_key]``).
        retry_policy: How failures (a failing cell included) are retried.
        output_notebook_io_manager_key: Resource key of the IO manager that stores the
            ``output_notebook`` output; default ``"io_manager"``.

    Returns:
        A SolidDefinition tagged ``{"notebook_path": ..., "kind": "ipynb"}``.

    Example:
        >>> clean = define_notebook_solid(
        ...     "clean", file_relative_path(__file__, "notebooks/clean.ipynb"),
        ...     input_defs=[InputDefinition("rows", list)], output_defs=[OutputDefinition(list)])
    """
    where = f'notebook solid "{name}"'
    reserved = sorted(set(tags or {}) & set(RESERVED_TAGS))
    if reserved:
        raise HeadwaterInvalidDefinitionError(
            f"The tags {reserved} of {where} are reserved: Headwater sets notebook_path and "
            'kind ("ipynb") on every notebook solid. Use other tag names.')
    if not str(notebook_path).endswith(".ipynb"):
        raise HeadwaterInvalidDefinitionError(
            f'The notebook of {where} must be an .ipynb file, got "{notebook_path}".')
    if execution_timeout is not None and execution_timeout <= 0:
        raise HeadwaterInvalidDefinitionError(
            f"execution_timeout of {where} must be a positive number of seconds, got "
            f"{execution_timeout!r}.")
    if output_notebook_io_manager_key is not None and output_notebook is None:
        raise HeadwaterInvalidDefinitionError(
            f"output_notebook_io_manager_key of {where} names the IO manager of the executed "
            "notebook's output, but the solid has no such output. Pass output_notebook=\"...\" "
            "(the output's name) as well.")
    outputs = list(output_defs if output_defs is not None else [OutputDefinition()])
    notebook_manager_key = output_notebook_io_manager_key or DEFAULT_IO_MANAGER_KEY
    if output_notebook is not None:
        outputs.append(OutputDefinition(
            bytes, name=output_notebook, io_manager_key=notebook_manager_key,
            description="The executed notebook: the content of its .ipynb file."))
    compute = NotebookCompute(name, str(notebook_path), kernel_name, execution_timeout,
                              output_notebook, notebook_manager_key,
                              list(asset_key_prefix or []))
    return SolidDefinition(
        name, list(input_defs or []), compute, outputs, config_schema=config_schema,
        description=description or f"Runs the notebook {notebook_path}.",
        tags={**(tags or {}), "notebook_path": str(notebook_path), "kind": "ipynb"},
        required_resource_keys=required_resource_keys, retry_policy=retry_policy)


class NotebookCompute:
    """The compute function of a notebook solid (see the module docstring)."""

    def __init__(self, solid_name: str, notebook_path: str, kernel_name: str | None,
                 execution_timeout: float | None, output_notebook: str | None,
                 output_notebook_io_manager_key: str, asset_key_prefix: list[str]) -> None:
        self.solid_name = solid_name
        self.notebook_path = notebook_path
        self.kernel_name = kernel_name
        self.execution_timeout = execution_timeout
        self.output_notebook = output_notebook
        self.output_notebook_io_manager_key = output_notebook_io_manager_key
        self.asset_key_prefix = asset_key_prefix

    def __call__(self, context: Any, inputs: dict[str, Any]) -> Iterator[Any]:
        # ``inputs`` (loaded here by the step) go unused: the kernel loads them again, the
        # same way, in its own process.
        from headwater_notebook.runner import NotebookExecution

        notebook_path, kernel_name = self._check_can_run()
        output_path = os.path.join(context.instance.storage_directory(), "notebooks",
                                   context.run_id, f"{context.step_key}.ipynb")
        with tempfile.TemporaryDirectory(prefix="headwater-notebook-") as scratch:
            prepared = self._prepare(context, notebook_path, scratch)
            execution = NotebookExecution(prepared, output_path, kernel_name,
                                          self.execution_timeout, os.path.dirname(notebook_path))
            reader = StreamReader(scratch)
            outputs: list[str] = []
            execution.start()
            while not execution.wait(_POLL_SECONDS):
                yield from self._relay(context, reader, outputs)
            yield from self._relay(context, reader, outputs)
            missing = self._missing_outputs(context, outputs)
            # Recorded before any output is stored, so that the saved notebook is on record
            # however the step ends: after a failing cell, it shows the author why.
            if os.path.isfile(output_path):
                yields_notebook = execution.error is None and not missing
                yield self._materialization(context, output_path, execution.error is None,
                                            self.output_notebook if yields_notebook else None)
            execution.raise_for_failure(self.solid_name)
            if missing:
                raise HeadwaterNotebookError(
                    f'Notebook solid "{self.solid_name}" finished without yielding its required '
                    f"output(s) {missing}: call headwater_notebook.yield_result(value, "
                    'output_name="...") in the notebook for each.')
            for output_name in outputs:
                yield Output(load_output_value(scratch, output_name), output_name)
        if self.output_notebook is not None:
            with open(output_path, "rb") as file:
                executed = file.read()
            yield Output(executed, self.output_notebook)

    def _check_can_run(self) -> tuple[str, str]:
        """The notebook's absolute path and the kernel's name, once both are known to exist."""
        # Imported here: jupyter_client is slow to import, and a pipeline module that
        # defines notebook solids should load fast.
        from headwater_notebook.kernels import DEFAULT_KERNEL, check_kernel

        notebook_path = os.path.abspath(self.notebook_path)
        if not os.path.isfile(notebook_path):
            raise HeadwaterNotebookError(
                f'The notebook of notebook solid "{self.solid_name}" does not exist: '
                f'"{self.notebook_path}" (looked for {notebook_path}). Create it with '
                f"headwater notebook create {self.notebook_path}.")
        kernel_name = self.kernel_name or DEFAULT_KERNEL
        check_kernel(kernel_name, f'Notebook solid "{self.solid_name}"')
        return notebook_path, kernel_name

    def _prepare(self, context: Any, notebook_path: str, scratch: str) -> str:
        """Write the handoff and the notebook to execute (with Headwater's cells) to the
        scratch folder; returns the notebook's path."""
        import nbformat

        from headwater_notebook.notebook import notebook_for_step, read_notebook

        handoff_path = write_handoff(context, scratch, self.output_notebook)
        input_names = [d.name for d in context.solid_def.input_defs if not d.is_nothing]
        prepared = os.path.join(scratch, "input.ipynb")
        nbformat.write(notebook_for_step(read_notebook(notebook_path), handoff_path,
                                         input_names), prepared)
        return prepared

    def _relay(self, context: Any, reader: StreamReader, outputs: list[str]) -> Iterator[Any]:
        """Record what the kernel sent since the last call; note the outputs it yielded."""
        for item in reader.read_new():
            if "log" in item:
                level, message = item["log"]
                context.log.log(level, message)
            elif "event" in item:
                yield item["event"]
            else:
                outputs.append(item["output"])

    def _missing_outputs(self, context: Any, yielded: list[str]) -> list[str]:
        """The required outputs the notebook did not yield."""
        return [d.name for d in context.solid_def.output_defs
                if d.is_required and not d.headwater_type.is_nothing
                and d.name not in yielded and d.name != self.output_notebook]

    def _materialization(self, context: Any, path: str, succeeded: bool,
                         stored_as: str | None) -> AssetMaterialization:
        """The executed notebook as an asset: its local ``path``, and the output
        ``stored_as`` (if any) that hands it to an IO manager too."""
        what = "Executed" if succeeded else "Partially executed (a cell failed)"
        description = f'{what} notebook of solid "{context.solid_handle}".'
        metadata = {"path": MetadataValue.path(path)}
        if stored_as is not None:
            description += (f' Also yielded as output "{stored_as}", stored by IO manager '
                            f'"{self.output_notebook_io_manager_key}".')
            metadata["output"] = MetadataValue.text(stored_as)
            metadata["io_manager"] = MetadataValue.text(self.output_notebook_io_manager_key)
        return AssetMaterialization(
            asset_key=[*self.asset_key_prefix, "notebooks", context.pipeline_name,
                       context.step_key],
            description=description, metadata=metadata)
