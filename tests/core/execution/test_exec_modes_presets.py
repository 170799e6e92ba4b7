"""Choosing how a run runs: modes, presets and run tags."""

import pytest

from headwater import (
    HeadwaterInvalidDefinitionError,
    HeadwaterInvariantViolationError,
    HeadwaterUnknownModeError,
    ModeDefinition,
    PresetDefinition,
    ResourceDefinition,
    execute_pipeline,
    pipeline,
    solid,
)


@solid(required_resource_keys={"greeting"}, config_schema={"name": str})
def greet(context):
    return f"{context.resources.greeting}, {context.solid_config['name']}"


@solid
def shout(text: str) -> str:
    return text.upper()


@solid(config_schema={"level": int})
def noisy(context, text: str) -> str:
    return text + "!" * context.solid_config["level"]


def _modes():
    return [
        ModeDefinition("en", resource_defs={
            "greeting": ResourceDefinition.hardcoded_resource("hello")}),
        ModeDefinition("fr", resource_defs={
            "greeting": ResourceDefinition.hardcoded_resource("bonjour")}),
    ]


GREET_ADA = {"solids": {"greet": {"config": {"name": "ada"}}}}


def build(preset_defs=(), tags=None):
    @pipeline(mode_defs=_modes(), preset_defs=list(preset_defs), tags=tags)
    def greeting():
        noisy(shout(greet()))

    return greeting


def test_mode_chooses_the_resources_of_a_run():
    result = execute_pipeline(build(), mode="fr", run_config={
        **GREET_ADA, "solids": {**GREET_ADA["solids"], "noisy": {"config": {"level": 1}}}})

    assert result.result_for_solid("greet").output_value() == "bonjour, ada"


def test_multi_mode_pipeline_needs_a_mode_and_lists_them():
    with pytest.raises(HeadwaterUnknownModeError, match=r"several modes \(\['en', 'fr'\]\)"):
        execute_pipeline(build(), run_config=GREET_ADA)


def test_unknown_mode_is_rejected_listing_the_available_ones():
    with pytest.raises(HeadwaterUnknownModeError,
                       match=r"has no mode \"de\". Available modes: \['en', 'fr'\]"):
        execute_pipeline(build(), mode="de", run_config=GREET_ADA)


def test_single_mode_pipeline_runs_in_its_mode_without_naming_it():
    modes = []

    @solid
    def record(context):
        modes.append(context.mode_def.name)

    @pipeline(mode_defs=[ModeDefinition("local")])
    def simple():
        record()

    execute_pipeline(simple)

    assert modes == ["local"]


def test_preset_supplies_run_config_and_mode():
    preset = PresetDefinition("french", run_config={
        "solids": {"greet": {"config": {"name": "ada"}}, "noisy": {"config": {"level": 2}}}},
        mode="fr")

    result = execute_pipeline(build([preset]), preset="french")

    assert result.result_for_solid("noisy").output_value() == "BONJOUR, ADA!!"


def test_preset_and_mode_together_are_rejected():
    preset = PresetDefinition("french", mode="fr")

    with pytest.raises(HeadwaterInvariantViolationError, match="only one of mode"):
        execute_pipeline(build([preset]), preset="french", mode="fr")


def test_preset_with_a_different_run_config_passed_as_well_is_rejected():
    preset = PresetDefinition("french", run_config=GREET_ADA, mode="fr")

    with pytest.raises(HeadwaterInvariantViolationError, match="has its own run config"):
        execute_pipeline(build([preset]), preset="french", run_config={"solids": {}})


def test_preset_naming_an_unknown_mode_is_rejected_at_definition():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='uses mode "de"'):
        build([PresetDefinition("german", mode="de")])


def test_unknown_preset_is_rejected_listing_the_presets():
    preset = PresetDefinition("french", mode="fr")

    with pytest.raises(HeadwaterInvariantViolationError, match=r"Available presets: \['french'\]"):
        execute_pipeline(build([preset]), preset="spanish")


def test_preset_from_files_deep_merges_globbed_files_in_order(tmp_path):
    (tmp_path / "base.yaml").write_text(
        "solids:\n  greet: {config: {name: ada}}\n  noisy: {config: {level: 1}}\n")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "a.yaml").write_text("solids:\n  noisy: {config: {level: 2}}\n")
    (overrides / "b.yaml").write_text("solids:\n  noisy: {config: {level: 3}}\n")

    preset = PresetDefinition.from_files(
        "files", [str(tmp_path / "base.yaml"), str(overrides / "*.yaml")], mode="en")

    assert preset.run_config == {"solids": {"greet": {"config": {"name": "ada"}},
                                            "noisy": {"config": {"level": 3}}}}
    result = execute_pipeline(build([preset]), preset="files")
    assert result.result_for_solid("noisy").output_value() == "HELLO, ADA!!!"


def test_preset_from_files_with_a_pattern_matching_nothing_is_rejected(tmp_path):
    with pytest.raises(Exception, match=r"nothing\.yaml"):
        PresetDefinition.from_files("files", [str(tmp_path / "nothing.yaml")])


def test_preset_from_yaml_strings_deep_merges_them():
    preset = PresetDefinition.from_yaml_strings("strings", [
        "solids: {greet: {config: {name: ada}}, noisy: {config: {level: 1}}}",
        "solids: {greet: {config: {name: grace}}}",
    ], mode="en")

    result = execute_pipeline(build([preset]), preset="strings")

    assert result.result_for_solid("noisy").output_value() == "HELLO, GRACE!"


def test_preset_solid_selection_runs_only_the_selected_solids():
    preset = PresetDefinition("just_greet", run_config=GREET_ADA, solid_selection=["greet"],
                              mode="en")

    result = execute_pipeline(build([preset]), preset="just_greet")

    assert [r.solid_handle for r in result.solid_result_list] == ["greet"]


def test_run_tags_merge_pipeline_then_preset_then_call():
    seen = {}

    @solid(required_resource_keys={"greeting"}, config_schema={"name": str})
    def greet_tags(context):
        seen.update(context.pipeline_run.tags)

    @pipeline(mode_defs=_modes(), tags={"owner": "pipeline", "team": "core", "env": "dev"},
              preset_defs=[PresetDefinition(
                  "tagged", run_config={"solids": {"greet_tags": {"config": {"name": "x"}}}},
                  mode="en", tags={"owner": "preset", "env": "staging"})])
    def tagged():
        greet_tags()

    execute_pipeline(tagged, preset="tagged", tags={"env": "prod"})

    assert {k: seen[k] for k in ("owner", "team", "env")} == {
        "owner": "preset", "team": "core", "env": "prod"}
    assert seen["headwater/preset_name"] == "tagged"


def test_run_tags_under_the_reserved_prefix_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='reserved prefix "headwater/"'):
        execute_pipeline(build(), mode="en", run_config=GREET_ADA, tags={"headwater/x": "1"})


def test_preset_tags_under_the_reserved_prefix_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match='reserved prefix "headwater/"'):
        PresetDefinition("bad", tags={"headwater/x": "1"})


def test_run_tag_values_are_visible_to_solids_through_the_context():
    seen = []

    @solid
    def read_tag(context):
        seen.append((context.has_tag("ticket"), context.get_tag("ticket")))

    @pipeline
    def tagged():
        read_tag()

    execute_pipeline(tagged, tags={"ticket": "T-1"})

    assert seen == [(True, "T-1")]
