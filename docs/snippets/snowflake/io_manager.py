"""Snowflake: DataFrames stored as tables (snowflake_pandas_io_manager).

write_pandas uploads files to a stage; the tests run this file in fakesnow's patch mode.
"""

from datetime import datetime, timedelta

import pandas as pd
from _stand_in import STAND_IN

from headwater import (
    ModeDefinition,
    OutputDefinition,
    PartitionSetDefinition,
    date_partition_range,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater_snowflake import SnowflakeConnection

run_config = {"resources": {"snowflake": {"config": {
    "account": "myorg-myaccount", "user": "reporter", "password": "not-checked",
    "database": "analytics", "schema": "public", **STAND_IN}}}}


# [start:io-manager]
@solid(output_defs=[OutputDefinition(metadata={"table": "analytics.public.orders"})])
def orders() -> pd.DataFrame:
    return pd.DataFrame({"id": [1, 2, 3], "region": ["north", "south", "north"],
                         "amount": [9.5, 20.0, 4.25]})


@solid
def north_revenue(orders: pd.DataFrame) -> pd.DataFrame:
    # `orders` was loaded back from the table ANALYTICS.PUBLIC.ORDERS.
    north = orders[orders["region"] == "north"]
    return pd.DataFrame({"region": ["north"], "revenue": [north["amount"].sum()]})


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "io_manager": "snowflake_pandas_io_manager",
    "snowflake": "snowflake_resource",
})])
def revenue_tables():
    north_revenue(orders())
# [end:io-manager]


assert execute_pipeline(revenue_tables, run_config=run_config).success
connection = SnowflakeConnection(run_config["resources"]["snowflake"]["config"])
# north_revenue's output has no "table" metadata: its table is named after the solid.
assert connection.execute_query("SELECT revenue FROM north_revenue",
                                fetch_results=True) == [(13.75,)]


# [start:partitions]
@solid(config_schema={"day": str},
       output_defs=[OutputDefinition(metadata={"partition_expr": "ordered_at"})])
def daily_orders(context) -> pd.DataFrame:
    day = context.solid_config["day"]
    return pd.DataFrame({"ordered_at": pd.to_datetime([f"{day}T09:30:00Z"], utc=True),
                         "amount": [9.5]})


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "io_manager": "snowflake_pandas_io_manager", "snowflake": "snowflake_resource"})])
def orders_by_day():
    daily_orders()


def run_config_for(partition):
    day, next_day = partition.value, partition.value + timedelta(days=1)
    return {"solids": {"daily_orders": {
        "config": {"day": f"{day:%Y-%m-%d}"},
        # The output replaces only the rows whose ordered_at falls in [start, end).
        "outputs": {"result": {"partition": {"start": f"{day:%Y-%m-%d}",
                                             "end": f"{next_day:%Y-%m-%d}"}}},
    }}}


days = PartitionSetDefinition(
    "days", "orders_by_day",
    partition_fn=date_partition_range(datetime(2024, 1, 1), datetime(2024, 1, 4)),
    run_config_fn_for_partition=run_config_for)
# [end:partitions]

for partition in days.get_partitions():
    config = {**days.run_config_for_partition(partition), **run_config}
    assert execute_pipeline(orders_by_day, run_config=config).success
# Running a day again replaces that day's rows only.
config = {**days.run_config_for_partition(days.get_partitions()[0]), **run_config}
assert execute_pipeline(orders_by_day, run_config=config).success
assert connection.execute_query("SELECT COUNT(*) FROM daily_orders",
                                fetch_results=True) == [(3,)]
