"""``headwater pipeline execute``: running a pipeline from the command line."""

from __future__ import annotations

import re

import pytest

CHAIN = """
from headwater import Field, pipeline, solid

@solid(config_schema={"word": Field(str, default_value="hello")})
def make(context) -> str:
    context.log.info(f"made {context.solid_config['word']}")
    return context.solid_config["word"]

@solid
def shout(context, word: str) -> str:
    return word.upper()

@solid
def unrelated(context) -> int:
    return 1

@pipeline
def chain():
    shout(make())
    unrelated()
"""

FAILING = """
from headwater import pipeline, solid

def parse(text):
    return int(text)

@solid
def load(context) -> str:
    return "not a number"

@solid
def convert(context, text: str) -> int:
    return parse(text)

@solid
def report(context, number: int) -> None:
    context.log.info(f"got {number}")

@pipeline
def failing():
    report(convert(load()))
"""

CONFIGURED = """
from headwater import Field, pipeline, solid

@solid(config_schema={"region": str, "days": int,
                      "currency": Field(str, default_value="EUR")})
def load(context) -> str:
    config = context.solid_config
    context.log.info(f"region={config['region']} days={config['days']} "
                     f"currency={config['currency']}")
    return config["region"]

@pipeline
def configured():
    load()
"""

MODES = """
from headwater import ModeDefinition, PresetDefinition, pipeline, resource, solid

@resource
def memory(_):
    return "memory"

@resource
def disk(_):
    return "disk"

@solid(required_resource_keys={"store"})
def save(context) -> str:
    context.log.info(f"saved to {context.resources.store}")
    return context.resources.store

@pipeline(
    mode_defs=[ModeDefinition("test", resource_defs={"store": memory}),
               ModeDefinition("prod", resource_defs={"store": disk})],
    preset_defs=[PresetDefinition("nightly", mode="prod", tags={"schedule": "nightly"})],
)
def saving():
    save()
"""

TAGS = """
from headwater import pipeline, solid

@solid
def show_tags(context) -> None:
    context.log.info(f"team={context.get_tag('team')} "
                     f"schedule={context.get_tag('schedule')}")

@pipeline(tags={"team": "core"})
def tagged():
    show_tags()
"""

SEVERAL = """
from headwater import pipeline, repository, solid

@solid
def one(context) -> int:
    context.log.info(f"running in {context.pipeline_name}")
    return 1

@pipeline
def first():
    one()

@pipeline
def second():
    one()

def build_second():
    return second

@repository
def repo():
    return [first, second]
"""

RUN_ID = re.compile(r"run ([0-9a-f-]{36})")


def execute(invoke, *args):
    return invoke("pipeline", "execute", *args)


# -- a run that succeeds -----------------------------------------------------------------


def test_each_step_gets_a_line_as_it_starts_and_as_it_succeeds(invoke, write):
    result = execute(invoke, "-f", write("chain.py", CHAIN))
    lines = result.stdout.splitlines()
    for step in ("make", "shout", "unrelated"):
        start = lines.index(f"▶ {step}")
        end = next(number for number, line in enumerate(lines)
                   if re.fullmatch(rf"✓ {step}  [\d.]+ ms", line))
        assert start < end


def test_what_a_solid_logs_is_shown_under_its_step(invoke, write):
    result = execute(invoke, "-f", write("chain.py", CHAIN))
    assert "    make: made hello" in result.stdout.splitlines()


def test_the_run_ends_with_a_one_line_summary(invoke, write):
    result = execute(invoke, "-f", write("chain.py", CHAIN))
    assert result.exit_code == 0
    summary = result.stdout.splitlines()[-1]
    assert re.fullmatch(
        r"✓ chain succeeded in [\d.]+ (ms|s) · 3 steps: 3 succeeded, 0 failed, 0 skipped"
        r" · run [0-9a-f-]{36}", summary)


def test_the_header_names_pipeline_mode_and_run_id_of_the_run_recorded_in_the_instance(
        invoke, write):
    from headwater.instance import Instance

    result = execute(invoke, "-f", write("chain.py", CHAIN))
    header, first_step = result.stdout.splitlines()[:2]
    assert header.startswith("chain · mode default · run ")
    run_id = RUN_ID.search(header).group(1)
    assert run_id == RUN_ID.search(result.stdout.splitlines()[-1]).group(1)
    assert first_step.startswith("▶ ")
    with Instance.get() as instance:
        assert instance.get_run_by_id(run_id).status.value == "SUCCESS"


def test_the_run_records_how_to_load_the_pipeline_again(invoke, write):
    path = write("origin.py", """
        from headwater import pipeline, solid

        @solid
        def where(context) -> None:
            context.log.info(f"origin={context.pipeline_run.pipeline_origin}")

        @pipeline
        def located():
            where()
    """)
    result = execute(invoke, "-f", path)
    expected = {"python_file": str(path), "pipeline_name": "located"}
    assert f"origin={expected}" in result.stdout


# -- a run that fails --------------------------------------------------------------------


def test_a_failing_step_fails_the_run_with_exit_status_1(invoke, write):
    result = execute(invoke, "-f", write("failing.py", FAILING))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("✗ failing failed in ")


def test_a_failing_step_is_named_with_the_error(invoke, write):
    result = execute(invoke, "-f", write("failing.py", FAILING))
    assert re.search(r"^✗ convert  failed after [\d.]+ ms: ValueError: invalid literal for "
                     r"int\(\) with base 10: 'not a number'$", result.stdout, re.MULTILINE)


def test_a_failing_step_shows_the_users_traceback_from_their_code(invoke, write):
    path = write("failing.py", FAILING)
    result = execute(invoke, "-f", path)
    traceback = result.stdout.split("Traceback (most recent call last):\n", 1)[1]
    frames = re.findall(r'File "([^"]+)", line \d+, in (\w+)', traceback)
    assert frames == [(str(path), "convert"), (str(path), "parse")]
    assert "    ValueError: invalid literal" in traceback


def test_the_summary_counts_failed_and_not_run_steps_and_names_the_failed(invoke, write):
    result = execute(invoke, "-f", write("failing.py", FAILING))
    assert "3 steps: 1 succeeded, 1 failed (convert), 0 skipped, 1 not run" in \
        result.stdout.splitlines()[-1]


def test_a_step_whose_input_was_not_produced_is_shown_as_skipped(invoke, write):
    path = write("optional.py", """
        from headwater import Output, OutputDefinition, pipeline, solid

        @solid(output_defs=[OutputDefinition(int, is_required=False)])
        def maybe(context):
            if False:
                yield Output(1)

        @solid
        def after(context, value: int) -> int:
            return value

        @pipeline
        def optional():
            after(maybe())
    """)
    result = execute(invoke, "-f", path)
    assert "○ after  skipped: maybe produced no output" in result.stdout
    assert "2 steps: 1 succeeded, 0 failed, 1 skipped" in result.stdout


def test_a_retried_step_shows_the_retry_and_its_next_attempt(invoke, write):
    path = write("flaky.py", """
        from headwater import RetryPolicy, pipeline, solid

        @solid(retry_policy=RetryPolicy(max_retries=1))
        def flaky(context) -> int:
            if context.retry_number == 0:
                raise ConnectionError("try again")
            return 1

        @pipeline
        def retrying():
            flaky()
    """)
    result = execute(invoke, "-f", path)
    assert result.exit_code == 0
    assert "↻ flaky  failed: ConnectionError: try again; retry 1" in result.stdout
    assert "▶ flaky  attempt 2" in result.stdout


def test_a_resource_that_fails_to_start_fails_the_run_with_its_traceback(invoke, write):
    path = write("broken_resource.py", """
        from headwater import ModeDefinition, pipeline, resource, solid

        @resource
        def database(_):
            raise RuntimeError("cannot reach the database")

        @solid(required_resource_keys={"database"})
        def query(context) -> int:
            return 1

        @pipeline(mode_defs=[ModeDefinition(resource_defs={"database": database})])
        def querying():
            query()
    """)
    result = execute(invoke, "-f", path)
    assert result.exit_code == 1
    assert "RuntimeError: cannot reach the database" in result.stdout
    assert f'File "{path}", line 6, in database' in result.stdout


# -- config --------------------------------------------------------------------------------


def test_invalid_config_lists_every_error_with_its_path_and_exits_2(invoke, write):
    config = write("bad.yaml", """
        solids:
          load:
            config:
              region: 3
              dayz: 7
    """)
    result = execute(invoke, "-f", write("configured.py", CONFIGURED), "-c", config)
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert errors[0] == 'Error in config for pipeline "configured" (mode "default"): 3 errors'
    assert errors[1].startswith("  1. Invalid value at solids.load.config.region: expected "
                                "String, received 3 (int).")
    assert errors[2].startswith('  2. Received unexpected config entry "dayz" at '
                                'solids.load.config. Did you mean "days"?')
    assert errors[3].startswith('  3. Missing required config entry "days" at '
                                "solids.load.config.")
    assert "Traceback" not in result.stderr


def test_config_files_are_deep_merged_and_the_later_file_wins(invoke, write):
    base = write("base.yaml", """
        solids:
          load:
            config: {region: eu, days: 7, currency: USD}
    """)
    override = write("override.yaml", """
        solids:
          load:
            config: {days: 30}
    """)
    result = execute(invoke, "-f", write("configured.py", CONFIGURED), "-c", base, "-c",
                     override)
    assert "load: region=eu days=30 currency=USD" in result.stdout


def test_a_config_glob_reads_every_file_it_matches_in_sorted_order(invoke, write, tmp_path):
    write("conf/1_base.yaml", "solids: {load: {config: {region: eu, days: 7}}}")
    write("conf/2_more.yaml", "solids: {load: {config: {days: 14}}}")
    result = execute(invoke, "-f", write("configured.py", CONFIGURED), "-c",
                     str(tmp_path / "conf" / "*.yaml"))
    assert "load: region=eu days=14 currency=EUR" in result.stdout


def test_a_missing_config_file_is_named_and_exits_2(invoke, write):
    result = execute(invoke, "-f", write("configured.py", CONFIGURED), "-c", "absent.yaml")
    assert result.exit_code == 2
    assert 'Config file "absent.yaml" does not exist' in result.stderr


# -- modes, presets, selection, tags -----------------------------------------------------


def test_several_modes_need_mode_and_the_message_lists_them(invoke, write):
    result = execute(invoke, "-f", write("modes.py", MODES))
    assert result.exit_code == 2
    assert "['test', 'prod']" in result.stderr
    assert "--mode" in result.stderr


def test_mode_chooses_the_resources(invoke, write):
    result = execute(invoke, "-f", write("modes.py", MODES), "--mode", "prod")
    assert "save: saved to disk" in result.stdout
    assert "saving · mode prod · run" in result.stdout


def test_an_unknown_mode_exits_2_listing_the_modes(invoke, write):
    result = execute(invoke, "-f", write("modes.py", MODES), "--mode", "staging")
    assert result.exit_code == 2
    assert 'has no mode "staging". Available modes: [\'test\', \'prod\']' in result.stderr


def test_a_preset_brings_its_mode_and_tags(invoke, write):
    result = execute(invoke, "-f", write("modes.py", MODES), "--preset", "nightly")
    assert result.exit_code == 0
    assert "saving · mode prod · preset nightly · run" in result.stdout
    assert "save: saved to disk" in result.stdout


def test_an_unknown_preset_exits_2_listing_the_presets(invoke, write):
    result = execute(invoke, "-f", write("modes.py", MODES), "--preset", "hourly")
    assert result.exit_code == 2
    assert "no preset \"hourly\". Available presets: ['nightly']" in result.stderr


@pytest.mark.parametrize("extra", [["-c", "x.yaml"], ["--mode", "test"]])
def test_a_preset_cannot_be_combined_with_config_or_mode(invoke, write, extra):
    result = execute(invoke, "-f", write("modes.py", MODES), "--preset", "nightly", *extra)
    assert result.exit_code == 2
    assert "--preset" in result.stderr


def test_a_solid_selection_runs_only_the_selected_solids(invoke, write):
    result = execute(invoke, "-f", write("chain.py", CHAIN), "-s", "make*")
    started = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("▶")]
    assert started == ["make", "shout"]
    assert "chain · mode default · solids make* · run" in result.stdout


def test_a_selection_of_several_clauses_is_comma_separated(invoke, write):
    result = execute(invoke, "-f", write("chain.py", CHAIN), "-s", "make, unrelated")
    started = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("▶")]
    assert started == ["make", "unrelated"]


def test_a_selection_naming_an_unknown_solid_exits_2(invoke, write):
    result = execute(invoke, "-f", write("chain.py", CHAIN), "-s", "mkae")
    assert result.exit_code == 2
    assert "unknown solid(s) mkae" in result.stderr


def test_tags_are_added_to_the_run_over_the_pipelines(invoke, write):
    result = execute(invoke, "-f", write("tags.py", TAGS), "--tags",
                     '{"team": "data", "schedule": "daily"}')
    assert "show_tags: team=data schedule=daily" in result.stdout


@pytest.mark.parametrize("tags", ["{team: data}", '["team"]'])
def test_tags_that_are_not_a_json_object_exit_2(invoke, write, tags):
    result = execute(invoke, "-f", write("tags.py", TAGS), "--tags", tags)
    assert result.exit_code == 2
    assert "Invalid value for --tags" in result.stderr


# -- which code, which pipeline ----------------------------------------------------------


def test_several_pipelines_need_p_and_the_message_lists_them(invoke, write):
    result = execute(invoke, "-f", write("several.py", SEVERAL))
    assert result.exit_code == 2
    assert "has several pipelines: first, second" in result.stderr
    assert "-p/--pipeline" in result.stderr


def test_p_chooses_among_several_pipelines(invoke, write):
    result = execute(invoke, "-f", write("several.py", SEVERAL), "-p", "second")
    assert "one: running in second" in result.stdout


def test_an_unknown_pipeline_name_exits_2_with_a_suggestion(invoke, write):
    result = execute(invoke, "-f", write("several.py", SEVERAL), "-p", "secnod")
    assert result.exit_code == 2
    assert 'Did you mean "second"?' in result.stderr


@pytest.mark.parametrize(("attribute", "pipeline_args"), [
    ("second", []),
    ("build_second", []),
    ("repo", ["-p", "second"]),
])
def test_an_attribute_may_name_a_pipeline_a_function_or_a_repository(invoke, write,
                                                                     attribute,
                                                                     pipeline_args):
    result = execute(invoke, "-f", write("several.py", SEVERAL), "-a", attribute,
                     *pipeline_args)
    assert result.exit_code == 0
    assert "one: running in second" in result.stdout


def test_a_module_is_loaded_by_name_from_the_current_directory(invoke, write, tmp_path,
                                                                monkeypatch):
    write("cli_module_target.py", SEVERAL)
    monkeypatch.chdir(tmp_path)
    result = execute(invoke, "-m", "cli_module_target", "-p", "first")
    assert "one: running in first" in result.stdout


def test_a_file_that_fails_to_import_exits_2_with_the_users_traceback(invoke, write):
    path = write("broken.py", """
        from headwater import pipeline

        SETTINGS = {"region": "eu"}
        REGION = SETTINGS["regoin"]
    """)
    result = execute(invoke, "-f", path)
    assert result.exit_code == 2
    assert f'Could not load the Python file "{path}": importing it raised KeyError' in \
        result.stderr
    assert f'File "{path}", line 5, in <module>' in result.stderr


def test_the_working_directory_goes_on_sys_path(invoke, write, tmp_path):
    write("project/settings_for_cli_test.py", "GREETING = 'from the project root'\n")
    path = write("project/pipelines/located.py", """
        from headwater import pipeline, solid
        from settings_for_cli_test import GREETING

        @solid
        def greet(context) -> None:
            context.log.info(GREETING)

        @pipeline
        def located():
            greet()
    """)
    result = execute(invoke, "-f", path, "-d", tmp_path / "project")
    assert "greet: from the project root" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    ([], "-f/--python-file FILE or -m/--module-name MODULE"),
    (["-f", "a.py", "-m", "a"], "not both"),
    (["-m", "a", "-d", "."], "with -f/--python-file only"),
])
def test_the_code_must_be_named_once(invoke, args, message):
    result = execute(invoke, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_hook_that_raises_is_shown_under_its_step(invoke, write):
    path = write("hooked.py", """
        from headwater import pipeline, solid, success_hook

        @success_hook
        def notify(context):
            raise ConnectionError("chat is down")

        @solid
        def work(context) -> int:
            return 1

        @pipeline(hook_defs={notify})
        def hooked():
            work()
    """)
    result = execute(invoke, "-f", path)
    assert re.search(r"^✗ work  .*notify.*chat is down", result.stdout, re.MULTILINE)


def test_an_interrupted_run_is_summed_up_and_exits_130(invoke, write):
    path = write("interrupted.py", """
        from headwater import pipeline, solid

        @solid
        def wait_for_input(context) -> None:
            raise KeyboardInterrupt

        @pipeline
        def interrupted():
            wait_for_input()
    """)
    result = execute(invoke, "-f", path)
    assert result.exit_code == 130
    assert result.stdout.splitlines()[-1].startswith("✗ interrupted interrupted in ")


def test_a_failure_found_by_headwater_itself_shows_its_message_without_a_traceback(invoke,
                                                                                  write):
    path = write("mistyped.py", """
        from headwater import pipeline, solid

        @solid
        def count(context) -> int:
            return "three"

        @pipeline
        def mistyped():
            count()
    """)
    result = execute(invoke, "-f", path)
    assert result.exit_code == 1
    [failure] = [line for line in result.stdout.splitlines() if line.startswith("✗ count")]
    assert 'type check' in failure.lower()
    assert "Traceback" not in result.stdout
