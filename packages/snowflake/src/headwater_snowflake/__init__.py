"""Headwater on Snowflake: a connection resource, SQL solids and a DataFrame IO manager.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"snowflake_resource"`` or
``"snowflake_pandas_io_manager"`` without importing anything. Importing it gives the
definitions themselves::

    from headwater_snowflake import snowflake_pandas_io_manager, snowflake_resource

    ModeDefinition("warehouse", resource_defs={"io_manager": snowflake_pandas_io_manager,
                                               "snowflake": snowflake_resource})
"""

from headwater_snowflake.connection import SnowflakeConnection
from headwater_snowflake.errors import (
    HeadwaterSnowflakeError,
    SnowflakeConfigError,
    SnowflakeConnectionError,
    SnowflakeQueryError,
    SnowflakeTableMismatchError,
    SnowflakeTableNotFoundError,
)
from headwater_snowflake.io_managers import (
    SnowflakePandasIOManager,
    TableName,
    snowflake_pandas_io_manager,
)
from headwater_snowflake.resources import SNOWFLAKE_CONFIG, snowflake_resource
from headwater_snowflake.solids import snowflake_solid_for_query

__version__ = "0.1.0"

__all__ = [
    "SNOWFLAKE_CONFIG", "HeadwaterSnowflakeError", "SnowflakeConfigError",
    "SnowflakeConnection", "SnowflakeConnectionError", "SnowflakePandasIOManager",
    "SnowflakeQueryError", "SnowflakeTableMismatchError", "SnowflakeTableNotFoundError",
    "TableName", "snowflake_pandas_io_manager", "snowflake_resource",
    "snowflake_solid_for_query",
]
