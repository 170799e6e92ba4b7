"""headwater-snowflake's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
The definitions import the Snowflake connector only when they connect, so registering them
is cheap.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """``resource_defs={"snowflake": "snowflake_resource"}``."""
    from headwater_snowflake.resources import snowflake_resource

    return {"snowflake_resource": snowflake_resource}


@hookimpl
def headwater_io_managers() -> dict[str, Any]:
    """``resource_defs={"io_manager": "snowflake_pandas_io_manager", "snowflake":
    "snowflake_resource"}``."""
    from headwater_snowflake.io_managers import snowflake_pandas_io_manager

    return {"snowflake_pandas_io_manager": snowflake_pandas_io_manager}


@hookimpl
def headwater_solid_factories() -> dict[str, Any]:
    """``snowflake_solid_for_query(sql, parameters)``."""
    from headwater_snowflake.solids import snowflake_solid_for_query

    return {"snowflake_solid_for_query": snowflake_solid_for_query}
