"""Pipelines the Azure tests run, at module level so that worker processes can load them."""

from __future__ import annotations

import os
import sys

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    pipeline,
    solid,
)
from headwater_azure import adls2_pickle_io_manager, adls2_resource

# The file each solid appends its name to when it runs (when the variable is set).
CALLS_ENV = "HEADWATER_AZURE_TEST_CALLS"

adls2_mode = ModeDefinition(resource_defs={"io_manager": adls2_pickle_io_manager,
                                           "adls2": adls2_resource})


def record_call(name: str) -> None:
    path = os.environ.get(CALLS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(f"{name}\n")


def calls(path) -> list[str]:
    """The solids that ran, in order, from the calls file."""
    return path.read_text().split() if path.exists() else []


@solid
def numbers() -> list[int]:
    record_call("numbers")
    return [1, 2, 3]


@solid
def doubled(numbers: list[int]) -> list[int]:
    record_call("doubled")
    return [n * 2 for n in numbers]


@solid(config_schema={"fail": Field(bool, default_value=False)})
def total(context, doubled: list[int]) -> int:
    record_call("total")
    if context.solid_config["fail"]:
        raise ValueError("total fails on purpose")
    context.log.info(f"The total is {sum(doubled)}.")
    return sum(doubled)


@pipeline(mode_defs=[adls2_mode])
def sum_pipeline():
    total(doubled(numbers()))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": "adls2_pickle_io_manager",
                                                    "adls2": "adls2_resource"})])
def sum_pipeline_by_plugin_names():
    total(doubled(numbers()))


@solid(output_defs=[DynamicOutputDefinition(int)])
def fan_out():
    for n in (1, 2, 3):
        yield DynamicOutput(n, mapping_key=f"n{n}")


@solid
def square(n: int) -> int:
    return n * n


@pipeline(mode_defs=[adls2_mode])
def squares_pipeline():
    fan_out().map(square)


@solid
def chatty(context) -> str:
    print("rows loaded: 42")
    print("warning: 3 rows skipped", file=sys.stderr)
    context.log.info("chatty logged a line from its worker")
    return "done"


@solid
def quiet(chatty: str) -> str:
    note = f"after {chatty}"
    print(note)
    return note


@pipeline(mode_defs=[adls2_mode])
def chatty_pipeline():
    quiet(chatty())
