"""Hello, Headwater: three solids, one pipeline.

Run it:

    headwater pipeline execute -f examples/hello_headwater.py

Greet someone else, with a run config file:

    headwater pipeline execute -f examples/hello_headwater.py -c my_config.yaml

    # my_config.yaml
    solids:
      get_name:
        config:
          name: Ada

Show its structure:

    headwater pipeline print -f examples/hello_headwater.py --verbose
"""

from headwater import Field, pipeline, solid


@solid(config_schema={"name": Field(str, default_value="Headwater",
                                    description="Who to greet.")})
def get_name(context) -> str:
    """Read the name to greet from config."""
    return context.solid_config["name"]


@solid
def greet(context, name: str) -> str:
    """Make the greeting."""
    greeting = f"Hello, {name}!"
    context.log.info(greeting)
    return greeting


@solid
def shout(context, greeting: str) -> str:
    """Say it louder."""
    loud = greeting.upper()
    context.log.info(loud)
    return loud


@pipeline
def hello_headwater():
    """Greet someone, then shout it."""
    shout(greet(get_name()))
