"""Snowflake: solids made from SQL statements (snowflake_solid_for_query)."""

from _stand_in import STAND_IN

from headwater import ModeDefinition, execute_pipeline, pipeline
from headwater_snowflake import snowflake_resource, snowflake_solid_for_query

# [start:query-solid]
create_orders = snowflake_solid_for_query(
    "CREATE OR REPLACE TABLE orders (id INT, region TEXT, amount FLOAT)", name="create_orders")
insert_orders = snowflake_solid_for_query(
    "INSERT INTO orders VALUES (1, 'north', 9.5), (2, 'south', 20.0), (3, 'north', 4.25)",
    name="insert_orders")
revenue_by_region = snowflake_solid_for_query(
    "SELECT region, SUM(amount) AS revenue FROM orders GROUP BY region ORDER BY region",
    name="revenue_by_region", output="dataframe")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": snowflake_resource})])
def regions():
    # start= orders the statements without passing data between them.
    revenue_by_region(start=insert_orders(start=create_orders()))
# [end:query-solid]


config = {"account": "myorg-myaccount", "user": "reporter", "password": "not-checked",
          "database": "analytics", "schema": "public", **STAND_IN}
result = execute_pipeline(regions, run_config={"resources": {"snowflake": {"config": config}}})
frame = result.output_for_solid("revenue_by_region")
assert frame.to_dict("records") == [{"region": "north", "revenue": 13.75},
                                    {"region": "south", "revenue": 20.0}]
