"""Snowflake: SQL from a solid (snowflake_resource).

The connection settings come from the environment: SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER,
SNOWFLAKE_PASSWORD, SNOWFLAKE_DATABASE, SNOWFLAKE_SCHEMA.
"""

from _stand_in import STAND_IN

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_snowflake import SnowflakeQueryError


# [start:resource]
@solid(required_resource_keys={"snowflake"})
def daily_revenue(context) -> float:
    snowflake = context.resources.snowflake
    snowflake.execute_queries([
        "CREATE OR REPLACE TABLE orders (id INT, amount FLOAT)",
        "INSERT INTO orders VALUES (1, 9.5), (2, 20.0), (3, 4.25)",
    ])
    rows = snowflake.execute_query("SELECT SUM(amount) FROM orders WHERE id <= %s",
                                   parameters=(3,), fetch_results=True)
    return rows[0][0]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": "snowflake_resource"})])
def revenue():
    daily_revenue()


run_config = {"resources": {"snowflake": {"config": {
    "account": {"env": "SNOWFLAKE_ACCOUNT"},
    "user": {"env": "SNOWFLAKE_USER"},
    "password": {"env": "SNOWFLAKE_PASSWORD"},
    "database": {"env": "SNOWFLAKE_DATABASE"},
    "schema": {"env": "SNOWFLAKE_SCHEMA"},
}}}}
# [end:resource]
run_config["resources"]["snowflake"]["config"].update(STAND_IN)
# [start:run]
result = execute_pipeline(revenue, run_config=run_config)
assert result.output_for_solid("daily_revenue") == 33.75
# [end:run]


# [start:connection]
@solid(required_resource_keys={"snowflake"})
def archive_orders(context) -> int:
    # One transaction for both statements: the cursor is the connector's own.
    with context.resources.snowflake.get_connection() as connection:
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        cursor.execute("CREATE TABLE IF NOT EXISTS orders_archive (id INT, amount FLOAT)")
        cursor.execute("INSERT INTO orders_archive SELECT * FROM orders")
        cursor.execute("DELETE FROM orders")
        cursor.execute("COMMIT")
        return cursor.execute("SELECT COUNT(*) FROM orders_archive").fetchone()[0]
# [end:connection]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": "snowflake_resource"})])
def archive():
    archive_orders()


assert execute_pipeline(archive, run_config=run_config).output_for_solid("archive_orders") == 3


# [start:errors]
@solid(required_resource_keys={"snowflake"})
def typo(context):
    try:
        context.resources.snowflake.execute_query("SELEC * FROM orders")
    except SnowflakeQueryError as error:
        context.log.error(f"{error.errno}: {error.server_message}")
        raise
# [end:errors]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": "snowflake_resource"})])
def broken():
    typo()


failed = execute_pipeline(broken, run_config=run_config, raise_on_error=False)
message = failed.result_for_solid("typo").failure_data.error.message
assert "Snowflake refused the statement\n\n    SELEC * FROM orders\n\n" in message, message
