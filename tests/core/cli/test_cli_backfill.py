"""``headwater partition list`` and ``headwater pipeline backfill``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from headwater.cli import cli
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance import Instance
from headwater.instance.jobs import BackfillStatus

REPOSITORY = """
from headwater import (PartitionSetDefinition, pipeline, repository, solid,
                       static_partitions)

@solid(config_schema={"region": str})
def load_region(context):
    context.log.info(context.solid_config["region"])

@pipeline
def regional_load():
    load_region()

@pipeline
def unpartitioned():
    load_region()

regions = PartitionSetDefinition(
    "regions", "regional_load", partition_fn=static_partitions(["apac", "eu", "latam", "us"]),
    run_config_fn_for_partition=lambda partition: {
        "solids": {"load_region": {"config": {"region": partition.name}}}})

@repository
def world():
    return [regional_load, unpartitioned, regions]
"""


@pytest.fixture
def repo(write):
    return write("world.py", REPOSITORY)


def _backfill(invoke, repo, *args):
    return invoke("pipeline", "backfill", "-f", repo, "--partition-set", "regions", *args)


def _stored(backfill_id):
    with Instance.get() as instance:
        return instance.get_backfill(backfill_id)


def test_partition_list_shows_each_partition_and_its_last_run(invoke, repo):
    with Instance.get() as instance:
        instance.create_run(PipelineRun(
            "run-of-eu", "regional_load", status=PipelineRunStatus.SUCCESS,
            tags={"headwater/partition": "eu", "headwater/partition_set": "regions"}))
    result = invoke("partition", "list", "regional_load", "-f", repo)
    assert result.exit_code == 0, result.output
    assert 'Partition set "regions" of repository "world": 4 partitions' in result.stdout
    rows = [line.split() for line in result.stdout.splitlines()
            if line.split()[:1] in (["apac"], ["eu"], ["latam"], ["us"])]
    assert rows == [["apac", "-", "-"], ["eu", "run-of-eu", "SUCCESS"], ["latam", "-", "-"],
                    ["us", "-", "-"]]


def test_partition_list_of_a_pipeline_without_partition_sets_says_so(invoke, repo):
    result = invoke("partition", "list", "unpartitioned", "-f", repo)
    assert result.stdout == 'Pipeline "unpartitioned" has no partition sets.\n'


def test_backfill_from_to_stores_the_partitions_in_order_and_prints_its_id(invoke, repo):
    result = _backfill(invoke, repo, "--from", "eu", "--to", "latam", "--noprompt")
    assert result.exit_code == 0, result.output
    backfill = _stored(result.stdout.strip())
    assert (backfill.partition_names, backfill.status) == (["eu", "latam"],
                                                           BackfillStatus.REQUESTED)
    assert f"the daemon submits 2 runs, tagged headwater/backfill={backfill.backfill_id}" in \
        result.stderr


def test_backfill_of_named_partitions_keeps_the_partition_set_order(invoke, repo):
    result = _backfill(invoke, repo, "--partitions", "us,apac", "--noprompt")
    assert _stored(result.stdout.strip()).partition_names == ["apac", "us"]


def test_backfill_of_all_partitions_with_tags(invoke, repo):
    result = _backfill(invoke, repo, "--all", "--tags", '{"team": "data"}', "--noprompt")
    backfill = _stored(result.stdout.strip())
    assert (backfill.partition_names, backfill.tags) == (["apac", "eu", "latam", "us"],
                                                         {"team": "data"})


def test_an_unknown_partition_is_refused_with_a_suggestion(invoke, repo):
    result = _backfill(invoke, repo, "--partitions", "eu,uss", "--noprompt")
    assert result.exit_code == 2
    assert 'has no partition "uss". Did you mean "us"?' in result.stderr


def test_from_after_to_is_refused(invoke, repo):
    result = _backfill(invoke, repo, "--from", "us", "--to", "eu", "--noprompt")
    assert result.exit_code == 2
    assert '--from "us" comes after --to "eu"' in result.stderr


def test_backfill_needs_exactly_one_way_of_naming_partitions(invoke, repo):
    for args in ([], ["--all", "--partitions", "eu"]):
        result = _backfill(invoke, repo, *args, "--noprompt")
        assert result.exit_code == 2
        assert "Say which partitions" in result.stderr


def test_backfill_asks_before_storing_anything(repo):
    result = CliRunner().invoke(cli, ["pipeline", "backfill", "-f", str(repo),
                                      "--partition-set", "regions", "--all"], input="n\n")
    assert result.exit_code == 1
    assert 'Launch 4 runs of "regional_load", one per partition of "regions" (apac to us)?' \
        in result.output
    with Instance.get() as instance:
        assert instance.get_backfills() == []


def test_reserved_or_malformed_tags_are_refused(invoke, repo):
    reserved = _backfill(invoke, repo, "--all", "--tags", '{"headwater/x": "1"}', "--noprompt")
    assert reserved.exit_code == 2
    assert 'uses the reserved prefix "headwater/"' in reserved.stderr
    malformed = _backfill(invoke, repo, "--all", "--tags", "team=data", "--noprompt")
    assert malformed.exit_code == 2
    assert "--tags is not valid JSON" in malformed.stderr


def test_a_partition_set_of_another_pipeline_is_refused(invoke, repo):
    result = _backfill(invoke, repo, "-p", "unpartitioned", "--all", "--noprompt")
    assert result.exit_code == 2
    assert 'runs pipeline "regional_load", not "unpartitioned"' in result.stderr
