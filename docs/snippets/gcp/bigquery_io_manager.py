"""GCP: DataFrame outputs as BigQuery tables with bigquery_pandas_io_manager."""

import os

import pandas as pd

from headwater import ModeDefinition, OutputDefinition, execute_pipeline, pipeline, solid
from headwater_gcp import (
    ConfigPlace,
    bigquery_pandas_io_manager,
    bigquery_resource,
    make_bigquery_client,
)

PROJECT = os.environ.get("GOOGLE_CLOUD_PROJECT", "my-project")
# A client made as bigquery_resource makes it (BIGQUERY_EMULATOR_HOST is honoured).
client = make_bigquery_client(ConfigPlace("this script", "its code"), project=PROJECT)
client.create_dataset(f"{PROJECT}.analytics", exists_ok=True)


# [start:io-manager]
@solid
def orders() -> pd.DataFrame:  # -> table analytics.orders_result
    return pd.DataFrame({"region": ["north", "south", "north"], "total": [9.5, 20.0, 4.25]})


@solid(output_defs=[OutputDefinition(metadata={"table": "revenue"})])  # -> analytics.revenue
def revenue(orders: pd.DataFrame) -> pd.DataFrame:
    return orders.groupby("region", as_index=False)["total"].sum()


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "io_manager": bigquery_pandas_io_manager,
    "bigquery": bigquery_resource,
})])
def revenue_report():
    revenue(orders())


result = execute_pipeline(revenue_report, run_config={"resources": {
    "io_manager": {"config": {"dataset": f"{PROJECT}.analytics"}},
}})
# [end:io-manager]
assert sorted(result.output_for_solid("revenue")["total"]) == [13.75, 20.0]


# [start:partitioned]
@solid(config_schema={"day": str},
       output_defs=[OutputDefinition(metadata={"table": "daily_orders",
                                               "partition_field": "day"})])
def daily_orders(context) -> pd.DataFrame:
    day = context.solid_config["day"]
    return pd.DataFrame({"day": [day, day], "total": [9.5, 20.0]})


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "io_manager": bigquery_pandas_io_manager, "bigquery": bigquery_resource})])
def daily():
    daily_orders()


for day in ("2024-01-01", "2024-01-02", "2024-01-01"):  # the third run replaces 01-01 only
    execute_pipeline(daily, run_config={
        "resources": {"io_manager": {"config": {"dataset": f"{PROJECT}.analytics"}}},
        "solids": {"daily_orders": {"config": {"day": day}}}})
# [end:partitioned]
counted = client.query(
    f"SELECT COUNT(*) AS n FROM `{PROJECT}.analytics.daily_orders`").result()
assert next(iter(counted))["n"] == 4
