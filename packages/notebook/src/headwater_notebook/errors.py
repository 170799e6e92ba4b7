"""The errors of headwater-notebook."""

from __future__ import annotations

from headwater import HeadwaterError


class HeadwaterNotebookError(HeadwaterError):
    """A notebook solid cannot run as defined or configured: its notebook file or kernel is
    missing, an input cannot reach the kernel, or the notebook yielded something the solid
    does not have."""


class NotebookExecutionError(Exception):
    """A cell of a notebook solid's notebook raised, or did not finish in time.

    The message shows the failing cell's source and the traceback the kernel printed, and
    where the partially executed notebook was saved. It is the user's code failing, so a
    solid's ``RetryPolicy`` applies to it as to any exception a solid's own code raises
    (which is why it is not a ``HeadwaterError``).

    Attributes:
        solid_name: The notebook solid.
        cell_index: The index of the failing cell in the executed notebook (None when the
            kernel died outside any cell).
        source: The failing cell's source.
        traceback: The traceback the kernel printed, without terminal colours.
        notebook_path: Where the partially executed notebook was saved, if it was.
    """

    def __init__(self, message: str, solid_name: str, cell_index: int | None = None,
                 source: str | None = None, traceback: str | None = None,
                 notebook_path: str | None = None) -> None:
        self.solid_name = solid_name
        self.cell_index = cell_index
        self.source = source
        self.traceback = traceback
        self.notebook_path = notebook_path
        super().__init__(message)
