"""The run config of a pipeline: every mistake reported at once with its path, before
anything runs."""

import pytest

from headwater import (
    HeadwaterInvalidConfigError,
    StringSource,
    execute_pipeline,
    pipeline,
    solid,
    validate_run_config,
)

ran = []


@solid(config_schema={"path": str, "limit": int})
def load(context):
    ran.append("load")
    return context.solid_config


@pipeline
def loading():
    load()


def config_errors(run_config):
    with pytest.raises(HeadwaterInvalidConfigError) as error:
        validate_run_config(loading, run_config)
    return [getattr(e, "message", str(e)) for e in error.value.errors]


def test_misspelled_solid_name_gets_a_did_you_mean():
    errors = config_errors({"solids": {"lod": {"config": {"path": "x", "limit": 1}}}})

    assert any('unexpected config entry "lod" at solids. Did you mean "load"?' in e
               for e in errors)


def test_every_error_is_reported_at_once_with_its_path():
    errors = config_errors({"solids": {"load": {"config": {"pth": "x", "limit": "1"}}}})

    assert len(errors) == 3
    joined = "\n".join(errors)
    assert "at solids.load.config.limit" in joined
    assert 'unexpected config entry "pth" at solids.load.config. Did you mean "path"?' in joined
    assert 'Missing required config entry "path" at solids.load.config' in joined


def test_misspelled_top_level_key_gets_a_did_you_mean():
    errors = config_errors({"solid": {}})

    assert any('"solid" at <root>. Did you mean "solids"?' in e for e in errors)


def test_error_message_has_a_preamble_naming_pipeline_and_mode():
    with pytest.raises(HeadwaterInvalidConfigError,
                       match=r'^Error in config for pipeline "loading" \(mode "default"\)'):
        validate_run_config(loading, {})


def test_invalid_config_stops_the_run_before_any_step():
    ran.clear()

    with pytest.raises(HeadwaterInvalidConfigError):
        execute_pipeline(loading, run_config={"solids": {"load": {"config": {"path": 1}}}})

    assert ran == []


def test_validate_run_config_returns_processed_values_with_defaults():
    resolved = validate_run_config(loading, {"solids": {"load": {"config": {
        "path": "orders.csv", "limit": 10}}}})

    assert resolved.solid_config("load") == {"path": "orders.csv", "limit": 10}
    assert resolved.executor_name == "in_process"
    assert resolved.executor_config == {"retries": {"enabled": {}}}


def test_executor_config_is_validated_with_a_did_you_mean():
    errors = config_errors({"solids": {"load": {"config": {"path": "x", "limit": 1}}},
                            "execution": {"in_proces": {}}})

    assert any('"in_proces" at execution. Did you mean "in_process"?' in e for e in errors)


def test_executor_retries_config_is_accepted():
    resolved = validate_run_config(loading, {
        "solids": {"load": {"config": {"path": "x", "limit": 1}}},
        "execution": {"in_process": {"config": {"retries": {"disabled": {}}}}}})

    assert resolved.executor_config == {"retries": {"disabled": {}}}


def test_config_for_a_solid_without_a_config_schema_is_an_error():
    @solid
    def free(context):
        return context.solid_config

    @pipeline
    def free_config():
        free()

    with pytest.raises(HeadwaterInvalidConfigError,
                       match=r'unexpected config entry "config" at solids\.free'):
        execute_pipeline(free_config, run_config={"solids": {"free": {"config": [1, 2]}}})


def test_a_misspelled_solid_name_in_config_gets_a_did_you_mean():
    @solid(config_schema=int)
    def scale(context):
        return context.solid_config

    @pipeline
    def scaled():
        scale()

    with pytest.raises(HeadwaterInvalidConfigError, match='Did you mean "scale"'):
        execute_pipeline(scaled, run_config={"solids": {"scal": {"config": 2}}})


def test_string_source_reads_an_environment_variable(monkeypatch):
    monkeypatch.setenv("HEADWATER_TEST_TABLE", "orders")

    @solid(config_schema={"table": StringSource})
    def read(context):
        return context.solid_config["table"]

    @pipeline
    def from_env():
        read()

    result = execute_pipeline(from_env, run_config={
        "solids": {"read": {"config": {"table": {"env": "HEADWATER_TEST_TABLE"}}}}})

    assert result.result_for_solid("read").output_value() == "orders"


def test_string_source_with_an_unset_variable_is_a_config_error_naming_it(monkeypatch):
    monkeypatch.delenv("HEADWATER_TEST_UNSET", raising=False)

    @solid(config_schema={"table": StringSource})
    def read(context):
        return context.solid_config["table"]

    @pipeline
    def from_env():
        read()

    with pytest.raises(HeadwaterInvalidConfigError,
                       match=r'"HEADWATER_TEST_UNSET" is not set \(at solids.read.config.table\)'):
        execute_pipeline(from_env, run_config={
            "solids": {"read": {"config": {"table": {"env": "HEADWATER_TEST_UNSET"}}}}})


def test_run_config_is_visible_to_solids_as_given():
    seen = []

    @solid(config_schema={"anything": int})
    def read(context):
        seen.append(context.run_config)

    @pipeline
    def visible():
        read()

    run_config = {"solids": {"read": {"config": {"anything": 1}}}}
    execute_pipeline(visible, run_config=run_config)

    assert seen == [run_config]


@solid(config_schema={"factor": int})
def scale_by(context, number: int) -> int:
    return number * context.solid_config["factor"]


@solid
def one() -> int:
    return 1


@pipeline
def aliases_of_one_solid():
    # three aliases: two fed by one(), one whose input only config can give
    value = one()
    scale_by.alias("left")(value)
    scale_by.alias("right")(value)
    scale_by.alias("alone")()


def test_aliases_of_one_solid_are_checked_each_under_its_own_path():
    with pytest.raises(HeadwaterInvalidConfigError) as error:
        validate_run_config(aliases_of_one_solid, {"solids": {
            "left": {"config": {"factor": 2}},
            "right": {"config": {"factor": "two"}},
            "alone": {"config": {"factor": 3}, "inputs": {"number": 5}},
        }})
    messages = [e.message for e in error.value.errors]
    assert len(messages) == 1
    assert "solids.right.config.factor" in messages[0]


def test_an_alias_fed_by_an_output_takes_no_input_config_where_an_unfed_one_must():
    with pytest.raises(HeadwaterInvalidConfigError) as error:
        validate_run_config(aliases_of_one_solid, {"solids": {
            "left": {"config": {"factor": 2}, "inputs": {"number": 4}},
            "right": {"config": {"factor": 2}},
            "alone": {"config": {"factor": 3}},
        }})
    messages = " | ".join(e.message for e in error.value.errors)
    assert 'unexpected config entry "inputs" at solids.left' in messages
    assert "solids.alone" in messages and '"inputs"' in messages
    result = execute_pipeline(aliases_of_one_solid, {"solids": {
        "left": {"config": {"factor": 2}},
        "right": {"config": {"factor": 3}},
        "alone": {"config": {"factor": 4}, "inputs": {"number": 5}},
    }})
    assert [result.output_for_solid(name) for name in ("left", "right", "alone")] == [2, 3, 20]
