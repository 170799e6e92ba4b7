"""The ``headwater`` command line.

Each command group lives in a module of its own (``pipeline.py`` is ``headwater pipeline``)
and is registered on the root group below; a new group (``headwater run``, ``headwater
instance``, ...) is one more module and one more ``add_command``. Commands import what is
heavy (rich, yaml, the execution layer's parts) inside their bodies, so that ``--help`` and
start-up stay fast.
"""

from __future__ import annotations

import click

from headwater.cli.pipeline import pipeline_cli

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="headwater", prog_name="headwater")
def cli() -> None:
    """Headwater: define data pipelines in Python, run them anywhere.

    \b
    Run an example:
        headwater pipeline execute -f examples/hello_headwater.py
    """


cli.add_command(pipeline_cli)


def main() -> None:
    """The ``headwater`` console script (and ``python -m headwater``)."""
    cli()
