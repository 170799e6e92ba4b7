"""Pipelines the GCP tests run, at module level so that worker processes can load them."""

from __future__ import annotations

import os
import sys

import pandas as pd

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
    ModeDefinition,
    OutputDefinition,
    pipeline,
    solid,
)
from headwater_gcp import (
    bigquery_pandas_io_manager,
    bigquery_resource,
    gcs_pickle_io_manager,
    gcs_resource,
)

# The file each solid appends its name to when it runs (when the variable is set).
CALLS_ENV = "HEADWATER_GCP_TEST_CALLS"

gcs_mode = ModeDefinition(resource_defs={"io_manager": gcs_pickle_io_manager,
                                         "gcs": gcs_resource})
bigquery_mode = ModeDefinition(resource_defs={"io_manager": bigquery_pandas_io_manager,
                                              "bigquery": bigquery_resource})


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
    return sum(doubled)


@pipeline(mode_defs=[gcs_mode])
def sum_pipeline():
    total(doubled(numbers()))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": "gcs_pickle_io_manager",
                                                    "gcs": "gcs_resource"})])
def sum_pipeline_by_plugin_names():
    total(doubled(numbers()))


@solid(output_defs=[DynamicOutputDefinition(int)])
def fan_out():
    for n in (1, 2, 3):
        yield DynamicOutput(n, mapping_key=f"n{n}")


@solid
def square(n: int) -> int:
    return n * n


@pipeline(mode_defs=[gcs_mode])
def squares_pipeline():
    fan_out().map(square)


@solid
def chatty(context) -> str:
    print("rows loaded: 42")
    print("warning: 3 rows skipped", file=sys.stderr)
    return "done"


@solid
def quiet(chatty: str) -> str:
    print(f"after {chatty}")
    return f"after {chatty}"


@pipeline(mode_defs=[gcs_mode])
def chatty_pipeline():
    quiet(chatty())


# -- DataFrames in BigQuery ---------------------------------------------------------------


@solid
def orders() -> pd.DataFrame:
    record_call("orders")
    return pd.DataFrame({"region": ["north", "south", "north"], "amount": [10.5, 20.0, 3.25],
                         "items": [1, 2, 3]})


@solid(config_schema={"fail": Field(bool, default_value=False)})
def region_totals(context, orders: pd.DataFrame) -> pd.DataFrame:
    record_call("region_totals")
    if context.solid_config["fail"]:
        raise ValueError("region_totals fails on purpose")
    totals = orders.groupby("region", as_index=False)["amount"].sum()
    return totals.sort_values("region").reset_index(drop=True)


@pipeline(mode_defs=[bigquery_mode])
def orders_pipeline():
    region_totals(orders())


@solid(config_schema={"day": str},
       output_defs=[OutputDefinition(metadata={"table": "daily_sales",
                                               "partition_field": "day"})])
def daily_sales(context) -> pd.DataFrame:
    day = context.solid_config["day"]
    return pd.DataFrame({"day": [day, day], "sku": ["a", "b"],
                         "sold": [len(day), 2 * len(day)]})


@pipeline(mode_defs=[bigquery_mode])
def daily_sales_pipeline():
    daily_sales()
