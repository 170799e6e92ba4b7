"""Snowflake: a local Parquet file loaded into a table (load_table_from_local_parquet).

PUT uploads the file to the table's stage; the tests run this file in fakesnow's patch mode.
"""

import os
import tempfile

import pandas as pd
from _stand_in import STAND_IN

from headwater import ModeDefinition, execute_pipeline, pipeline, solid

folder = tempfile.mkdtemp()
pd.DataFrame({"id": [1, 2], "region": ["north", "south"]}).to_parquet(
    os.path.join(folder, "regions.parquet"))


# [start:parquet]
@solid(required_resource_keys={"snowflake"})
def load_regions(context) -> int:
    snowflake = context.resources.snowflake
    # Each row of the file becomes one VARIANT value in the column DATA.
    snowflake.load_table_from_local_parquet(os.path.join(folder, "regions.parquet"),
                                            "raw_regions")
    rows = snowflake.execute_query("SELECT data FROM raw_regions", fetch_results=True)
    return len(rows)
# [end:parquet]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": "snowflake_resource"})])
def regions():
    load_regions()


config = {"account": "myorg-myaccount", "user": "loader", "password": "not-checked",
          "database": "raw", "schema": "landing", **STAND_IN}
result = execute_pipeline(regions, run_config={"resources": {"snowflake": {"config": config}}})
assert result.output_for_solid("load_regions") == 2
