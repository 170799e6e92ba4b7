"""The legacy metadata entries (``EventMetadataEntry``, ``metadata_entries=[...]``) and
``Materialization``: accepted wherever ``metadata`` is, recorded as metadata, read back."""

import pytest

from headwater import (
    AssetMaterialization,
    EventMetadataEntry,
    ExpectationResult,
    Failure,
    HeadwaterInvalidDefinitionError,
    HeadwaterType,
    InputDefinition,
    Materialization,
    MetadataValue,
    Output,
    OutputDefinition,
    TextMetadataEntryData,
    TypeCheck,
    execute_pipeline,
    pipeline,
    solid,
)


@solid
def reports():
    yield AssetMaterialization("orders", metadata_entries=[
        EventMetadataEntry.int(3, "rows"), EventMetadataEntry.url("https://x.test", "link")])
    yield Materialization(label="legacy_table", description="written",
                          metadata_entries=[EventMetadataEntry.text("a", "note")])
    yield ExpectationResult(True, label="non_empty",
                            metadata_entries=[EventMetadataEntry.float(0.5, "ratio")])
    yield Output([1, 2, 3], metadata_entries=[EventMetadataEntry.json({"n": 3}, "summary")])


@pipeline
def reporting():
    reports()


def test_metadata_entries_on_events_are_recorded_as_metadata():
    result = execute_pipeline(reporting).result_for_solid("reports")
    first, second = result.materializations_during_compute
    assert first.metadata == {"rows": MetadataValue.int(3),
                              "link": MetadataValue.url("https://x.test")}
    assert second.metadata == {"note": MetadataValue.text("a")}
    assert result.expectation_results_during_compute[0].metadata == {
        "ratio": MetadataValue.float(0.5)}
    output_event = result.get_output_event_for_compute()
    assert output_event.step_output_data.metadata == {"summary": MetadataValue.json({"n": 3})}


def test_recorded_metadata_reads_back_as_entries():
    result = execute_pipeline(reporting).result_for_solid("reports")
    entry = result.materializations_during_compute[1].metadata_entries[0]
    assert (entry.label, entry.entry_data) == ("note", TextMetadataEntryData("a"))
    output_data = result.get_output_event_for_compute().event_specific_data
    assert output_data.metadata_entries[0].entry_data.data == {"n": 3}


def test_materialization_is_keyed_by_its_label():
    materialization = Materialization(label="legacy_table")
    assert materialization.asset_key.path == ("legacy_table",)
    assert materialization.label == "legacy_table"


def test_asset_materialization_label_joins_the_key_path():
    assert AssetMaterialization(["warehouse", "orders"]).label == "warehouse orders"


def test_materialization_without_label_or_key_says_what_to_give():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="needs a label or an asset_key"):
        Materialization()


def test_entries_given_positionally_where_legacy_put_them_are_accepted():
    output = Output(1, "result", [EventMetadataEntry.text("x", "note")])
    assert output.metadata == {"note": MetadataValue.text("x")}


def test_metadata_label_wins_over_an_entry_of_the_same_label():
    output = Output(1, metadata={"n": 2}, metadata_entries=[EventMetadataEntry.int(1, "n")])
    assert output.metadata == {"n": 2}


def test_something_other_than_an_entry_in_metadata_entries_is_an_error():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"EventMetadataEntry\.text"):
        ExpectationResult(True, metadata_entries=[("n", 1)])


def test_every_entry_constructor_round_trips_through_recorded_metadata():
    entries = [
        EventMetadataEntry.text("t", "text"), EventMetadataEntry.url("https://u", "url"),
        EventMetadataEntry.path("/tmp/p", "path"), EventMetadataEntry.json([1], "json"),
        EventMetadataEntry.md("# md", "md"), EventMetadataEntry.float(1.5, "float"),
        EventMetadataEntry.int(2, "int"), EventMetadataEntry.pipeline_run("abc", "run"),
        EventMetadataEntry.asset(["a", "b"], "asset"),
        EventMetadataEntry.python_artifact(MetadataValue, "artifact"),
    ]
    assert AssetMaterialization("x", metadata_entries=entries).metadata_entries == entries


def test_fspath_entry_is_labelled_with_the_file_name():
    assert EventMetadataEntry.fspath("/data/orders.csv").label == "orders.csv"


def _positive(_, value):
    return TypeCheck(value > 0, metadata_entries=[EventMetadataEntry.int(value, "value")])


Positive = HeadwaterType(type_check_fn=_positive, name="Positive")


@solid(output_defs=[OutputDefinition(Positive)])
def minus_one():
    return -1


@solid(input_defs=[InputDefinition("number", Positive)])
def take(number):
    return number


@pipeline
def checked():
    take(minus_one())


def test_type_check_metadata_entries_reach_the_type_check_event():
    result = execute_pipeline(checked, raise_on_error=False)
    output_event = result.result_for_solid("minus_one").compute_step_events[1]
    check = output_event.step_output_data.type_check_data
    assert not check.success
    assert check.metadata == {"value": MetadataValue.int(-1)}


@solid
def fails_with_entries():
    raise Failure("bad data", [EventMetadataEntry.text("orders", "table")])


@pipeline
def failing():
    fails_with_entries()


def test_failure_metadata_entries_reach_the_failure_event():
    result = execute_pipeline(failing, raise_on_error=False)
    data = result.result_for_solid("fails_with_entries").failure_data.user_failure_data
    assert data.metadata == {"table": MetadataValue.text("orders")}


def test_solid_result_names_its_solid_and_lists_its_output_events():
    result = execute_pipeline(reporting).result_for_solid("reports")
    assert result.solid.name == "reports"
    assert result.solid.definition is reports
    assert [e.step_output_data.output_name
            for e in result.output_events_during_compute] == ["result"]
