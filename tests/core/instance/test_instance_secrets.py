"""Secrets never reach the instance or the terminal: a value read from the environment for
config, or given to a field declared secret, is masked in log lines, events, errors,
captured output and command output; the instance's files are private to their user."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from headwater import (
    Field,
    ModeDefinition,
    StringSource,
    execute_pipeline,
    instance_for_test,
    pipeline,
    resource,
    solid,
)
from headwater.config.secrets import mask, register_secret

SECRET = "hunter2-s3cr3t-token"
DECLARED = "declared-secret-value"

LEAKY = '''
import sys

from headwater import Field, ModeDefinition, StringSource, pipeline, resource, solid


@resource(config_schema={"token": Field(StringSource)})
def api(init_context):
    return init_context.resource_config["token"]


@solid(required_resource_keys={"api"})
def leak(context):
    token = context.resources.api
    context.log.info(f"connecting with {token}")
    print(f"stdout says {token}")
    print(f"stderr says {token}", file=sys.stderr)
    raise RuntimeError(f"the service refused {token}")


@pipeline(mode_defs=[ModeDefinition(resource_defs={"api": api})])
def leaky():
    leak()
'''


@pytest.fixture
def leaky_run(tmp_path: Path):
    """Run ``leaky`` through the command line with the token in the environment; returns
    (home, the command's output)."""
    home = tmp_path / "home"
    code = tmp_path / "leaky.py"
    code.write_text(LEAKY)
    config = tmp_path / "run.yaml"
    config.write_text("resources: {api: {config: {token: {env: API_TOKEN}}}}\n")
    env = {**os.environ, "HEADWATER_HOME": str(home), "API_TOKEN": SECRET}
    result = subprocess.run([sys.executable, "-m", "headwater", "pipeline", "execute", "-f",
                             str(code), "-c", str(config)], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    return home, result.stdout + result.stderr, env


def test_a_secret_from_the_environment_is_nowhere_in_the_instance_after_a_run(leaky_run):
    home, _, _ = leaky_run
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name == "headwater.db" for path in files)
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), f"the secret is in {path}"


def test_a_secret_is_masked_in_what_the_command_prints_and_in_what_the_instance_shows(
        leaky_run):
    _, output, env = leaky_run
    assert SECRET not in output
    assert "connecting with ***" in output
    assert "the service refused ***" in output
    run_id = subprocess.run([sys.executable, "-m", "headwater", "run", "list"], env=env,
                            capture_output=True, text=True).stdout.splitlines()[1].split()[0]
    for command in (["run", "logs", run_id], ["run", "show", run_id],
                    ["run", "logs", run_id, "--step", "leak"]):
        shown = subprocess.run([sys.executable, "-m", "headwater", *command], env=env,
                               capture_output=True, text=True)
        assert SECRET not in shown.stdout + shown.stderr


def test_captured_output_keeps_its_length_with_the_secret_overwritten(leaky_run):
    home, _, _ = leaky_run
    captured = b"".join(path.read_bytes() for path in home.rglob("*.out"))
    assert b"stdout says " + b"*" * len(SECRET) in captured


def test_instance_folders_and_files_are_private_to_their_user(leaky_run):
    home, _, _ = leaky_run
    paths = [home, *home.rglob("*")]
    assert any(path.suffix == ".db" for path in paths)
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = 0o700 if path.is_dir() else 0o600
        assert mode == expected, f"{path} is {oct(mode)}"


def test_a_field_declared_secret_is_masked_in_events_and_errors():
    @resource(config_schema={"password": Field(str, is_secret=True), "user": str})
    def database(init_context):
        return init_context.resource_config

    @solid(required_resource_keys={"database"})
    def connect(context):
        settings = context.resources.database
        context.log.info(f"{settings['user']} logs in with {settings['password']}")
        raise ValueError(f"wrong password {settings['password']}")

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"database": database})])
    def secured():
        connect()

    with instance_for_test() as instance:
        result = execute_pipeline(secured, run_config={"resources": {"database": {"config": {
            "password": DECLARED, "user": "analyst"}}}}, raise_on_error=False,
            instance=instance)
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert "analyst logs in with ***" in messages
    [failure] = [e for e in result.event_list if e.event_type_value == "STEP_FAILURE"]
    error = failure.event_specific_data.error
    assert DECLARED not in error.message + "".join(error.stack)
    assert "wrong password ***" in error.message


def test_short_values_are_not_masked_everywhere():
    register_secret("dev")
    assert mask("dev and prod") == "dev and prod"


def test_a_secret_is_masked_in_its_json_escaped_form_too():
    tricky = 'quote"and\\backslash-é'
    register_secret(tricky)
    import json

    assert tricky not in mask(f"text {tricky}")
    assert json.dumps(tricky)[1:-1] not in mask(json.dumps({"value": f"x {tricky}"}))


def test_a_string_source_given_directly_is_not_registered_as_secret():
    @solid(config_schema={"name": Field(StringSource)})
    def greet(context):
        context.log.info(f"hello {context.solid_config['name']}")

    @pipeline
    def greeting():
        greet()

    with instance_for_test() as instance:
        result = execute_pipeline(greeting, run_config={"solids": {"greet": {"config": {
            "name": "visible-name-123"}}}}, instance=instance)
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert "hello visible-name-123" in messages
