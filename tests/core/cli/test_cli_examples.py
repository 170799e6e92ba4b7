"""Every example in examples/ runs through the command line as its docstring says."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def execute(invoke, example, *args, env=None):
    result = invoke("pipeline", "execute", "-f", EXAMPLES / example, *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_example_says_how_to_run_it():
    examples = sorted(EXAMPLES.rglob("*.py"))
    # Integration packages add examples of their own: no fixed count, but the search must
    # find the core's.
    assert EXAMPLES / "hello_headwater.py" in examples
    for path in examples:
        source = path.read_text()
        assert source.startswith('"""'), path
        relative = path.relative_to(EXAMPLES.parent).as_posix()
        # Airflow DAG files (examples/airflow) are run by Airflow, and say so instead.
        assert f"headwater pipeline execute -f {relative}" in source or \
            "airflow dags test " in source, path


def test_hello_headwater_greets_and_shouts():
    completed = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f",
         str(EXAMPLES / "hello_headwater.py")], capture_output=True, text=True, check=True)
    assert "    greet: Hello, Headwater!" in completed.stdout
    assert "    shout: HELLO, HEADWATER!" in completed.stdout
    assert "3 steps: 3 succeeded" in completed.stdout


def test_hello_headwater_greets_whoever_the_config_names(invoke, tmp_path):
    config = tmp_path / "ada.yaml"
    config.write_text("solids: {get_name: {config: {name: Ada}}}\n")
    assert "    greet: Hello, Ada!" in execute(invoke, "hello_headwater.py", "-c", config)


def test_modes_and_resources_keeps_words_in_memory_in_test_mode(invoke):
    output = execute(invoke, "modes_and_resources.py", "--mode", "test")
    assert "save_words: Saved 9 words; the store now holds 9." in output


def test_modes_and_resources_writes_a_sqlite_file_named_by_the_environment_in_prod(invoke,
                                                                                 tmp_path):
    database = tmp_path / "words.db"
    for _ in range(2):
        output = execute(invoke, "modes_and_resources.py", "--mode", "prod",
                         env={"WORDS_DB": str(database)})
    assert "save_words: Saved 9 words; the store now holds 18." in output
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM words").fetchone() == (18,)


def test_modes_and_resources_in_prod_without_the_variable_is_a_config_error(invoke):
    result = invoke("pipeline", "execute", "-f", EXAMPLES / "modes_and_resources.py",
                    "--mode", "prod", env={"WORDS_DB": None})
    assert result.exit_code == 2
    assert 'Environment variable "WORDS_DB" is not set (at resources.store.config.path)' in \
        result.stderr


def test_modes_and_resources_needs_a_mode(invoke):
    result = invoke("pipeline", "execute", "-f", EXAMPLES / "modes_and_resources.py")
    assert result.exit_code == 2
    assert "['test', 'prod']" in result.stderr


@pytest.mark.parametrize(("preset", "days"), [("dev", 7), ("prod", 30)])
def test_presets_merge_the_base_config_with_the_presets_own_files(invoke, preset, days):
    output = execute(invoke, "presets/orders_report.py", "--preset", preset)
    assert f"load_orders: Loaded {days} days of orders for region eu." in output


def test_the_prod_preset_keeps_the_base_currency_and_adds_its_rounding(invoke):
    output = execute(invoke, "presets/orders_report.py", "--preset", "prod")
    assert "summarize: Total: 843.75 EUR" in output


def test_presets_files_given_with_c_merge_as_the_preset_does(invoke):
    config = EXAMPLES / "presets" / "config"
    output = execute(invoke, "presets/orders_report.py", "-c", config / "base.yaml",
                     "-c", config / "prod" / "*.yaml")
    assert "load_orders: Loaded 30 days of orders for region eu." in output


def test_composite_config_mapping_configures_the_children_from_one_switch(invoke, tmp_path):
    assert "drop_short_words: Kept 6 of 12 words." in execute(
        invoke, "composite_config_mapping.py")
    strict = tmp_path / "strict.yaml"
    strict.write_text("solids: {clean_words: {config: {strict: true}}}\n")
    output = execute(invoke, "composite_config_mapping.py", "-c", strict)
    assert "clean_words.drop_short_words: Kept 3 of 12 words." in output
    assert "report: Clean words: orchestrator pipelines schedule" in output


def test_dynamic_fan_out_runs_one_step_per_file_and_collects_the_counts(invoke):
    output = execute(invoke, "dynamic_fan_out.py")
    started = [line.split()[1] for line in output.splitlines() if line.startswith("▶")]
    assert sorted(started) == ["count_lines[empty_log]", "count_lines[notes_txt]",
                               "count_lines[todo_md]", "list_files", "total"]
    assert "total: 3 files, 5 lines in all" in output


def test_retry_flaky_fails_once_then_succeeds(invoke):
    output = execute(invoke, "retry_flaky.py")
    assert "↻ fetch_rates  failed: retry_flaky.ServiceUnavailable: the rates service timed " \
           "out; retry 1 in 100 ms" in output
    assert "fetch_rates: Fetched the rates on attempt 2." in output
    assert "2 steps: 2 succeeded, 0 failed" in output
