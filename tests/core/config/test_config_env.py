"""StringSource, IntSource, BoolSource: a literal, or {env: VAR} read when config is processed."""

import pytest

from headwater.config import (
    BoolSource,
    ConfigErrorReason,
    Field,
    IntSource,
    StringSource,
    process_config,
)

VAR = "HEADWATER_TEST_CONFIG_VAR"


def value_of(schema, value):
    result = process_config(schema, value)
    assert result.success, result.errors
    return result.value


def only_error(schema, value):
    result = process_config(schema, value)
    assert not result.success
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize(("source", "literal"), [
    (StringSource, "postgres://db"), (IntSource, 5432), (BoolSource, True),
])
def test_source_accepts_a_literal(source, literal):
    assert value_of(source, literal) == literal


def test_string_source_reads_the_variable(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://db")

    assert value_of({"url": StringSource}, {"url": {"env": VAR}}) == {"url": "postgres://db"}


def test_string_source_takes_an_empty_variable_as_an_empty_string(monkeypatch):
    monkeypatch.setenv(VAR, "")

    assert value_of(StringSource, {"env": VAR}) == ""


def test_unset_variable_names_variable_and_path(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    schema = {"resources": {"db": {"config": {"url": StringSource}}}}

    error = only_error(schema, {"resources": {"db": {"config": {"url": {"env": VAR}}}}})

    assert error.reason is ConfigErrorReason.FAILED_POST_PROCESSING
    assert error.path_str == "resources.db.config.url"
    assert error.received == {"env": VAR}
    assert error.message == (f'Environment variable "{VAR}" is not set (at '
                             "resources.db.config.url). Set it, or give the value directly.")


def test_int_source_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv(VAR, " 5432 ")

    assert value_of(IntSource, {"env": VAR}) == 5432


def test_int_source_refuses_a_variable_that_is_not_a_whole_number(monkeypatch):
    monkeypatch.setenv(VAR, "54.3")

    error = only_error({"port": IntSource}, {"port": {"env": VAR}})

    assert error.reason is ConfigErrorReason.FAILED_POST_PROCESSING
    assert error.received == "54.3"
    assert error.message == (f'Environment variable "{VAR}" holds "54.3", which is not a valid '
                             "Int (at port). Set it to a whole number, or give the value "
                             "directly.")


@pytest.mark.parametrize("text", ["true", "TRUE", "1", "yes", "On", " on "])
def test_bool_source_reads_true_words(monkeypatch, text):
    monkeypatch.setenv(VAR, text)

    assert value_of(BoolSource, {"env": VAR}) is True


@pytest.mark.parametrize("text", ["false", "False", "0", "no", "OFF", ""])
def test_bool_source_reads_false_words(monkeypatch, text):
    monkeypatch.setenv(VAR, text)

    assert value_of(BoolSource, {"env": VAR}) is False


@pytest.mark.parametrize("text", ["maybe", "2", "truthy"])
def test_bool_source_refuses_other_words_instead_of_taking_them_as_true(monkeypatch, text):
    monkeypatch.setenv(VAR, text)

    error = only_error(BoolSource, {"env": VAR})

    assert error.reason is ConfigErrorReason.FAILED_POST_PROCESSING
    assert "not a valid Bool" in error.message
    assert "true/false" in error.message


def test_source_refuses_a_literal_of_the_wrong_type_naming_both_forms():
    error = only_error({"port": IntSource}, {"port": "5432"})

    assert error.reason is ConfigErrorReason.RUNTIME_TYPE_MISMATCH
    assert error.message == ('Invalid value at port: expected Int or {env: VAR_NAME} '
                             '(IntSource), received "5432" (str).')


def test_source_refuses_a_misspelled_env_key():
    errors = process_config(StringSource, {"evn": VAR}).errors

    assert [error.reason for error in errors] == [ConfigErrorReason.FIELD_NOT_DEFINED,
                                                  ConfigErrorReason.MISSING_REQUIRED_FIELD]
    assert 'Did you mean "env"?' in errors[0].message


def test_env_default_does_not_need_the_variable_at_definition_time(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)

    field = Field(StringSource, default_value={"env": VAR})

    assert field.default_value == {"env": VAR}


def test_env_default_is_read_when_config_is_processed(monkeypatch):
    schema = {"token": Field(StringSource, default_value={"env": VAR})}
    monkeypatch.setenv(VAR, "secret")

    assert value_of(schema, {}) == {"token": "secret"}
