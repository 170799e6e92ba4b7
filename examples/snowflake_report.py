"""Revenue by region: load orders, query them with SQL, shape a report with pandas and
write it back as a table. One pipeline, two warehouses: only the mode differs.

In ``snowflake`` mode the tables live in Snowflake: DataFrames are written with
``write_pandas`` by ``snowflake_pandas_io_manager`` and the query runs on the
``snowflake`` resource. In ``local`` mode the same solids run on a SQLite file, through a
resource and an IO manager defined below with the same interface. Needs
``pip install -e packages/core -e packages/snowflake`` from a checkout (``pip install
'headwater[snowflake]'`` once published).

Run it on a local SQLite file (``report.sqlite``, or the path in $REPORT_SQLITE_PATH):

    headwater pipeline execute -f examples/snowflake_report.py --mode local

Run it on Snowflake (the connection settings from the environment):

    SNOWFLAKE_ACCOUNT=myorg-myaccount SNOWFLAKE_USER=... SNOWFLAKE_PASSWORD=... \\
    SNOWFLAKE_DATABASE=ANALYTICS SNOWFLAKE_SCHEMA=REPORTS SNOWFLAKE_WAREHOUSE=... \\
        headwater pipeline execute -f examples/snowflake_report.py --mode snowflake
"""

import os
import sqlite3

import pandas as pd

from headwater import (
    IOManager,
    ModeDefinition,
    OutputDefinition,
    io_manager,
    pipeline,
    resource,
    solid,
)
from headwater_snowflake import (
    snowflake_pandas_io_manager,
    snowflake_resource,
    snowflake_solid_for_query,
)


@solid(output_defs=[OutputDefinition(metadata={"table": "raw_orders"})])
def load_orders(context) -> pd.DataFrame:
    """The day's orders (a stand-in for an extract from a shop's API)."""
    return pd.DataFrame({"id": [1, 2, 3, 4], "region": ["north", "south", "north", "east"],
                         "amount": [9.5, 20.0, 4.25, 12.0]})


revenue_by_region = snowflake_solid_for_query(
    "SELECT region, SUM(amount) AS revenue, COUNT(*) AS orders "
    "FROM raw_orders GROUP BY region ORDER BY region",
    name="revenue_by_region", output="dataframe",
    description="Revenue and order count per region")


@solid(output_defs=[OutputDefinition(metadata={"table": "region_report"})])
def region_report(context, revenue_by_region: pd.DataFrame) -> pd.DataFrame:
    """Each region's share of the revenue, largest first."""
    report = revenue_by_region.assign(
        share=(revenue_by_region["revenue"] / revenue_by_region["revenue"].sum()).round(4))
    report = report.sort_values("revenue", ascending=False).reset_index(drop=True)
    context.log.info(f"Top region: {report['region'][0]} ({report['share'][0]:.1%})")
    return report


# -- local mode: the same interface on a SQLite file ----------------------------------------


class SqliteWarehouse:
    """execute_query on a SQLite file, as SnowflakeConnection offers it on Snowflake."""

    def __init__(self, path: str) -> None:
        self.path = path

    def execute_query(self, sql, parameters=None, fetch_results=False,
                      use_pandas_result=False):
        with sqlite3.connect(self.path) as connection:
            if use_pandas_result:
                return pd.read_sql_query(sql, connection, params=parameters)
            rows = connection.execute(sql, parameters or ()).fetchall()
        return rows if fetch_results else None


@resource
def sqlite_warehouse(init_context):
    return SqliteWarehouse(os.environ.get("REPORT_SQLITE_PATH", "report.sqlite"))


class SqlitePandasIOManager(IOManager):
    """Each output a table of the SQLite file (metadata "table", else the solid's name),
    each input a DataFrame."""

    def __init__(self, warehouse: SqliteWarehouse) -> None:
        self.warehouse = warehouse

    @staticmethod
    def table_for(output_context):
        return output_context.metadata.get("table") or output_context.solid_def.name

    def handle_output(self, context, obj):
        with sqlite3.connect(self.warehouse.path) as connection:
            obj.to_sql(self.table_for(context), connection, if_exists="replace", index=False)

    def load_input(self, context):
        table = self.table_for(context.upstream_output)
        return self.warehouse.execute_query(f"SELECT * FROM {table}", use_pandas_result=True)


@io_manager(required_resource_keys={"snowflake"})
def sqlite_pandas_io_manager(init_context):
    return SqlitePandasIOManager(init_context.resources.snowflake)


@pipeline(mode_defs=[
    ModeDefinition("local", resource_defs={"snowflake": sqlite_warehouse,
                                           "io_manager": sqlite_pandas_io_manager},
                   description="Tables in a SQLite file ($REPORT_SQLITE_PATH, default "
                               "report.sqlite)."),
    ModeDefinition("snowflake", resource_defs={
        # Read from the environment when a run starts: the file loads, and runs in local
        # mode, without them.
        "snowflake": snowflake_resource.configured({
            "account": {"env": "SNOWFLAKE_ACCOUNT"},
            "user": {"env": "SNOWFLAKE_USER"},
            "password": {"env": "SNOWFLAKE_PASSWORD"},
            "database": {"env": "SNOWFLAKE_DATABASE"},
            "schema": {"env": "SNOWFLAKE_SCHEMA"},
            "warehouse": {"env": "SNOWFLAKE_WAREHOUSE"},
        }),
        "io_manager": snowflake_pandas_io_manager,
    }, description="Tables in Snowflake, in $SNOWFLAKE_DATABASE.$SNOWFLAKE_SCHEMA."),
])
def snowflake_report():
    """Load the orders, sum them by region in SQL, and write the report table."""
    region_report(revenue_by_region(start=load_orders()))
