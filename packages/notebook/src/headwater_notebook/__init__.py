"""Jupyter notebooks as Headwater solids, executed with papermill in a real kernel.

In a pipeline::

    from headwater_notebook import define_notebook_solid

    clean = define_notebook_solid("clean", file_relative_path(__file__, "clean.ipynb"),
                                  input_defs=[InputDefinition("rows", list)],
                                  output_defs=[OutputDefinition(list)])

In the notebook::

    import headwater_notebook as hn
    context = hn.get_context()          # the solid's context (by hand: a development one)
    hn.yield_result(cleaned)            # the solid's output "result"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "get_context": "headwater_notebook.api",
    "yield_event": "headwater_notebook.api",
    "yield_result": "headwater_notebook.api",
    "HeadwaterNotebookError": "headwater_notebook.errors",
    "NotebookExecutionError": "headwater_notebook.errors",
    "define_notebook_solid": "headwater_notebook.solids",
}

__version__ = "0.1.0"

__all__ = ["HeadwaterNotebookError", "NotebookExecutionError", "define_notebook_solid",
           "get_context", "yield_event", "yield_result"]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_notebook.api import get_context, yield_event, yield_result
    from headwater_notebook.errors import HeadwaterNotebookError, NotebookExecutionError
    from headwater_notebook.solids import define_notebook_solid
