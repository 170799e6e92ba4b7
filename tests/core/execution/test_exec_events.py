"""Events a solid yields or raises besides its outputs: materializations, expectations,
type checks and structured failures."""

import pytest

from headwater import (
    AssetKey,
    AssetMaterialization,
    ExpectationResult,
    Failure,
    HeadwaterType,
    MetadataValue,
    Output,
    OutputDefinition,
    TypeCheck,
    execute_pipeline,
    execute_solid,
    pipeline,
    solid,
)


def test_asset_materialization_is_recorded_with_its_key_and_description():
    @solid
    def write():
        yield AssetMaterialization(["warehouse", "orders"], description="nightly load")
        yield Output(None)

    result = execute_solid(write)

    (materialization,) = result.materializations_during_compute
    assert materialization.asset_key == AssetKey(["warehouse", "orders"])
    assert materialization.description == "nightly load"
    (event,) = result.materialization_events_during_compute
    assert event.asset_key.to_string() == "warehouse/orders"


def test_materialization_metadata_values_get_a_kind_from_their_python_type():
    @solid
    def write():
        yield AssetMaterialization("orders", metadata={
            "rows": 3, "ratio": 0.5, "owner": "data", "schema": {"id": "int"},
            "flag": True, "link": MetadataValue.url("https://example.com/orders"),
            "notes": MetadataValue.md("# Orders"),
        })
        yield Output(None)

    (materialization,) = execute_solid(write).materializations_during_compute

    kinds = {label: value.kind for label, value in materialization.metadata.items()}
    assert kinds == {"rows": "int", "ratio": "float", "owner": "text", "schema": "json",
                     "flag": "json", "link": "url", "notes": "md"}


def test_metadata_value_of_an_unsupported_type_is_rejected():
    with pytest.raises(Exception, match='metadata "when"'):
        AssetMaterialization("orders", metadata={"when": object()})


def test_file_materialization_is_keyed_by_its_path_with_a_path_entry(tmp_path):
    path = tmp_path / "orders.csv"

    materialization = AssetMaterialization.file(path, description="export")

    assert materialization.asset_key == AssetKey(str(path))
    assert materialization.metadata["path"] == MetadataValue("path", str(path))


def test_file_materialization_can_be_given_an_asset_key(tmp_path):
    materialization = AssetMaterialization.file(tmp_path / "o.csv", asset_key="orders")

    assert materialization.asset_key == AssetKey("orders")


def test_expectation_results_are_recorded_whether_they_passed_or_not():
    @solid
    def check():
        yield ExpectationResult(True, "non_empty", metadata={"rows": 10})
        yield ExpectationResult(False, "unique", description="2 duplicates")
        yield Output(None)

    result = execute_solid(check)

    assert result.success
    expectations = result.expectation_results_during_compute
    assert [(e.label, e.success) for e in expectations] == [("non_empty", True),
                                                            ("unique", False)]
    assert expectations[0].metadata["rows"].value == 10
    assert [e.message for e in result.expectation_events_during_compute] == [
        "Expectation non_empty passed.", "Expectation unique failed."]


def _even_check(_context, value):
    return TypeCheck(value % 2 == 0, description="must be even", metadata={"value": value})


Even = HeadwaterType(_even_check, name="Even")


def test_custom_type_check_success_is_recorded_on_the_output_event():
    @solid(output_defs=[OutputDefinition(Even)])
    def two():
        return 2

    (event,) = execute_solid(two).get_output_events_for_compute()

    check = event.step_output_data.type_check_data
    assert check.success
    assert check.metadata["value"].value == 2


def test_custom_type_check_failure_fails_the_step_with_its_description_and_metadata():
    @solid(output_defs=[OutputDefinition(Even)])
    def three():
        return 3

    result = execute_solid(three, raise_on_error=False)

    assert not result.success
    assert result.failure_data.error.message.endswith(
        'Type check failed for step output "result" - expected type "Even". must be even')
    (event,) = result.get_output_events_for_compute()
    check = event.step_output_data.type_check_data
    assert (check.success, check.description) == (False, "must be even")
    assert check.metadata["value"].value == 3


def test_failure_fails_the_step_with_its_description_and_metadata():
    @solid
    def load():
        raise Failure("table is empty", metadata={"table": "orders", "rows": 0})

    result = execute_solid(load, raise_on_error=False)

    user_data = result.failure_data.user_failure_data
    assert user_data.description == "table is empty"
    assert {k: v.value for k, v in user_data.metadata.items()} == {"table": "orders", "rows": 0}
    assert result.failure_data.error.cls_name == "Failure"


def test_failure_is_raised_as_is_with_raise_on_error():
    @solid
    def load():
        raise Failure("table is empty")

    with pytest.raises(Failure, match="table is empty") as error:
        execute_solid(load)

    assert type(error.value) is Failure


def test_failure_with_unrecordable_metadata_fails_only_its_step():
    @solid
    def load():
        raise Failure("table is empty", metadata={"handle": object()})

    @solid
    def independent():
        return "ran"

    @pipeline
    def both():
        load()
        independent()

    result = execute_pipeline(both, raise_on_error=False)

    description = result.result_for_solid("load").failure_data.user_failure_data.description
    assert description.startswith("table is empty (")
    assert 'metadata "handle"' in description
    assert result.result_for_solid("independent").output_value() == "ran"
