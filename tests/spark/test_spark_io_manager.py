"""pyspark_parquet_io_manager: each DataFrame output a parquet folder per run, step and
output, read back lazily by the next step, by another process, or by a re-execution."""

from __future__ import annotations

import os

import pytest
from spark_pipelines import totals_pipeline

from headwater import (
    execute_pipeline,
    instance_for_test,
    reconstructable,
    reexecute_pipeline,
)
from headwater_spark import SparkDataFrameError

LOOPBACK_CONF = {"spark": {"ui": {"enabled": False, "showConsoleProgress": False},
                           "driver": {"host": "127.0.0.1", "bindAddress": "127.0.0.1"}}}


def config(tmp_path, **solids) -> dict:
    return {"resources": {"io_manager": {"config": {"base_path": str(tmp_path / "store")}},
                          "values": {"config": {"base_dir": str(tmp_path / "values")}}},
            "solids": solids}


def test_each_dataframe_output_is_a_parquet_folder_of_its_run_step_and_output(
        tmp_path, spark_session):
    result = execute_pipeline(totals_pipeline, run_config=config(tmp_path))
    assert result.output_for_solid("collect_totals") == {"apples": 5.0, "pears": 2.0}
    folder = tmp_path / "store" / result.run_id / "totals_by_fruit" / "result"
    assert any(name.endswith(".parquet") for name in os.listdir(folder))
    assert spark_session.read.parquet(str(folder)).count() == 2


def test_an_input_is_read_lazily_from_the_stored_folder(tmp_path, spark_session):
    result = execute_pipeline(totals_pipeline, run_config=config(tmp_path))
    totals = result.output_for_solid("totals_by_fruit")
    folder = tmp_path / "store" / result.run_id / "make_orders" / "result"
    # totals_by_fruit got a plan over make_orders' stored files, not rows in memory.
    assert totals.inputFiles()
    assert all(f"{folder}/part-" in path for path in totals.inputFiles())


def test_a_reexecution_reads_the_outputs_it_does_not_recompute_from_the_parent_run(
        tmp_path, spark_session):
    with instance_for_test() as instance:
        parent = execute_pipeline(totals_pipeline, run_config=config(tmp_path),
                                  instance=instance)
        child = reexecute_pipeline(totals_pipeline, parent.run_id,
                                   run_config=config(tmp_path),
                                   step_selection=["collect_totals"], instance=instance)
    assert child.output_for_solid("collect_totals") == {"apples": 5.0, "pears": 2.0}
    assert not (tmp_path / "store" / child.run_id / "totals_by_fruit").exists()


def test_an_output_that_was_never_stored_is_named_with_its_run_and_how_to_fix_it(
        tmp_path, spark_session):
    with instance_for_test() as instance:
        parent = execute_pipeline(totals_pipeline, run_config=config(tmp_path),
                                  instance=instance)
        stored = tmp_path / "store" / parent.run_id / "totals_by_fruit"
        for root, dirs, files in os.walk(stored, topdown=False):
            for name in files:
                os.remove(os.path.join(root, name))
            for name in dirs:
                os.rmdir(os.path.join(root, name))
        os.rmdir(stored)
        with pytest.raises(SparkDataFrameError) as raised:
            reexecute_pipeline(totals_pipeline, parent.run_id, run_config=config(tmp_path),
                               step_selection=["collect_totals"], instance=instance)
    message = str(raised.value)
    assert f'output "result" of step "totals_by_fruit" was not stored at {stored}/result ' \
           f"by run {parent.run_id}" in message
    assert message.endswith("Re-execute the step that produces it.")


def test_a_value_that_is_not_a_dataframe_is_refused_with_the_output_named(tmp_path,
                                                                          spark_session):
    from headwater import ModeDefinition, pipeline, solid
    from headwater_spark import pyspark_parquet_io_manager, pyspark_resource

    @solid
    def count() -> int:
        return 3

    @pipeline(mode_defs=[ModeDefinition(resource_defs={
        "pyspark": pyspark_resource, "io_manager": pyspark_parquet_io_manager})])
    def counting():
        count()

    with pytest.raises(SparkDataFrameError, match='Output "result" of step "count" is a int'):
        execute_pipeline(counting, run_config={"resources": {"io_manager": {"config": {
            "base_path": str(tmp_path)}}}})


def test_runs_of_two_partitions_keep_their_outputs_apart(tmp_path, spark_session):
    # A partition's run is a run of its own (a partition set gives its config and tags).
    runs = [execute_pipeline(totals_pipeline, run_config=config(tmp_path),
                             tags={"day": day})
            for day in ("2026-12-01", "2026-12-02")]
    folders = {run.run_id: tmp_path / "store" / run.run_id / "make_orders" / "result"
               for run in runs}
    assert all(folder.is_dir() for folder in folders.values())
    assert len(set(folders.values())) == 2


def test_worker_processes_of_another_executor_pass_dataframes_through_parquet(tmp_path):
    # Each worker process starts its own Spark driver (local[1]).
    run_config = {**config(tmp_path),
                  "resources": {**config(tmp_path)["resources"],
                                "pyspark": {"config": {"master": "local[1]",
                                                       "spark_conf": LOOPBACK_CONF}}},
                  "execution": {"multiprocess": {"config": {"max_concurrent": 1}}}}
    with instance_for_test() as instance:
        result = execute_pipeline(reconstructable(totals_pipeline), run_config=run_config,
                                  instance=instance)
    assert result.success
    assert os.getpid() not in {event.pid for event in result.event_list
                               if event.is_step_event}
    assert result.output_for_solid("collect_totals") == {"apples": 5.0, "pears": 2.0}
