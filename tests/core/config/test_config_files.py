"""Config from YAML files and strings, and deep_merge."""

import pytest

from headwater.config import config_from_files, config_from_yaml_strings, deep_merge
from headwater.errors import HeadwaterInvalidConfigError


def write(directory, name, text):
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_deep_merge_merges_nested_dicts_and_later_wins():
    merged = deep_merge({"a": {"b": 1, "c": 2}, "d": 1}, {"a": {"c": 3}}, {"d": 4})

    assert merged == {"a": {"b": 1, "c": 3}, "d": 4}


def test_deep_merge_replaces_lists():
    assert deep_merge({"items": [1, 2]}, {"items": [3]}) == {"items": [3]}


def test_deep_merge_replaces_a_dict_by_a_scalar_and_a_scalar_by_a_dict():
    assert deep_merge({"a": {"b": 1}}, {"a": 0}) == {"a": 0}
    assert deep_merge({"a": 0}, {"a": {"b": 1}}) == {"a": {"b": 1}}


def test_deep_merge_leaves_its_inputs_unchanged():
    first, second = {"a": {"b": 1}}, {"a": {"c": 2}}

    merged = deep_merge(first, second)
    merged["a"]["d"] = 3

    assert first == {"a": {"b": 1}}
    assert second == {"a": {"c": 2}}


def test_deep_merge_refuses_a_value_that_is_not_a_dict():
    with pytest.raises(TypeError, match="argument 1 is list"):
        deep_merge({}, [])


def test_config_from_yaml_strings_merges_in_order():
    config = config_from_yaml_strings(["solids: {load: {config: {path: a, limit: 1}}}",
                                       "solids: {load: {config: {path: b}}}"])

    assert config == {"solids": {"load": {"config": {"path": "b", "limit": 1}}}}


def test_config_from_yaml_strings_takes_an_empty_document_as_empty_config():
    assert config_from_yaml_strings(["", "a: 1"]) == {"a": 1}


def test_yaml_string_parse_error_names_the_string_and_line():
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        config_from_yaml_strings(["a: 1", "a: 1\nb: [unclosed\n"])

    assert "YAML string 2, line 3" in str(raised.value)


def test_yaml_whose_top_level_is_not_a_mapping_is_an_error():
    with pytest.raises(HeadwaterInvalidConfigError, match="top level must be a mapping"):
        config_from_yaml_strings(["- a\n- b\n"])


def test_config_from_files_expands_globs_in_sorted_order_and_merges(tmp_path):
    write(tmp_path, "base.yaml", "resources: {db: {config: {url: base, pool: 2}}}\n")
    write(tmp_path, "env/b.yaml", "resources: {db: {config: {url: b}}}\n")
    write(tmp_path, "env/a.yaml", "resources: {db: {config: {url: a}}}\nexecution: {in_process: {}}\n")

    config = config_from_files([tmp_path / "base.yaml", str(tmp_path / "env" / "*.yaml")])

    assert config == {"resources": {"db": {"config": {"url": "b", "pool": 2}}},
                      "execution": {"in_process": {}}}


def test_config_from_files_accepts_recursive_globs(tmp_path):
    write(tmp_path, "deep/er/x.yaml", "x: 1\n")

    assert config_from_files([str(tmp_path / "**" / "*.yaml")]) == {"x": 1}


def test_pattern_matching_no_file_is_an_error_naming_it(tmp_path):
    write(tmp_path, "base.yaml", "a: 1\n")
    pattern = str(tmp_path / "missing" / "*.yaml")

    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        config_from_files([str(tmp_path / "base.yaml"), pattern])

    assert f'No config file matches the pattern "{pattern}"' in str(raised.value)


def test_every_missing_file_and_bad_file_is_reported_at_once(tmp_path):
    write(tmp_path, "bad.yaml", "a: [1\n")

    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        config_from_files([str(tmp_path / "nope.yaml"), str(tmp_path / "bad.yaml")])

    assert len(raised.value.errors) == 2
    assert f'Config file "{tmp_path / "nope.yaml"}" does not exist' in raised.value.errors[0]
    assert raised.value.errors[1].startswith(f"{tmp_path / 'bad.yaml'}, line 2")


def test_import_of_the_config_package_does_not_import_yaml():
    import subprocess
    import sys

    code = "import sys, headwater.config; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "False"
