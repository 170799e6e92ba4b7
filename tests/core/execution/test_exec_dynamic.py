"""Dynamic outputs: one step fans out into many values, mapped steps run once per value, and
``.collect()`` gathers them again."""

import pytest

from headwater import (
    DynamicOutput,
    DynamicOutputDefinition,
    HeadwaterInvalidDefinitionError,
    HeadwaterInvariantViolationError,
    ModeDefinition,
    Output,
    create_execution_plan,
    execute_pipeline,
    fs_io_manager,
    pipeline,
    solid,
)


def emitter(count, is_required=True, name="emit"):
    @solid(name=name, output_defs=[DynamicOutputDefinition(int, is_required=is_required)])
    def emit():
        for index in range(count):
            yield DynamicOutput(index + 1, mapping_key=f"k{index + 1}")

    return emit


@solid
def double(x: int) -> int:
    return x * 2


@solid
def plus_one(x: int) -> int:
    return x + 1


@solid
def total(xs: list) -> int:
    return sum(xs)


emit_three = emitter(3)


@pipeline
def map_one():
    total(emit_three().map(double).collect())


def succeeded_keys(result):
    return [e.step_key for e in result.event_list if e.is_step_success]


def test_mapped_solid_runs_once_per_mapping_key_with_its_own_value():
    result = execute_pipeline(map_one)

    assert result.result_for_solid("double").output_value() == {"k1": 2, "k2": 4, "k3": 6}


def test_mapped_step_keys_carry_the_mapping_key():
    result = execute_pipeline(map_one)

    assert succeeded_keys(result) == ["emit", "double[k1]", "double[k2]", "double[k3]", "total"]


def test_dynamic_output_value_is_a_dict_by_mapping_key():
    result = execute_pipeline(map_one)

    assert result.result_for_solid("emit").output_value() == {"k1": 1, "k2": 2, "k3": 3}


def test_collect_gathers_every_mapped_value():
    assert execute_pipeline(map_one).result_for_solid("total").output_value() == 12


def test_map_over_two_chained_solids_keeps_each_value_on_its_key():
    @pipeline
    def map_two():
        total(emit_three().map(lambda value: plus_one(double(value))).collect())

    result = execute_pipeline(map_two)

    assert result.result_for_solid("plus_one").output_value() == {"k1": 3, "k2": 5, "k3": 7}
    assert result.result_for_solid("total").output_value() == 15


def test_collect_of_the_dynamic_output_itself_is_its_list_of_values():
    @pipeline
    def gather():
        total(emit_three().collect())

    assert execute_pipeline(gather).result_for_solid("total").output_value() == 6


def test_values_stay_apart_in_a_filesystem_io_manager(tmp_path):
    @pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
    def on_disk():
        total(emit_three().map(double).collect())

    result = execute_pipeline(on_disk, run_config={
        "resources": {"io_manager": {"config": {"base_dir": str(tmp_path)}}}})

    assert result.result_for_solid("double").output_value() == {"k1": 2, "k2": 4, "k3": 6}
    assert result.result_for_solid("total").output_value() == 12


def test_unresolved_mapped_steps_are_planned_with_a_placeholder_key():
    plan = create_execution_plan(map_one)

    assert plan.step_keys == ["emit", "total", "double[?]"]
    assert plan.get_all_step_deps()["total"] == {"double[?]"}


def test_duplicate_mapping_key_fails_the_dynamic_step():
    @solid(output_defs=[DynamicOutputDefinition(int)])
    def emit_twice():
        yield DynamicOutput(1, mapping_key="a")
        yield DynamicOutput(2, mapping_key="a")

    @pipeline
    def duplicated():
        emit_twice().map(double)

    result = execute_pipeline(duplicated, raise_on_error=False)

    assert not result.success
    assert ('yielded a DynamicOutput with mapping_key "a" multiple times'
            in result.result_for_solid("emit_twice").failure_data.error.message)


def test_invalid_mapping_key_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="mapping_key"):
        DynamicOutput(1, mapping_key="not valid")


def test_plain_output_for_a_dynamic_output_fails_the_step():
    @solid(output_defs=[DynamicOutputDefinition(int)])
    def emit_plain():
        yield Output(1)

    @pipeline
    def plain():
        emit_plain().map(double)

    result = execute_pipeline(plain, raise_on_error=False)

    assert "yield DynamicOutput" in result.result_for_solid("emit_plain").failure_data.error.message


def test_zero_dynamic_values_collect_into_an_empty_list():
    empty = emitter(0, name="emit_none")

    @pipeline
    def nothing_to_map():
        total(empty().map(double).collect())

    result = execute_pipeline(nothing_to_map)

    assert result.result_for_solid("total").output_value() == 0
    assert result.result_for_solid("double").step_events == []


def test_optional_dynamic_output_not_yielded_skips_the_collector():
    optional = emitter(0, is_required=False, name="maybe_emit")

    @pipeline
    def optional_fan_out():
        total(optional().map(double).collect())

    result = execute_pipeline(optional_fan_out)

    assert result.success
    assert result.result_for_solid("total").skipped
    assert not any(e.step_key.startswith("double") for e in result.step_event_list)


def test_failing_mapped_step_fails_the_run_but_other_keys_still_run():
    @solid
    def fragile(x: int) -> int:
        if x == 2:
            raise ValueError("two is bad")
        return x

    @pipeline
    def partly_failing():
        total(emit_three().map(fragile).collect())

    result = execute_pipeline(partly_failing, raise_on_error=False)

    assert not result.success
    assert "fragile[k1]" in succeeded_keys(result)
    assert "fragile[k3]" in succeeded_keys(result)
    assert [e.step_key for e in result.event_list if e.is_step_failure] == ["fragile[k2]"]


def test_collector_of_a_failed_mapped_step_is_abandoned_not_given_a_partial_list():
    @solid
    def fragile(x: int) -> int:
        if x == 2:
            raise ValueError("two is bad")
        return x

    @pipeline
    def partly_failing():
        total(emit_three().map(fragile).collect())

    result = execute_pipeline(partly_failing, raise_on_error=False)

    assert result.result_for_solid("total").step_events == []
    assert result.result_for_solid("total").output_value() is None


def test_mapping_inside_a_mapping_is_rejected():
    @solid(output_defs=[DynamicOutputDefinition(int)])
    def emit_again(x: int):
        yield DynamicOutput(x, mapping_key="again")

    @pipeline
    def nested():
        emit_three().map(lambda value: emit_again(value).map(double))

    with pytest.raises(HeadwaterInvalidDefinitionError, match="nested dynamic mapping"):
        execute_pipeline(nested)


def test_passing_a_dynamic_output_without_map_or_collect_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"Use .map\(fn\)"):
        @pipeline
        def unmapped():
            double(emit_three())


def test_iterating_a_dynamic_output_in_a_composition_function_is_rejected():
    with pytest.raises(HeadwaterInvariantViolationError, match="cannot be iterated"):
        @pipeline
        def iterated():
            for value in emit_three():
                double(value)


def test_mapped_step_sees_its_mapping_key_on_the_context():
    keys = []

    @solid
    def record(context, x: int):
        keys.append(context.get_mapping_key())

    @pipeline
    def recorded():
        emit_three().map(record)

    execute_pipeline(recorded)

    assert keys == ["k1", "k2", "k3"]
