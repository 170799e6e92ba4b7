"""Spark: a SparkSession for solids with pyspark_resource.

Joins the SparkSession already running in the process, if any; else starts one.
"""

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_spark import pyspark_resource


# [start:resource]
@solid(required_resource_keys={"pyspark"})
def count_rows(context) -> int:
    spark = context.resources.pyspark.spark_session
    return spark.range(1000).filter("id % 7 = 0").count()


@pipeline(mode_defs=[ModeDefinition(resource_defs={"pyspark": pyspark_resource})])
def counting():
    count_rows()


result = execute_pipeline(counting, run_config={"resources": {"pyspark": {"config": {
    "master": "local[2]",
    # Spark properties as their nested tree, by flat name, or both mixed.
    "spark_conf": {"spark": {"sql": {"shuffle": {"partitions": 4}}},
                   "spark.app.name": "counting"},
}}}})
# [end:resource]
assert result.output_for_solid("count_rows") == 143

# [start:typo]
from headwater_spark import SparkConfError  # noqa: E402

try:
    execute_pipeline(counting, run_config={"resources": {"pyspark": {"config": {
        "spark_conf": {"spark": {"executr": {"memory": "2g"}}}}}}})
except SparkConfError as error:
    print(error)
# Unknown Spark property "spark.executr.memory" in resources.<key>.config.spark_conf: Spark
# has no properties under "spark.executr", so it would ignore this one. Did you mean
# "spark.executor.memory"?
# [end:typo]
    assert 'Did you mean "spark.executor.memory"?' in str(error)
else:
    raise AssertionError("the misspelt property was accepted")
