"""Spark: an application jar run with spark-submit by a solid.

The jar's path comes from SPARK_APP_JAR; its main class counts a range with Spark.
"""

import os

from headwater import ModeDefinition, execute_pipeline, pipeline
from headwater_spark import create_spark_solid, spark_resource

# [start:solid]
count_range = create_spark_solid("count_range", main_class="HeadwaterCount")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"spark": spark_resource})])
def spark_job():
    count_range()


result = execute_pipeline(spark_job, run_config={"solids": {"count_range": {"config": {
    "master_url": "local[1]",
    "deploy_mode": "client",
    "application_jar": os.environ["SPARK_APP_JAR"],
    "application_arguments": "1000",
    "spark_conf": {"spark": {"ui": {"enabled": False}}},
}}}})
# [end:solid]
assert result.success
