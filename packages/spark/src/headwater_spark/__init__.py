"""Headwater on Apache Spark.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"pyspark_resource"`` without importing anything.
Importing it gives the definitions themselves::

    from headwater_spark import pyspark_resource

    ModeDefinition(resource_defs={"pyspark": pyspark_resource})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "SPARK_NAMESPACES": "headwater_spark.conf",
    "check_spark_property": "headwater_spark.conf",
    "flatten_spark_conf": "headwater_spark.conf",
    "LOADER_SCHEMA": "headwater_spark.dataframe",
    "MATERIALIZER_SCHEMA": "headwater_spark.dataframe",
    "DataFrame": "headwater_spark.dataframe",
    "dataframe_loader": "headwater_spark.dataframe",
    "read_dataframe": "headwater_spark.dataframe",
    "write_dataframe": "headwater_spark.dataframe",
    "HeadwaterSparkError": "headwater_spark.errors",
    "SparkConfError": "headwater_spark.errors",
    "SparkDataFrameError": "headwater_spark.errors",
    "SparkMasterUnreachableError": "headwater_spark.errors",
    "SparkSolidError": "headwater_spark.errors",
    "RESOURCES_TAG": "headwater_spark.executor",
    "SparkExecutor": "headwater_spark.executor",
    "spark_executor": "headwater_spark.executor",
    "PySparkParquetIOManager": "headwater_spark.io_managers",
    "pyspark_parquet_io_manager": "headwater_spark.io_managers",
    "PySparkResource": "headwater_spark.resources",
    "pyspark_resource": "headwater_spark.resources",
    "spark_resource": "headwater_spark.resources",
    "create_spark_solid": "headwater_spark.solids",
    "SparkDeployMode": "headwater_spark.submit",
    "SparkResource": "headwater_spark.submit",
    "construct_spark_shell_command": "headwater_spark.submit",
    "define_spark_config": "headwater_spark.submit",
}

__version__ = "0.1.0"

__all__ = [
    "LOADER_SCHEMA", "MATERIALIZER_SCHEMA", "RESOURCES_TAG", "SPARK_NAMESPACES", "DataFrame",
    "HeadwaterSparkError", "PySparkParquetIOManager", "PySparkResource", "SparkConfError",
    "SparkDataFrameError", "SparkDeployMode", "SparkExecutor", "SparkMasterUnreachableError",
    "SparkResource", "SparkSolidError", "check_spark_property",
    "construct_spark_shell_command", "create_spark_solid", "dataframe_loader", "define_spark_config",
    "flatten_spark_conf", "pyspark_parquet_io_manager", "pyspark_resource", "read_dataframe",
    "spark_executor", "spark_resource", "write_dataframe",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_spark.conf import SPARK_NAMESPACES, check_spark_property, flatten_spark_conf
    from headwater_spark.dataframe import (
        LOADER_SCHEMA,
        MATERIALIZER_SCHEMA,
        DataFrame,
        dataframe_loader,
        read_dataframe,
        write_dataframe,
    )
    from headwater_spark.errors import (
        HeadwaterSparkError,
        SparkConfError,
        SparkDataFrameError,
        SparkMasterUnreachableError,
        SparkSolidError,
    )
    from headwater_spark.executor import RESOURCES_TAG, SparkExecutor, spark_executor
    from headwater_spark.io_managers import PySparkParquetIOManager, pyspark_parquet_io_manager
    from headwater_spark.resources import PySparkResource, pyspark_resource, spark_resource
    from headwater_spark.solids import create_spark_solid
    from headwater_spark.submit import (
        SparkDeployMode,
        SparkResource,
        construct_spark_shell_command,
        define_spark_config,
    )
