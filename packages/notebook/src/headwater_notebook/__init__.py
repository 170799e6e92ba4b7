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

from headwater_notebook.api import get_context, yield_event, yield_result
from headwater_notebook.errors import HeadwaterNotebookError, NotebookExecutionError
from headwater_notebook.solids import define_notebook_solid

__version__ = "0.1.0"

__all__ = ["HeadwaterNotebookError", "NotebookExecutionError", "define_notebook_solid",
           "get_context", "yield_event", "yield_result"]
