"""The Spark resources: a PySpark session, and spark-submit.

Bind them in a mode by object or by the name the plugin registers::

    ModeDefinition(resource_defs={"pyspark": pyspark_resource})
    ModeDefinition(resource_defs={"pyspark": "pyspark_resource", "spark": "spark_resource"})
"""

from __future__ import annotations

from typing import Any

from headwater import Field, Permissive, StringSource, resource
from headwater_spark.conf import flatten_spark_conf
from headwater_spark.errors import HeadwaterSparkError
from headwater_spark.session import DEFAULT_MASTER, StartedSession, start_session
from headwater_spark.submit import SparkResource

# A resource is not told the key a mode binds it to.
_CONFIG_PATH = "resources.<key>.config"

SPARK_CONF_FIELD = Field(
    Permissive(), default_value={},
    description="Spark properties, flat ({'spark.executor.memory': '2g'}) or as their "
                "nested tree ({spark: {executor: {memory: 2g}}}).")


class PySparkResource:
    """The value of ``pyspark_resource``: the run's Spark session.

    Args:
        started: The session, and whether the resource started it.

    Attributes:
        spark_session: The ``pyspark.sql.SparkSession``.
        spark_context: Its ``pyspark.SparkContext``.
    """

    def __init__(self, started: StartedSession) -> None:
        self._started = started

    @property
    def spark_session(self) -> Any:
        return self._started.spark_session

    @property
    def spark_context(self) -> Any:
        return self._started.spark_context

    @property
    def started_here(self) -> bool:
        """Whether the resource started the session (and so stops it at teardown)."""
        return self._started.started_here

    def stop(self) -> None:
        """Stop the session, unless it was already running when the resource was built."""
        self._started.stop()


@resource(
    config_schema={
        "master": Field(StringSource, is_required=False,
                        description="The master URL: local[*], local[n], spark://host:port, "
                                    f"yarn, k8s://... Default: {DEFAULT_MASTER}, or the "
                                    "session already running in the process."),
        "spark_conf": SPARK_CONF_FIELD,
    },
    description="A PySpark session (PySparkResource: .spark_session, .spark_context), "
                "stopped at teardown unless it was already running.",
)
def pyspark_resource(init_context):
    """A PySparkResource built from ``master`` and ``spark_conf``."""
    from pyspark import TaskContext

    if TaskContext.get() is not None:
        raise HeadwaterSparkError(
            "pyspark_resource cannot start a Spark session inside a Spark task: under the "
            '"spark" executor each step runs as a task on a Spark executor, where there is '
            "no driver. Run steps that use DataFrames with another executor (in_process, "
            "multiprocess), which drives the cluster through this resource's master.")
    config = init_context.resource_config
    properties = flatten_spark_conf(config["spark_conf"], f"{_CONFIG_PATH}.spark_conf")
    started = start_session(config.get("master"), properties, "headwater",
                            f"{_CONFIG_PATH}.master", init_context.log)
    value = PySparkResource(started)
    try:
        yield value
    finally:
        value.stop()


@resource(description="Runs Spark applications with spark-submit (a SparkResource with "
                      "run_spark_job), streaming the driver's output into the step's log.")
def spark_resource(init_context):
    """A SparkResource that logs to the run's log."""
    return SparkResource(init_context.log)
