"""Concepts: composite solids."""

from headwater import (
    CompositeSolidDefinition,
    DependencyDefinition,
    InputDefinition,
    OutputDefinition,
    composite_solid,
    config_from_files,
    execute_pipeline,
    execute_solid,
    file_relative_path,
    pipeline,
    solid,
)


@solid
def extract() -> list[int]:
    return [3, 1, 2]


# [start:composite]
@solid(config_schema={"factor": int})
def scale(context, numbers: list[int]) -> list[int]:
    return [n * context.solid_config["factor"] for n in numbers]


@solid
def sort(numbers: list[int]) -> list[int]:
    return sorted(numbers)


@composite_solid
def prepare(numbers: list[int]) -> list[int]:
    return sort(scale(numbers))


@pipeline
def reporting():
    prepare(extract())
# [end:composite]

# [start:nested-config]
run_config = {"solids": {"prepare": {"solids": {"scale": {"config": {"factor": 10}}}}}}
result = execute_pipeline(reporting, run_config=run_config)
assert result.output_for_solid("prepare") == [10, 20, 30]
assert result.output_for_solid("prepare.scale") == [30, 10, 20]   # a child, by handle
assert "prepare.sort" in result.events_by_step_key                # step keys are handles
# [end:nested-config]


# [start:config-mapping]
@composite_solid(
    config_schema={"percent": bool},
    config_fn=lambda config: {"scale": {"config": {"factor": 100 if config["percent"] else 1}}},
)
def prepare_percentages(numbers: list[int]) -> list[int]:
    return sort(scale(numbers))


@pipeline
def percent_report():
    prepare_percentages(extract())


result = execute_pipeline(percent_report, run_config={
    "solids": {"prepare_percentages": {"config": {"percent": True}}}})
assert result.output_for_solid("prepare_percentages") == [100, 200, 300]
# [end:config-mapping]


# [start:outputs]
@solid
def minimum(numbers: list[int]) -> int:
    return min(numbers)


@composite_solid
def summarize(numbers: list[int]):
    ordered = sort(numbers)
    return {"ordered": ordered, "smallest": minimum(ordered)}
# [end:outputs]

summary = execute_solid(summarize, input_values={"numbers": [2, 1]})
assert summary.output_values == {"ordered": [1, 2], "smallest": 1}


# [start:definition-form]
prepare_explicit = CompositeSolidDefinition(
    name="prepare_explicit",
    solid_defs=[scale, sort],
    input_mappings=[InputDefinition("numbers", list[int]).mapping_to("scale", "numbers")],
    output_mappings=[OutputDefinition(list[int]).mapping_from("sort")],
    dependencies={"sort": {"numbers": DependencyDefinition("scale")}},
)
# [end:definition-form]

explicit = execute_solid(prepare_explicit, input_values={"numbers": [2, 1]}, run_config={
    "solids": {"prepare_explicit": {"solids": {"scale": {"config": {"factor": 2}}}}}})
assert explicit.output_value() == [2, 4]

# The YAML form shown on the page is the same run config.
assert config_from_files(file_relative_path(__file__, "config/composite_nested.yaml")) == \
    run_config
