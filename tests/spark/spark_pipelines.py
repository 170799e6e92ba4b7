"""Pipelines the Spark tests run."""

from __future__ import annotations

from headwater import (
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    fs_io_manager,
    pipeline,
    solid,
)
from headwater_spark import (
    DataFrame,
    create_spark_solid,
    pyspark_parquet_io_manager,
    pyspark_resource,
    spark_resource,
)

SPARK_MODE = ModeDefinition(resource_defs={"pyspark": pyspark_resource,
                                           "io_manager": pyspark_parquet_io_manager,
                                           "values": fs_io_manager})


@solid(input_defs=[InputDefinition("orders", DataFrame)],
       output_defs=[OutputDefinition(DataFrame)])
def passthrough(_context, orders):
    return orders


@pipeline(mode_defs=[SPARK_MODE])
def read_pipeline():
    passthrough()


@solid(required_resource_keys={"pyspark"}, output_defs=[OutputDefinition(DataFrame)])
def make_orders(context):
    spark = context.resources.pyspark.spark_session
    return spark.createDataFrame([(1, "apples", 3.5), (2, "pears", 2.0), (3, "apples", 1.5)],
                                 "id INT, fruit STRING, amount DOUBLE")


@solid(input_defs=[InputDefinition("orders", DataFrame)],
       output_defs=[OutputDefinition(DataFrame)])
def totals_by_fruit(_context, orders):
    return orders.groupBy("fruit").sum("amount").withColumnRenamed("sum(amount)", "total")


@solid(input_defs=[InputDefinition("totals", DataFrame)],
       output_defs=[OutputDefinition(dict, io_manager_key="values")])
def collect_totals(_context, totals):
    return {row["fruit"]: row["total"] for row in totals.collect()}


@pipeline(mode_defs=[SPARK_MODE])
def totals_pipeline():
    collect_totals(totals_by_fruit(make_orders()))


count_range = create_spark_solid("count_range", "HeadwaterCount")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"spark": spark_resource,
                                                   "io_manager": fs_io_manager})])
def submit_pipeline():
    count_range()
