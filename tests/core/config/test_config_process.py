"""process_config: validation and post-processing of dicts, lists and unions, all errors at once."""

import pytest

from headwater.config import (
    Any,
    ConfigError,
    ConfigErrorReason,
    ConfigResult,
    Enum,
    EnumValue,
    Field,
    Noneable,
    Permissive,
    ScalarUnion,
    Selector,
    Shape,
    process_config,
)

LOAD = {
    "solids": {
        "load": {
            "config": {
                "path": Field(str, description="File to read."),
                "limit": Field(int, default_value=100),
                "items": Field([{"name": str}], is_required=False),
            },
        },
    },
}


def value_of(schema, value):
    result = process_config(schema, value)
    assert result.success, result.errors
    assert result.errors == []
    return result.value


def errors_of(schema, value):
    result = process_config(schema, value)
    assert not result.success
    assert result.value is None
    return result.errors


def test_result_and_errors_are_frozen_dataclasses():
    result = process_config(int, "x")

    assert isinstance(result, ConfigResult)
    assert isinstance(result.errors[0], ConfigError)
    with pytest.raises(AttributeError):
        result.success = True
    with pytest.raises(AttributeError):
        result.errors[0].message = "changed"


def test_shape_fills_defaults_of_absent_fields():
    value = value_of(LOAD, {"solids": {"load": {"config": {"path": "in.csv"}}}})

    assert value == {"solids": {"load": {"config": {"path": "in.csv", "limit": 100}}}}


def test_absent_optional_field_without_default_stays_absent():
    value = value_of({"a": Field(int, is_required=False)}, {})

    assert value == {}


def test_absent_nested_optional_shape_resolves_to_its_defaults():
    schema = {"outer": {"inner": {"flag": Field(bool, default_value=True)}, "n": Noneable(int)}}

    assert value_of(schema, {}) == {"outer": {"inner": {"flag": True}, "n": None}}


def test_given_values_win_over_defaults():
    assert value_of({"limit": Field(int, default_value=1)}, {"limit": 5}) == {"limit": 5}


def test_empty_yaml_value_for_a_dict_counts_as_an_empty_dict():
    schema = {"retries": {"max": Field(int, default_value=3)}}

    assert value_of(schema, {"retries": None}) == {"retries": {"max": 3}}


def test_root_none_means_nothing_given_and_uses_the_default():
    assert value_of(Field(int, default_value=7), None) == 7
    assert value_of({"limit": Field(int, default_value=7)}, None) == {"limit": 7}


def test_processing_does_not_change_the_given_value():
    given = {"solids": {"load": {"config": {"path": "in.csv"}}}}

    value_of(LOAD, given)

    assert given == {"solids": {"load": {"config": {"path": "in.csv"}}}}


def test_defaults_passed_through_are_fresh_copies_each_time():
    schema = {"options": Field(Any, default_value={"tags": ["a"]})}

    first = value_of(schema, {})
    first["options"]["tags"].append("b")

    assert value_of(schema, {}) == {"options": {"tags": ["a"]}}


def test_missing_required_field_names_path_and_sample():
    (error,) = errors_of(LOAD, {"solids": {"load": {"config": {"limit": 5}}}})

    assert error.reason is ConfigErrorReason.MISSING_REQUIRED_FIELD
    assert error.path == ("solids", "load", "config")
    assert error.path_str == "solids.load.config"
    assert error.expected == "String"
    assert error.received is None
    assert error.message == ('Missing required config entry "path" at solids.load.config. '
                             "Expected: String. Sample config: {path: ...}")


def test_several_missing_fields_are_one_error_listing_them_all():
    (error,) = errors_of({"path": str, "limit": int, "flag": Field(bool, default_value=False)}, {})

    assert error.reason is ConfigErrorReason.MISSING_REQUIRED_FIELDS
    assert error.message == ('Missing required config entries "path", "limit" at <root>. '
                             "Expected: {path: String, limit: Int}. "
                             "Sample config: {path: ..., limit: 0}")


def test_missing_nested_shape_shows_a_nested_sample():
    (error,) = errors_of(LOAD, {"solids": {"load": {}}})

    assert error.message.endswith("Sample config: {config: {path: ...}}")


def test_unexpected_field_suggests_the_declared_one_meant():
    errors = errors_of(LOAD, {"solids": {"load": {"config": {"pth": "in.csv", "limit": 1}}}})

    unexpected = next(e for e in errors if e.reason is ConfigErrorReason.FIELD_NOT_DEFINED)
    assert unexpected.received == "pth"
    assert unexpected.message == ('Received unexpected config entry "pth" at solids.load.config. '
                                  'Did you mean "path"? Declared entries: [path, limit, items].')


def test_unexpected_field_without_close_match_lists_declared_entries_only():
    (error,) = errors_of({"a": Field(int, default_value=1)}, {"zzz": 1})

    assert error.message == 'Received unexpected config entry "zzz" at <root>. Declared entries: [a].'


def test_several_unexpected_fields_are_one_error_with_a_suggestion_for_each():
    schema = {"path": Field(str, default_value=""), "limit": Field(int, default_value=1)}

    (error,) = errors_of(schema, {"pth": "x", "limt": 2})

    assert error.reason is ConfigErrorReason.FIELDS_NOT_DEFINED
    assert error.received == ["pth", "limt"]
    assert error.message == ('Received unexpected config entries "pth", "limt" at <root>. '
                             'Did you mean "path" for "pth", "limit" for "limt"? '
                             "Declared entries: [path, limit].")


def test_every_error_is_reported_at_once():
    value = {
        "solids": {"load": {"config": {"limit": "ten", "items": [{"name": 1}, {}], "x": 1}}},
        "extra": True,
    }

    errors = errors_of(LOAD, value)

    assert sorted((e.reason.name, e.path_str) for e in errors) == [
        ("FIELD_NOT_DEFINED", "<root>"),
        ("FIELD_NOT_DEFINED", "solids.load.config"),
        ("MISSING_REQUIRED_FIELD", "solids.load.config"),
        ("MISSING_REQUIRED_FIELD", "solids.load.config.items[1]"),
        ("RUNTIME_TYPE_MISMATCH", "solids.load.config.items[0].name"),
        ("RUNTIME_TYPE_MISMATCH", "solids.load.config.limit"),
    ]


def test_paths_render_list_indexes_in_brackets():
    errors = errors_of({"matrix": [[int]]}, {"matrix": [[1], [2, "x"]]})

    assert errors[0].path == ("matrix", 1, 1)
    assert errors[0].path_str == "matrix[1][1]"


def test_value_that_is_not_a_dict_where_one_is_expected():
    (error,) = errors_of(LOAD, {"solids": ["load"]})

    assert error.reason is ConfigErrorReason.RUNTIME_TYPE_MISMATCH
    assert error.message == ("Invalid value at solids: expected a dict (Shape{load}), "
                             "received ['load'] (list).")


def test_permissive_checks_declared_fields_and_passes_extras_through():
    schema = Permissive({"known": int})

    assert value_of(schema, {"known": 1, "other": {"x": [1]}}) == {"known": 1, "other": {"x": [1]}}
    (error,) = errors_of(schema, {"known": "1"})
    assert error.path_str == "known"


def test_permissive_still_requires_declared_fields():
    (error,) = errors_of(Permissive({"known": int}), {"other": 1})

    assert error.reason is ConfigErrorReason.MISSING_REQUIRED_FIELD


def test_array_processes_each_item():
    schema = [{"name": str, "size": Field(int, default_value=0)}]

    assert value_of(schema, [{"name": "a"}, {"name": "b", "size": 2}]) == [
        {"name": "a", "size": 0}, {"name": "b", "size": 2},
    ]


def test_array_accepts_a_tuple_and_returns_a_list():
    assert value_of([int], (1, 2)) == [1, 2]


def test_value_that_is_not_a_list_where_one_is_expected():
    (error,) = errors_of({"items": [int]}, {"items": 3})

    assert error.message == "Invalid value at items: expected a list ([Int]), received 3 (int)."


def test_noneable_accepts_none_or_the_inner_type():
    assert value_of({"n": Noneable(int)}, {"n": None}) == {"n": None}
    assert value_of({"n": Noneable(int)}, {"n": 4}) == {"n": 4}
    assert errors_of({"n": Noneable(int)}, {"n": "4"})[0].path_str == "n"


def test_selector_takes_exactly_one_declared_entry():
    schema = Selector({"in_process": {}, "multiprocess": {"workers": Field(int, default_value=2)}})

    assert value_of(schema, {"multiprocess": {}}) == {"multiprocess": {"workers": 2}}
    assert value_of(schema, {"in_process": None}) == {"in_process": {}}


def test_selector_given_no_entry_lists_the_choices():
    (error,) = errors_of({"execution": Selector({"a": {}, "b": {}})}, {"execution": {}})

    assert error.reason is ConfigErrorReason.SELECTOR_FIELD_ERROR
    assert error.message == ("Expected exactly one entry at execution, received none. "
                             "Choose one of [a, b].")


def test_selector_given_several_entries_names_them():
    (error,) = errors_of(Selector({"a": {}, "b": {}, "c": {}}), {"a": {}, "c": {}})

    assert error.reason is ConfigErrorReason.SELECTOR_FIELD_ERROR
    assert error.message == ('Expected exactly one entry at <root>, received 2: "a", "c". '
                             "Choose one of [a, b, c].")


def test_selector_given_an_unknown_entry_suggests_a_declared_one():
    (error,) = errors_of(Selector({"in_process": {}, "multiprocess": {}}), {"in_proces": {}})

    assert error.reason is ConfigErrorReason.FIELD_NOT_DEFINED
    assert 'Did you mean "in_process"?' in error.message


def test_one_field_selector_with_default_chooses_it_when_absent():
    schema = {"execution": Selector({"in_process": {"retries": Field(int, default_value=0)}})}

    assert value_of(schema, {}) == {"execution": {"in_process": {"retries": 0}}}
    assert value_of(schema, {"execution": {}}) == {"execution": {"in_process": {"retries": 0}}}


def test_selector_checks_the_chosen_entry():
    (error,) = errors_of(Selector({"a": {"n": int}, "b": {}}), {"a": {"n": "x"}})

    assert error.path_str == "a.n"


def test_scalar_union_routes_by_the_form_of_the_value():
    schema = ScalarUnion(str, {"path": str, "mode": Field(str, default_value="r")})

    assert value_of(schema, "in.csv") == "in.csv"
    assert value_of(schema, {"path": "in.csv"}) == {"path": "in.csv", "mode": "r"}


def test_scalar_union_error_names_both_forms():
    (error,) = errors_of(ScalarUnion(int, [int]), 1.5)

    assert error.message == "Invalid value at <root>: expected Int or [Int], received 1.5 (float)."


def test_enums_inside_dicts_and_defaults_become_python_values():
    mode = Enum("Mode", [EnumValue("fast", python_value=1), EnumValue("safe", python_value=2)])
    schema = {"given": mode, "default": Field(mode, default_value="safe")}

    assert value_of(schema, {"given": "fast"}) == {"given": 1, "default": 2}


def test_large_shape_of_solids_is_processed_entry_by_entry():
    schema = Shape({f"solid_{i}": {"config": {"n": int}} for i in range(2000)})
    value = {f"solid_{i}": {"config": {"n": i}} for i in range(2000)}

    assert value_of(schema, value) == value
