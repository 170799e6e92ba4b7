"""create_spark_solid: spark-submit of an application jar (built by the tests with javac),
its driver's output in the step's compute log, and its failures in the step's failure."""

from __future__ import annotations

import pytest
from spark_pipelines import count_range, submit_pipeline
from spark_stand_ins import build_count_jar

from headwater import PipelineRunStatus, execute_pipeline, instance_for_test, reconstructable
from headwater_spark import SparkSolidError


@pytest.fixture(scope="module")
def count_jar(tmp_path_factory):
    return build_count_jar(tmp_path_factory.mktemp("jar"))


def submit_config(jar, arguments: str) -> dict:
    return {"solids": {"count_range": {"config": {
        "master_url": "local[1]",
        "deploy_mode": "client",
        "application_jar": str(jar),
        "application_arguments": arguments,
        "spark_conf": {"spark": {"ui": {"enabled": False},
                                 "driver": {"host": "127.0.0.1", "bindAddress": "127.0.0.1"}}},
    }}}}


def test_the_solid_runs_the_jar_and_its_output_is_in_the_compute_log(count_jar):
    # Steps in worker processes have their output captured for the compute log.
    run_config = {**submit_config(count_jar, "5"), "execution": {"multiprocess": {}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(submit_pipeline), run_config=run_config,
                                  instance=instance)
        logs = instance.compute_log_manager.read_logs(result.run_id, "count_range")
    assert result.success
    assert "counted 5" in logs.stdout


def test_a_non_zero_exit_fails_the_step_with_the_drivers_last_lines(count_jar):
    with instance_for_test() as instance:
        result = execute_pipeline(submit_pipeline, run_config=submit_config(count_jar, "fail"),
                                  instance=instance, raise_on_error=False)
        run = instance.get_run_by_id(result.run_id)
    assert run.status == PipelineRunStatus.FAILURE
    message = result.result_for_solid("count_range").failure_data.error.message
    assert "spark-submit of HeadwaterCount" in message
    assert "exited with code 3" in message
    assert "the input is broken: line 7" in message


def test_the_solid_is_tagged_with_its_kind_and_main_class():
    assert count_range.tags == {"kind": "spark", "main_class": "HeadwaterCount"}


def test_a_missing_jar_is_named_with_its_config_path(tmp_path):
    with pytest.raises(SparkSolidError) as raised:
        execute_pipeline(submit_pipeline,
                         run_config=submit_config(tmp_path / "missing.jar", "5"))
    assert str(raised.value).startswith(
        f"The application jar {tmp_path / 'missing.jar'} "
        "(solids.count_range.config.application_jar) does not exist.")


def test_an_unknown_spark_property_is_named_before_anything_is_submitted(count_jar):
    config = submit_config(count_jar, "5")
    config["solids"]["count_range"]["config"]["spark_conf"] = {"spark.drvier.memory": "1g"}
    with pytest.raises(Exception, match=r'Did you mean "spark\.driver\.memory"\?'):
        execute_pipeline(submit_pipeline, run_config=config)
