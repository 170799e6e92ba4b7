"""Headwater on Snowflake: a connection resource, SQL solids and a DataFrame IO manager.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"snowflake_resource"`` or
``"snowflake_pandas_io_manager"`` without importing anything. Importing it gives the
definitions themselves::

    from headwater_snowflake import snowflake_pandas_io_manager, snowflake_resource

    ModeDefinition("warehouse", resource_defs={"io_manager": snowflake_pandas_io_manager,
                                               "snowflake": snowflake_resource})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "SnowflakeConnection": "headwater_snowflake.connection",
    "HeadwaterSnowflakeError": "headwater_snowflake.errors",
    "SnowflakeConfigError": "headwater_snowflake.errors",
    "SnowflakeConnectionError": "headwater_snowflake.errors",
    "SnowflakeQueryError": "headwater_snowflake.errors",
    "SnowflakeTableMismatchError": "headwater_snowflake.errors",
    "SnowflakeTableNotFoundError": "headwater_snowflake.errors",
    "SnowflakePandasIOManager": "headwater_snowflake.io_managers",
    "TableName": "headwater_snowflake.io_managers",
    "snowflake_pandas_io_manager": "headwater_snowflake.io_managers",
    "SNOWFLAKE_CONFIG": "headwater_snowflake.resources",
    "snowflake_resource": "headwater_snowflake.resources",
    "snowflake_solid_for_query": "headwater_snowflake.solids",
}

__version__ = "0.1.0"

__all__ = [
    "SNOWFLAKE_CONFIG", "HeadwaterSnowflakeError", "SnowflakeConfigError",
    "SnowflakeConnection", "SnowflakeConnectionError", "SnowflakePandasIOManager",
    "SnowflakeQueryError", "SnowflakeTableMismatchError", "SnowflakeTableNotFoundError",
    "TableName", "snowflake_pandas_io_manager", "snowflake_resource",
    "snowflake_solid_for_query",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
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
