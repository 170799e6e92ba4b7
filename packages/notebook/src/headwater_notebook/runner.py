"""Executing a notebook with papermill, in a thread, so that the step can relay what the
kernel sends back while the notebook runs.

Papermill saves the output notebook after every cell, and once more with the error marked
when a cell raises, so the partially executed notebook is on disk whatever happens.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from typing import Any

from headwater_notebook.errors import NotebookExecutionError
from headwater_notebook.kernels import HeadwaterKernelManager

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookExecution:
    """One execution of a (prepared) notebook file.

    Args:
        input_path: The notebook to execute.
        output_path: Where papermill saves the executed notebook.
        kernel_name: The kernel (see :mod:`headwater_notebook.kernels`).
        execution_timeout: Seconds a cell may run, or None for no limit.
        working_directory: The kernel's working directory (the solid's notebook's folder,
            as when the author runs it in Jupyter).
    """

    def __init__(self, input_path: str, output_path: str, kernel_name: str,
                 execution_timeout: float | None, working_directory: str) -> None:
        self.input_path = input_path
        self.output_path = output_path
        self.kernel_name = kernel_name
        self.execution_timeout = execution_timeout
        self.working_directory = working_directory
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="headwater-notebook",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; whether the execution has finished."""
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def _run(self) -> None:
        import papermill

        try:
            os.makedirs(os.path.dirname(self.output_path), exist_ok=True)
            papermill.execute_notebook(
                self.input_path, self.output_path, kernel_name=self.kernel_name,
                progress_bar=False, log_output=False,
                execution_timeout=self.execution_timeout,
                kernel_manager_class=HeadwaterKernelManager,
                # The kernel's working directory; papermill's own cwd= would change the
                # working directory of this whole process while the notebook runs.
                resources={"metadata": {"path": self.working_directory}})
        except BaseException as error:
            self.error = error
        finally:
            _close_event_loop()

    def raise_for_failure(self, solid_name: str) -> None:
        """Raise a NotebookExecutionError that shows the failing cell and its traceback
        (or the error that stopped the notebook outside any cell)."""
        if self.error is None:
            return
        from nbclient.exceptions import CellTimeoutError
        from papermill.exceptions import PapermillExecutionError

        saved = self.output_path if os.path.isfile(self.output_path) else None
        where = (f"The partially executed notebook is saved at {saved}." if saved
                 else "No output notebook was saved.")
        error = self.error
        if isinstance(error, PapermillExecutionError):
            source = _strip(error.source)
            traceback = _strip("\n".join(error.traceback))
            raise NotebookExecutionError(
                f'Notebook solid "{solid_name}" failed: cell {error.cell_index} of the executed '
                f"notebook (In [{error.exec_count}]) raised {error.ename}: "
                f"{_strip(error.evalue)}\n\nCell {error.cell_index}:\n{_indent(source)}\n\n"
                f"Traceback:\n{_indent(traceback)}\n\n{where}",
                solid_name, error.cell_index, source, traceback, saved) from None
        if isinstance(error, CellTimeoutError):
            limit = f"{self.execution_timeout:g}"
            raise NotebookExecutionError(
                f'Notebook solid "{solid_name}" failed: a cell did not finish within '
                f"execution_timeout={limit} seconds.\n\n{_strip(str(error))}\n\n{where} "
                "Raise execution_timeout (define_notebook_solid(..., execution_timeout=...)) "
                "if the cell needs longer.", solid_name, notebook_path=saved) from None
        raise NotebookExecutionError(
            f'Notebook solid "{solid_name}" failed while papermill ran its notebook: '
            f"{type(error).__name__}: {_strip(str(error))}\n\n{where}",
            solid_name, notebook_path=saved) from error


def _close_event_loop() -> None:
    """Close the event loop Jupyter's client ran in this thread, after ending its tasks.

    Jupyter's client runs its coroutines in an event loop it makes for the thread and never
    closes. Left open, the loop and whatever tasks it still holds are only destroyed when
    the thread's objects are collected, which Python reports on stderr ("unclosed event
    loop", and "Task was destroyed but it is pending!" for each task still waiting).
    """
    from jupyter_core.utils import ensure_event_loop

    # The thread's loop, as Jupyter's client keeps it (a new one if papermill failed before
    # making any: closing that is harmless).
    loop = ensure_event_loop()
    try:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _strip(text: Any) -> str:
    return _ANSI.sub("", str(text))


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())
