"""The Spark the tests talk to, all on 127.0.0.1.

* One SparkSession on ``local[2]`` for the whole test session (a JVM takes 15-20 s to
  start on a loaded machine): resources in the tests' pipelines join it, as they join any
  session already running in their process.
* For the executor and spark-submit: a standalone master and two workers started from
  pyspark's own scripts with free ports (see ``spark_stand_ins``), once per test session.
"""

from __future__ import annotations

import os
import sys

import pytest

# Every JVM the tests start (this process's, spark-submit's, the cluster's) binds to
# loopback only, and runs its Python workers with this interpreter.
os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
os.environ["PYSPARK_PYTHON"] = sys.executable
os.environ.pop("SPARK_HOME", None)
# Spark's Python workers import the tests' pipelines (spark_pipelines) by module name.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [os.path.dirname(os.path.abspath(__file__)), os.environ.get("PYTHONPATH")]))

TEST_SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
}


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory):
    """The test session's SparkSession (local[2], loopback only, no UI; tables saved in a
    warehouse folder of its own)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("headwater-spark-tests")
    builder = builder.config("spark.sql.warehouse.dir",
                             str(tmp_path_factory.mktemp("spark-warehouse")))
    for key, value in TEST_SPARK_CONF.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as error:
        pytest.fail(f"Could not start a local[2] SparkSession (is Java 17 installed and "
                    f"on PATH?): {error}")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def standalone_cluster(tmp_path_factory):
    """The master URL of a standalone cluster of two one-core workers, for the test session."""
    from spark_stand_ins import StandaloneCluster

    cluster = StandaloneCluster(tmp_path_factory.mktemp("spark-cluster"), workers=2, cores=1,
                                env=dict(os.environ))
    yield cluster.master_url
    cluster.stop()
