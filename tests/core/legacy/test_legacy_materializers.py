"""Type materializers: the legacy ``outputs: [{<output>: ...}]`` config writes an output
where it says, and the materializations are recorded."""

from __future__ import annotations

import json

import pytest

from headwater import (
    AssetMaterialization,
    HeadwaterInvalidConfigError,
    HeadwaterInvalidDefinitionError,
    HeadwaterType,
    OutputDefinition,
    PythonObjectHeadwaterType,
    execute_pipeline,
    headwater_type_materializer,
    pipeline,
    solid,
)


@headwater_type_materializer({"path": str})
def write_json(context, config, value):
    with open(config["path"], "w") as file:
        json.dump(value, file)
    return AssetMaterialization.file(config["path"])


Report = PythonObjectHeadwaterType(dict, name="Report", materializer=write_json)


@solid(output_defs=[OutputDefinition(Report)])
def report():
    return {"orders": 3}


@pipeline
def reporting():
    report()


def test_each_materialization_config_entry_writes_the_output_and_is_recorded(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    result = execute_pipeline(reporting, run_config={"solids": {"report": {"outputs": [
        {"result": {"path": str(first)}}, {"result": {"path": str(second)}}]}}})
    assert json.loads(first.read_text()) == {"orders": 3}
    assert json.loads(second.read_text()) == {"orders": 3}
    keys = [m.asset_key.to_string()
            for m in result.result_for_solid("report").materializations_during_compute]
    assert keys == [str(first), str(second)]


def test_without_outputs_config_nothing_is_materialized():
    result = execute_pipeline(reporting)
    assert result.result_for_solid("report").materializations_during_compute == []


def test_materializer_config_is_validated_against_its_schema():
    with pytest.raises(HeadwaterInvalidConfigError, match="path"):
        execute_pipeline(reporting, run_config={"solids": {"report": {"outputs": [
            {"result": {"paht": "x.json"}}]}}})


def test_a_materializer_must_be_built_with_the_decorator():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="@headwater_type_materializer"):
        HeadwaterType(lambda _, value: True, name="Bad", materializer=lambda *a: None)
