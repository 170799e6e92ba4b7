"""The 3-step hello of the CLI figure, in Dagster: ``dagster job execute -f hello_dagster.py``.

The same three steps as ``examples/hello_headwater.py``: read a name from config, greet,
shout.
"""

from dagster import Config, OpExecutionContext, job, op


class NameConfig(Config):
    """Who to greet."""

    name: str = "Headwater"


@op
def get_name(config: NameConfig) -> str:
    """Read the name to greet from config."""
    return config.name


@op
def greet(context: OpExecutionContext, name: str) -> str:
    """Make the greeting."""
    greeting = f"Hello, {name}!"
    context.log.info(greeting)
    return greeting


@op
def shout(context: OpExecutionContext, greeting: str) -> str:
    """Say it louder."""
    loud = greeting.upper()
    context.log.info(loud)
    return loud


@job
def hello_dagster() -> None:
    """Greet someone, then shout it."""
    shout(greet(get_name()))
