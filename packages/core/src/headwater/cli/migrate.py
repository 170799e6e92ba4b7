"""``headwater migrate PATH [--diff]``: rewrite legacy solid/pipeline code for Headwater.

The rewriting itself is in :mod:`headwater.cli.migrate_rewrite`; this module finds the
files, writes them back (or prints a unified diff with ``--diff``) and reports.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator

import click

from headwater.cli.errors import fail

# Folders no project's own code lives in.
_SKIPPED_DIRS = {".git", ".hg", ".nox", ".tox", ".venv", "venv", "__pycache__", "build",
                 "dist", "node_modules", "site-packages"}


def _python_files(path: str) -> Iterator[str]:
    if os.path.isfile(path):
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


@click.command("migrate", short_help="Rewrite legacy solid/pipeline code for Headwater.")
@click.argument("path", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--diff", "show_diff", is_flag=True,
              help="Print what would change as a unified diff; write nothing.")
def migrate_command(path: str, show_diff: bool) -> None:
    """Rewrite the Python files under PATH (a file or a folder) for Headwater, in place.

    Imports of the legacy packages and module paths become imports of headwater and its
    integration packages, renamed names follow (DagsterType → HeadwaterType,
    DagsterInstance → Instance, ...), and every dagster_type= keyword becomes
    headwater_type=. Comments and formatting are kept. Needs the migrate extra:
    pip install 'headwater[migrate]'.

    \b
    Examples:
        headwater migrate my_project/ --diff     # look first
        headwater migrate my_project/
    """
    try:
        import libcst
    except ImportError:
        fail("headwater migrate needs libcst, which Headwater does not install by default. "
             "Install it with: pip install 'headwater[migrate]' (from a checkout: "
             "pip install -e 'packages/core[migrate]').")
    from headwater.cli.migrate_rewrite import rewrite_source

    changed = unchanged = 0
    for file_path in _python_files(path):
        with open(file_path, encoding="utf-8") as file:
            source = file.read()
        try:
            result = rewrite_source(source)
        except libcst.ParserSyntaxError as error:
            fail(f"Could not parse {file_path}: {error.message} (line {error.raw_line}); "
                 "fix the syntax error, then run headwater migrate again. Nothing was written "
                 "for this file.")
        if not result.changed:
            unchanged += 1
            continue
        changed += 1
        if show_diff:
            click.echo("".join(difflib.unified_diff(
                source.splitlines(keepends=True), result.source.splitlines(keepends=True),
                fromfile=file_path, tofile=file_path)), nl=False)
        else:
            with open(file_path, "w", encoding="utf-8") as file:
                file.write(result.source)
    verb = "would change" if show_diff else "rewrote"
    click.echo(f"{verb} {changed} file{'' if changed == 1 else 's'}, "
               f"{unchanged} without legacy code.", err=True)
