"""execute_solid(s)_within_pipeline: some solids of a real pipeline, inputs given by value."""

from __future__ import annotations

import pytest

from headwater import (
    HeadwaterInvariantViolationError,
    ModeDefinition,
    ResourceDefinition,
    execute_solid_within_pipeline,
    execute_solids_within_pipeline,
    pipeline,
    solid,
)

CALLS: list[str] = []


@solid
def load() -> list:
    CALLS.append("load")
    return [1, 2, 3]


@solid(config_schema={"factor": int}, required_resource_keys={"offset"})
def scale(context, numbers: list) -> list:
    CALLS.append("scale")
    factor, offset = context.solid_config["factor"], context.resources.offset
    return [n * factor + offset for n in numbers]


@solid
def total(numbers: list) -> int:
    CALLS.append("total")
    return sum(numbers)


@pipeline(mode_defs=[ModeDefinition("test", resource_defs={
    "offset": ResourceDefinition.hardcoded_resource(100)})])
def numbers():
    total(scale(load()))


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


SCALE_CONFIG = {"solids": {"scale": {"config": {"factor": 2}}}}


def test_one_solid_runs_with_its_inputs_given_by_value_in_the_pipelines_mode():
    result = execute_solid_within_pipeline(numbers, "scale", inputs={"numbers": [5]},
                                           run_config=SCALE_CONFIG, mode="test")
    assert result.output_value() == [110]
    assert CALLS == ["scale"]


def test_several_solids_keep_their_dependencies_on_each_other():
    results = execute_solids_within_pipeline(numbers, ["scale", "total"],
                                             inputs={"scale": {"numbers": [1, 1]}},
                                             run_config=SCALE_CONFIG, mode="test")
    assert results["total"].output_value() == 204
    assert CALLS == ["scale", "total"]


def test_config_of_solids_not_run_is_accepted_and_ignored():
    config = {"solids": {"scale": {"config": {"factor": 2}},
                         "load": {"config": "not used"}}}
    result = execute_solid_within_pipeline(numbers, "total", inputs={"numbers": [4, 5]},
                                           run_config=config, mode="test")
    assert result.output_value() == 9


def test_inputs_for_a_solid_not_run_are_an_error():
    with pytest.raises(HeadwaterInvariantViolationError, match='"load"'):
        execute_solids_within_pipeline(numbers, ["total"], inputs={"load": {"x": 1}},
                                       mode="test")


def test_unknown_solid_is_an_error():
    with pytest.raises(HeadwaterInvariantViolationError, match="nope"):
        execute_solid_within_pipeline(numbers, "nope", mode="test")
