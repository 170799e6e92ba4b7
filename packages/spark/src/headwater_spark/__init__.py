"""Headwater on Apache Spark.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"pyspark_resource"`` without importing anything.
Importing it gives the definitions themselves::

    from headwater_spark import pyspark_resource

    ModeDefinition(resource_defs={"pyspark": pyspark_resource})
"""

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
