"""Concepts: testing. Written as pytest tests; run as a script, it calls each test."""

import pytest

from headwater import (
    Failure,
    HeadwaterInvalidConfigError,
    ModeDefinition,
    ResourceDefinition,
    build_hook_context,
    build_solid_context,
    execute_pipeline,
    execute_solid,
    execute_solid_within_pipeline,
    failure_hook,
    pipeline,
    resource,
    solid,
    validate_run_config,
)
from headwater.instance import instance_for_test

closed: list[str] = []


@resource(config_schema={"rows": int})
def fake_source(init_context):
    yield list(range(init_context.resource_config["rows"]))
    closed.append("fake_source")


@solid(required_resource_keys={"source"}, config_schema={"minimum": int})
def read(context) -> list[int]:
    rows = [r for r in context.resources.source if r >= context.solid_config["minimum"]]
    if not rows:
        raise Failure("nothing to read", metadata={"minimum": context.solid_config["minimum"]})
    return rows


@solid
def total(rows: list[int]) -> int:
    return sum(rows)


@failure_hook(required_resource_keys={"pager"})
def page(context):
    context.resources.pager.append(str(context.solid_exception))


# [start:subject]
stub_mode = ModeDefinition("test", resource_defs={
    "source": ResourceDefinition.hardcoded_resource([1, 2, 3]),
    "pager": ResourceDefinition.hardcoded_resource([]),
})


@pipeline(mode_defs=[stub_mode], hook_defs={page})
def summing():
    total(read())
# [end:subject]


# [start:direct]
def test_read_keeps_rows_over_the_minimum():
    context = build_solid_context(resources={"source": [1, 5, 9]}, config={"minimum": 5})
    assert read(context) == [5, 9]


def test_read_builds_and_tears_down_resource_definitions():
    with build_solid_context(resources={"source": fake_source.configured({"rows": 4})},
                             config={"minimum": 2}) as context:
        assert read(context) == [2, 3]
    assert closed == ["fake_source"]           # torn down when the with block ends


def test_read_fails_when_nothing_is_left():
    with pytest.raises(Failure, match="nothing to read"):
        read(build_solid_context(resources={"source": [1]}, config={"minimum": 5}))
# [end:direct]


# [start:execute-solid]
def test_read_in_an_ephemeral_pipeline():
    result = execute_solid(read, mode_def=stub_mode,
                           run_config={"solids": {"read": {"config": {"minimum": 2}}}})
    assert result.output_value() == [2, 3]
    assert [e.event_type_value for e in result.step_events][-1] == "STEP_SUCCESS"
# [end:execute-solid]


# [start:pipeline]
def test_pipeline_in_test_mode():
    result = execute_pipeline(summing, mode="test",
                              run_config={"solids": {"read": {"config": {"minimum": 0}}}})
    assert result.output_for_solid("total") == 6


def test_failure_is_reported_without_raising():
    result = execute_pipeline(summing, mode="test", raise_on_error=False,
                              run_config={"solids": {"read": {"config": {"minimum": 99}}}})
    assert not result.success
    failure = result.result_for_solid("read").failure_data
    assert failure.user_failure_data.description == "nothing to read"


def test_one_solid_of_the_pipeline_with_its_input_from_config():
    result = execute_pipeline(summing, mode="test", solid_selection=["total"],
                              run_config={"solids": {"total": {"inputs": {"rows": [4, 5]}}}})
    assert result.output_for_solid("total") == 9


def test_config_is_checked_without_running():
    with pytest.raises(HeadwaterInvalidConfigError, match="minimum"):
        validate_run_config(summing, {"solids": {"read": {"config": {}}}}, mode="test")
# [end:pipeline]


# [start:within-pipeline]
def test_total_within_the_pipeline_with_its_input_by_value():
    result = execute_solid_within_pipeline(summing, "total", inputs={"rows": [4, 5]},
                                           mode="test")
    assert result.output_value() == 9
# [end:within-pipeline]


# [start:hooks]
def test_page_hook_records_the_error():
    pager: list[str] = []
    page(build_hook_context(resources={"pager": pager}, solid_exception=ValueError("boom")))
    assert pager == ["boom"]
# [end:hooks]


# [start:instance]
def test_the_run_is_recorded():
    with instance_for_test() as instance:
        result = execute_pipeline(summing, mode="test", instance=instance,
                                  run_config={"solids": {"read": {"config": {"minimum": 0}}}})
        run = instance.get_run_by_id(result.run_id)
        assert run.status.value == "SUCCESS"
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
        assert any("total" in message for message in messages)
# [end:instance]


if __name__ == "__main__":
    for name, test in list(globals().items()):
        if name.startswith("test_"):
            test()
