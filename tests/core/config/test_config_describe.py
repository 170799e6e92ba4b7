"""describe() and sample_config(): showing a schema to people."""

from headwater.config import (
    Enum,
    EnumValue,
    Field,
    Noneable,
    Permissive,
    Selector,
    StringSource,
    describe,
    sample_config,
)

SCHEMA = {
    "path": Field(str, description="File to read."),
    "limit": Field(int, default_value=100),
    "mode": Enum("Mode", [EnumValue("fast"), EnumValue("safe", description="Checks every row.")]),
    "columns": [{"name": str, "type": Field(str, default_value="text")}],
    "storage": Selector({"local": {"dir": Noneable(str)}, "s3": {"bucket": StringSource}}),
    "extra": Permissive(),
}


def test_describe_shows_every_field_with_type_and_required_or_default():
    lines = describe(SCHEMA).splitlines()

    assert "path: String (required)" in lines
    assert "limit: Int (optional, default: 100)" in lines
    assert "mode: Mode, one of fast | safe (required)" in lines
    assert "extra: Permissive (optional, default: {})" in lines


def test_describe_puts_descriptions_as_comments_above_their_field():
    lines = describe(SCHEMA).splitlines()

    assert lines[lines.index("path: String (required)") - 1] == "# File to read."
    assert "  # safe: Checks every row." in lines


def test_describe_indents_nested_entries_below_their_parent():
    text = describe(SCHEMA)

    assert "columns: [Shape] (required)\n  name: String (required)\n  type: String" in text
    assert ("storage: Selector, exactly one of (required)\n"
            "  local: Shape (default: {dir: null})\n"
            "    dir: Noneable(String) (optional, default: null)\n"
            "  s3: Shape\n"
            "    bucket: StringSource (required)") in text


def test_describe_method_indents_every_line():
    text = Field({"a": int, "b": {"c": bool}}).config_type.describe(indent=4)

    assert text.splitlines() == ["    a: Int (required)", "    b: Shape (required)",
                                 "      c: Bool (required)"]


def test_describe_of_a_scalar_is_its_name():
    assert describe(int) == "Int"


def test_sample_config_has_placeholders_for_required_fields_only():
    assert sample_config(SCHEMA) == {
        "path": "...",
        "mode": "fast",
        "columns": [{"name": "..."}],
        "storage": {"local": {}},
    }
