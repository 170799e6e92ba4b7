"""The 0.12 bridge names: ops, ins and outs, graphs and jobs, over the same definitions."""

from __future__ import annotations

import pytest

from headwater import (
    DynamicOut,
    DynamicOutput,
    HeadwaterInvalidDefinitionError,
    In,
    Out,
    Output,
    PipelineDefinition,
    SolidDefinition,
    build_op_context,
    execute_pipeline,
    fs_io_manager,
    graph,
    in_process_executor,
    op,
    pipeline,
    resource,
    success_hook,
)


@op(config_schema={"start": int})
def numbers(context):
    return list(range(context.op_config["start"], 4))


@op(ins={"values": In(list, description="the numbers")},
    out={"total": Out(int), "count": Out(int)})
def summarize(values):
    yield Output(sum(values), "total")
    yield Output(len(values), "count")


@op(out=Out(float))
def mean(total: int, count: int):
    return total / count


@graph
def stats():
    total, count = summarize(numbers())
    mean(total, count)


def test_an_op_is_a_solid_with_its_ins_and_outs():
    assert isinstance(summarize, SolidDefinition)
    assert summarize.input_defs[0].name == "values"
    assert summarize.input_defs[0].description == "the numbers"
    assert [o.name for o in summarize.output_defs] == ["total", "count"]
    assert mean.output_defs[0].headwater_type.display_name == "Float"


def test_a_graph_becomes_a_job_with_its_config_as_the_default_run_config():
    job = stats.to_job(config={"solids": {"numbers": {"config": {"start": 1}}}})
    assert isinstance(job, PipelineDefinition)
    result = execute_pipeline(job)
    assert result.success
    assert result.result_for_solid("mean").output_value() == 2.0


def test_run_config_given_to_a_job_run_replaces_its_default():
    job = stats.to_job(config={"solids": {"numbers": {"config": {"start": 1}}}})
    result = execute_pipeline(job, run_config={"solids": {"numbers": {"config": {"start": 3}}}})
    assert result.result_for_solid("mean").output_value() == 3.0


SEEN: list[str] = []


@resource
def greeting(_init_context):
    return "hello"


@op(required_resource_keys={"greeting"})
def greet(context):
    return context.resources.greeting


@success_hook
def remember(context):
    SEEN.append(context.solid.name)


@graph
def greeter():
    greet()


def test_to_job_binds_resources_executor_and_hooks():
    SEEN.clear()
    job = greeter.to_job(name="greeter_job", executor_def=in_process_executor,
                         resource_defs={"greeting": greeting, "io_manager": fs_io_manager},
                         hooks={remember}, tags={"team": "data"})
    assert job.name == "greeter_job"
    assert [e.name for e in job.get_mode_definition().executor_defs] == ["in_process"]
    result = execute_pipeline(job)
    assert result.result_for_solid("greet").output_value() == "hello"
    assert SEEN == ["greet"]


@op(out=DynamicOut(int))
def fan_out():
    for index in range(3):
        yield DynamicOutput(index, mapping_key=f"k{index}")


@op
def double(value: int) -> int:
    return value * 2


@op
def add_up(values: list) -> int:
    return sum(values)


@pipeline
def ops_in_a_pipeline():
    add_up(fan_out().map(double).collect())


def test_ops_mix_with_pipelines_and_dynamic_outs():
    result = execute_pipeline(ops_in_a_pipeline)
    assert result.result_for_solid("add_up").output_value() == 6


def test_build_op_context_is_build_solid_context():
    assert numbers(build_op_context(config={"start": 2})) == [2, 3]


def test_ins_must_be_in_values():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="ins must be a dict"):
        op(ins={"x": int})(lambda x: x)
