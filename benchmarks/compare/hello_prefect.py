"""The 3-step hello of the CLI figure, in Prefect: ``python hello_prefect.py``.

The same three steps as ``examples/hello_headwater.py``: take a name (a flow parameter),
greet, shout.
"""

from prefect import flow, get_run_logger, task


@task
def get_name(name: str) -> str:
    """The name to greet."""
    return name


@task
def greet(name: str) -> str:
    """Make the greeting."""
    greeting = f"Hello, {name}!"
    get_run_logger().info(greeting)
    return greeting


@task
def shout(greeting: str) -> str:
    """Say it louder."""
    loud = greeting.upper()
    get_run_logger().info(loud)
    return loud


@flow
def hello_prefect(name: str = "Headwater") -> str:
    """Greet someone, then shout it."""
    return shout(greet(get_name(name)))


if __name__ == "__main__":
    hello_prefect()
