"""headwater-spark's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
The definitions import pyspark only when they run, so registering them is cheap.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """``resource_defs={"pyspark": "pyspark_resource", "spark": "spark_resource"}``."""
    from headwater_spark.resources import pyspark_resource, spark_resource

    return {"pyspark_resource": pyspark_resource, "spark_resource": spark_resource}


@hookimpl
def headwater_io_managers() -> dict[str, Any]:
    """``resource_defs={"io_manager": "pyspark_parquet_io_manager", "pyspark": ...}``."""
    from headwater_spark.io_managers import pyspark_parquet_io_manager

    return {"pyspark_parquet_io_manager": pyspark_parquet_io_manager}


@hookimpl
def headwater_types() -> list[Any]:
    """The ``PySparkDataFrame`` type."""
    from headwater_spark.dataframe import DataFrame

    return [DataFrame]


@hookimpl
def headwater_solid_factories() -> dict[str, Any]:
    """``create_spark_solid(name, main_class)``."""
    from headwater_spark.solids import create_spark_solid

    return {"create_spark_solid": create_spark_solid}


@hookimpl
def headwater_executors() -> list[Any]:
    """The ``spark`` executor: ``execution: {spark: {config: {master: ...}}}``."""
    from headwater_spark.executor import spark_executor

    return [spark_executor]
