"""Turning the errors a command meets into messages and exit codes.

Mistakes in what the user gave (config, names, selection, definitions, code that does not
load) are printed without a Python traceback of Headwater's own and exit with status 2,
like a usage error; a traceback is shown only when it is the user's code that raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from headwater.errors import (
    HeadwaterCliError,
    HeadwaterCodeLoadError,
    HeadwaterInstanceError,
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvalidSubsetError,
    HeadwaterInvariantViolationError,
    HeadwaterRunNotFoundError,
)

USAGE_ERROR_EXIT_CODE = 2

_USER_MISTAKES = (HeadwaterCliError, HeadwaterInvalidDefinitionError,
                  HeadwaterInvalidSubsetError, HeadwaterInvariantViolationError,
                  HeadwaterInstanceError, HeadwaterRunNotFoundError)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Print the user's mistakes raised inside the block and exit with status 2."""
    try:
        yield
    except HeadwaterInvalidConfigError as error:
        _print_config_error(error)
        raise click.exceptions.Exit(USAGE_ERROR_EXIT_CODE) from None
    except HeadwaterCodeLoadError as error:
        fail(str(error), details=error.user_traceback)
    except _USER_MISTAKES as error:
        fail(str(error))


@contextmanager
def opened_instance() -> Iterator[Any]:
    """The instance of ``$HEADWATER_HOME``, its mistakes (and those of the block) reported
    as command errors."""
    from headwater.instance import Instance

    with reported_errors():
        instance = Instance.get()
    with instance, reported_errors():
        yield instance


def fail(message: str, details: str | None = None) -> NoReturn:
    """Print ``Error: message`` (and details below it) on stderr and exit with status 2."""
    from rich.text import Text

    from headwater.cli.console import make_console

    console = make_console(stderr=True)
    console.print(Text.assemble(("Error: ", "bold red"), message))
    if details:
        console.print(Text(details.rstrip("\n"), style="dim"))
    raise click.exceptions.Exit(USAGE_ERROR_EXIT_CODE)


def _print_config_error(error: HeadwaterInvalidConfigError) -> None:
    from rich.text import Text

    from headwater.cli.console import make_console

    console = make_console(stderr=True)
    count = len(error.errors)
    found = f"{count} error{'s' if count != 1 else ''}"
    console.print(Text(f"{error.preamble.rstrip('.:')}: {found}", style="bold red"))
    # Each message names its path (solids.load.config.region) and what was expected.
    for number, item in enumerate(error.errors, start=1):
        console.print(Text(f"  {number}. {getattr(item, 'message', item)}"))
