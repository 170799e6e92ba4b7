"""pyspark_resource: the run's solids get a SparkSession built from the config, which the
resource stops at teardown only when it started it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_spark import SparkConfError, SparkMasterUnreachableError, pyspark_resource


@solid(required_resource_keys={"pyspark"})
def count_rows(context) -> int:
    spark = context.resources.pyspark.spark_session
    return spark.range(10).count()


@solid(required_resource_keys={"pyspark"})
def shuffle_partitions(context) -> str:
    return context.resources.pyspark.spark_session.conf.get("spark.sql.shuffle.partitions")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"pyspark": pyspark_resource})])
def spark_pipeline():
    count_rows()
    shuffle_partitions()


def test_solids_run_spark_jobs_on_the_session_of_the_resource(spark_session):
    result = execute_pipeline(spark_pipeline)
    assert result.success
    assert result.result_for_solid("count_rows").output_value() == 10


def test_sql_properties_of_the_nested_config_apply_to_the_session(spark_session):
    result = execute_pipeline(spark_pipeline, run_config={"resources": {"pyspark": {"config": {
        "spark_conf": {"spark": {"sql": {"shuffle": {"partitions": 3}}}}}}}})
    assert result.result_for_solid("shuffle_partitions").output_value() == "3"
    spark_session.conf.set("spark.sql.shuffle.partitions", "2")


def test_a_session_already_running_is_left_running_after_the_run(spark_session):
    assert execute_pipeline(spark_pipeline).success
    assert spark_session.range(3).count() == 3


def test_an_unknown_property_fails_the_run_naming_the_config_path(spark_session):
    with pytest.raises(SparkConfError) as raised:
        execute_pipeline(spark_pipeline, run_config={"resources": {"pyspark": {"config": {
            "spark_conf": {"spark.excutor.memory": "2g"}}}}})
    assert "resources.<key>.config.spark_conf" in str(raised.value)
    assert 'Did you mean "spark.executor.memory"?' in str(raised.value)


def test_a_standalone_master_where_nothing_listens_fails_within_seconds_naming_the_url():
    from headwater_spark.session import check_master_reachable

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(SparkMasterUnreachableError) as raised:
        check_master_reachable(f"spark://127.0.0.1:{port}", "resources.pyspark.config.master")
    assert time.monotonic() - started < 30
    assert f"spark://127.0.0.1:{port}" in str(raised.value)
    assert "resources.pyspark.config.master" in str(raised.value)


def test_a_session_the_resource_started_is_stopped_at_teardown(tmp_path):
    # A process of its own: this one already runs the tests' session.
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent("""
        from pyspark import SparkContext
        from headwater import ModeDefinition, execute_pipeline, pipeline, solid
        from headwater_spark import pyspark_resource

        @solid(required_resource_keys={"pyspark"})
        def app_name(context) -> str:
            return context.resources.pyspark.spark_context.appName

        @pipeline(mode_defs=[ModeDefinition(resource_defs={"pyspark": pyspark_resource})])
        def names():
            app_name()

        result = execute_pipeline(names, run_config={"resources": {"pyspark": {"config": {
            "master": "local[1]",
            "spark_conf": {"spark": {"app": {"name": "named-by-config"},
                                     "ui": {"enabled": False},
                                     "driver": {"host": "127.0.0.1",
                                                "bindAddress": "127.0.0.1"}}}}}}})
        print(result.result_for_solid("app_name").output_value())
        print("stopped" if SparkContext._active_spark_context is None else "running")
    """))
    completed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                               timeout=180, env=os.environ)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.split()[-2:] == ["named-by-config", "stopped"]
