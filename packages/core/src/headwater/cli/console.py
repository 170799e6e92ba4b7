"""Where the command line writes, and how it looks on a terminal and off one.

A command's report (a run's steps, a table of pipelines) goes to stdout; errors that stop a
command before it does its work go to stderr. On a terminal, output is colored and wrapped
to the terminal's width; elsewhere (a pipe, a CI log) it is plain text, one line per line.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Symbols:
    """The marks put in front of report lines."""

    start: str
    success: str
    failure: str
    skipped: str
    retry: str


UNICODE_SYMBOLS = Symbols(start="▶", success="✓", failure="✗", skipped="○", retry="↻")
ASCII_SYMBOLS = Symbols(start=">", success="OK", failure="X", skipped="-", retry="R")


def make_console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr) that prints text as given: no markup, no emoji codes
    and no guessing of colors for numbers; lines are not wrapped when it is not a terminal."""
    console = Console(stderr=stderr, markup=False, emoji=False, highlight=False)
    console.soft_wrap = not console.is_terminal
    return console


def make_run_console() -> Console:
    """A console for the report of a run executing in this process.

    While a step runs, compute logs take over file descriptors 1 and 2 of the process (what
    the step prints goes to its log files). The report must still reach the terminal, and
    stay out of the step's logs: this console writes to a duplicate of stdout's descriptor,
    taken now, before any capture. Where stdout has no descriptor (a test's captured
    output), it writes to ``sys.stdout`` itself.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return make_console()
    sys.stdout.flush()
    # Kept open for the life of the process, like stdout itself.
    terminal = os.fdopen(os.dup(fd), "w", encoding=sys.stdout.encoding,
                         errors=sys.stdout.errors, buffering=1)
    console = Console(file=terminal, markup=False, emoji=False, highlight=False)
    console.soft_wrap = not console.is_terminal
    return console


def symbols_for(console: Console) -> Symbols:
    """Unicode marks where the output encoding can show them, ASCII ones elsewhere."""
    return UNICODE_SYMBOLS if console.encoding.lower().startswith("utf") else ASCII_SYMBOLS


def format_duration(seconds: float) -> str:
    """A short duration: ``0.42 ms``, ``12 ms``, ``1.25 s``, ``3m 05s``."""
    if seconds < 0.001:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 0.1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def new_table(console: Console) -> Table:
    """A table as every command prints one: a rule under the header on a terminal, plain
    columns elsewhere."""
    from rich import box

    return Table(box=box.SIMPLE_HEAD if console.is_terminal else None, show_edge=False,
                 header_style="bold", pad_edge=False)


def print_table(console: Console, table: Table) -> None:
    """Print a table: fitted to the terminal's width, or off a terminal (where nothing limits
    the width) one line per row."""
    if not console.is_terminal:
        from rich.measure import Measurement
        from rich.text import Text

        natural = Measurement.get(console, console.options.update(width=10_000), table)
        console.width = max(console.width, natural.maximum)
        # Columns are padded to the widest cell; trailing blanks only get in the way of
        # whatever reads piped output.
        with console.capture() as captured:
            console.print(table)
        for line in captured.get().splitlines():
            console.print(Text(line.rstrip()))
        return
    console.print(table)
