"""Spark: DataFrames read from input config, stored as parquet between steps, and written
by output config."""

import os
import tempfile

from headwater import (
    InputDefinition,
    ModeDefinition,
    OutputDefinition,
    execute_pipeline,
    pipeline,
    solid,
)
from headwater_spark import DataFrame, pyspark_parquet_io_manager, pyspark_resource

folder = tempfile.mkdtemp()
with open(os.path.join(folder, "orders.csv"), "w") as csv:
    csv.write("id,fruit,amount\n1,apples,3.5\n2,pears,2.0\n3,apples,1.5\n")


# [start:pipeline]
@solid(input_defs=[InputDefinition("orders", DataFrame)],
       output_defs=[OutputDefinition(DataFrame)])
def totals_by_fruit(_context, orders):
    return orders.groupBy("fruit").sum("amount").withColumnRenamed("sum(amount)", "total")


@solid(input_defs=[InputDefinition("totals", DataFrame)],
       output_defs=[OutputDefinition(DataFrame)])
def best_seller(_context, totals):
    return totals.orderBy("total", ascending=False).limit(1)


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "pyspark": pyspark_resource,
    "io_manager": pyspark_parquet_io_manager,
})])
def fruit_sales():
    best_seller(totals_by_fruit())
# [end:pipeline]


# [start:run-config]
run_config = {
    "resources": {"io_manager": {"config": {"base_path": f"{folder}/outputs"}}},
    "solids": {
        "totals_by_fruit": {
            # The input, read by Spark: one source, with Spark's reader options.
            "inputs": {"orders": {"csv": {
                "path": f"{folder}/orders.csv", "header": True,
                "schema": "id INT, fruit STRING, amount DOUBLE"}}},
            # The output, also written where its config says (besides the parquet store).
            "outputs": {"result": {"json": {"path": f"{folder}/totals", "mode": "overwrite"}}},
        },
    },
}
result = execute_pipeline(fruit_sales, run_config=run_config)
# Each DataFrame output is a parquet folder: <base_path>/<run_id>/<step_key>/<output>
stored = f"{folder}/outputs/{result.run_id}/totals_by_fruit/result"
# [end:run-config]

assert result.success
assert os.path.isdir(stored)
assert os.path.isdir(f"{folder}/totals")
(row,) = result.output_for_solid("best_seller").collect()
assert row["fruit"] == "apples"
