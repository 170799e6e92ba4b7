"""AWS: SQL on Redshift (redshift_resource).

The connection settings come from the environment: REDSHIFT_HOST, REDSHIFT_PORT,
REDSHIFT_DATABASE, REDSHIFT_USER, REDSHIFT_PASSWORD.
"""

import os

from headwater import ModeDefinition, execute_pipeline, pipeline, solid

sslmode = os.environ.get("REDSHIFT_SSLMODE", "require")  # a local stand-in has no TLS


# [start:resource]
@solid(required_resource_keys={"warehouse"})
def daily_revenue(context) -> float:
    # One connection for the three: the temporary table lives as long as it.
    *_, rows = context.resources.warehouse.execute_queries([
        "CREATE TEMP TABLE orders (id int, total numeric(10, 2))",
        "INSERT INTO orders VALUES (1, 9.50), (2, 20.00), (3, 4.25)",
        "SELECT sum(total) FROM orders",
    ], fetch_results=True)
    return float(rows[0][0])


@pipeline(mode_defs=[ModeDefinition(resource_defs={"warehouse": "redshift_resource"})])
def revenue():
    daily_revenue()


result = execute_pipeline(revenue, run_config={"resources": {"warehouse": {"config": {
    "host": {"env": "REDSHIFT_HOST"},
    "port": {"env": "REDSHIFT_PORT"},          # default 5439
    "database": {"env": "REDSHIFT_DATABASE"},
    "user": {"env": "REDSHIFT_USER"},
    "password": {"env": "REDSHIFT_PASSWORD"},
    "sslmode": sslmode,                        # default "require"
}}}})
# [end:resource]
assert result.output_for_solid("daily_revenue") == 33.75
