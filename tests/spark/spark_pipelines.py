"""Pipelines the Spark tests run."""

from __future__ import annotations

import os
import time

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    Field,
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


# -- for the spark executor: plain Python steps, outputs passed as files ---------------------

@solid(config_schema={"count": Field(int, default_value=4)},
       output_defs=[DynamicOutputDefinition(int)])
def fan_out(context):
    for index in range(context.solid_config["count"]):
        yield DynamicOutput(index, mapping_key=f"n{index}")


@solid
def square(context, number: int) -> int:
    context.log.info(f"squaring {number} in process {os.getpid()}")
    print(f"printed while squaring {number}")
    return number * number


@solid
def total(_context, squares: list) -> int:
    return sum(squares)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def squares_pipeline():
    total(fan_out().map(square).collect())


@solid(config_schema={"how": Field(str, default_value="fine")})
def troublesome(context) -> int:
    how = context.solid_config["how"]
    if how == "raise":
        raise ValueError("the data for 2026-12-04 is not there yet")
    if how == "lose":
        os._exit(7)  # the Python worker dies mid-step, as when its machine is lost
    return 1


@solid
def one(_context) -> int:
    return 1


@solid
def add(_context, left: int, right: int) -> int:
    return left + right


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def troubled_pipeline():
    add(one(), troublesome())


# -- for the spark executor's live log: a step that waits for the test --------------------

@solid(config_schema={"signal": str})
def wait_for_signal(context) -> str:
    """Logs that it waits, then waits until the test creates the file (which the test does
    only after it saw that line in the run's instance)."""
    path = context.solid_config["signal"]
    context.log.info(f"waiting for {path}")
    deadline = time.monotonic() + 300
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared: the log line did not reach the test")
        time.sleep(0.05)
    return "signalled"


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def signal_pipeline():
    wait_for_signal()


# -- for the spark executor's own-job path: a step that asks for task resources -----------

@solid(tags={"headwater-spark/resources": '{"cpus": 1}'})
def reserved(context, numbers: list) -> int:
    context.log.info(f"reserved step in process {os.getpid()}")
    return sum(numbers)


@solid
def after_reserved(_context, value: int) -> int:
    return value + 1


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def reserved_pipeline():
    after_reserved(reserved(fan_out().map(square).collect()))
