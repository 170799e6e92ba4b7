"""The same pipeline in the solid/pipeline spelling and in the 0.12 op/graph/job one."""

from headwater import (
    In,
    InputDefinition,
    ModeDefinition,
    Out,
    OutputDefinition,
    execute_pipeline,
    graph,
    mem_io_manager,
    op,
    pipeline,
    solid,
)


# [start:solids]
@solid(config_schema={"n": int}, output_defs=[OutputDefinition(list, "numbers")])
def numbers_solid(context):
    return list(range(context.solid_config["n"]))


@solid(input_defs=[InputDefinition("numbers", list)], output_defs=[OutputDefinition(int)])
def total_solid(numbers):
    return sum(numbers)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": mem_io_manager})])
def totals_pipeline():
    total_solid(numbers_solid())


result = execute_pipeline(totals_pipeline,
                          run_config={"solids": {"numbers_solid": {"config": {"n": 4}}}})
assert result.output_for_solid("total_solid") == 6
# [end:solids]


# [start:ops]
@op(config_schema={"n": int}, out={"numbers": Out(list)})
def numbers_op(context):
    return list(range(context.op_config["n"]))


@op(ins={"numbers": In(list)}, out=Out(int))
def total_op(numbers):
    return sum(numbers)


@graph
def totals():
    total_op(numbers_op())


totals_job = totals.to_job(resource_defs={"io_manager": mem_io_manager},
                           config={"solids": {"numbers_op": {"config": {"n": 4}}}})
assert execute_pipeline(totals_job).output_for_solid("total_op") == 6
# [end:ops]
