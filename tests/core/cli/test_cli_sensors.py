"""``headwater sensor``: list, start, stop, preview and cursor."""

from __future__ import annotations

import pytest

REPOSITORY = """
import os

from headwater import RunRequest, pipeline, repository, sensor, solid

@solid(config_schema={"path": str})
def ingest(context):
    context.log.info(context.solid_config["path"])

@pipeline
def ingest_files():
    ingest()

@sensor(pipeline_name="ingest_files", minimum_interval_seconds=15)
def new_files(context):
    seen = set(context.cursor.split(",")) if context.cursor else set()
    names = sorted(os.listdir(os.environ["INBOX"]))
    for name in names:
        if name not in seen:
            yield RunRequest(run_key=name,
                             run_config={"solids": {"ingest": {"config": {"path": name}}}})
    context.update_cursor(",".join(names))

@repository
def files_repo():
    return [ingest_files, new_files]
"""


@pytest.fixture
def repo(write, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").touch()
    (inbox / "b.csv").touch()
    monkeypatch.setenv("INBOX", str(inbox))
    return write("files.py", REPOSITORY)


def test_list_shows_each_sensor_with_its_interval_and_status(invoke, repo):
    result = invoke("sensor", "list", "-f", repo)
    assert result.exit_code == 0, result.output
    [row] = [line for line in result.stdout.splitlines() if line.startswith("new_files")]
    assert "files_repo" in row and "ingest_files" in row and "15s" in row and "STOPPED" in row


def test_a_started_sensor_is_running_until_stopped(invoke, repo):
    started = invoke("sensor", "start", "new_files", "-f", repo)
    assert 'Started sensor "new_files" of repository "files_repo"' in started.stdout
    assert "RUNNING" in invoke("sensor", "list", "-f", repo, "--running").stdout
    assert invoke("sensor", "stop", "--stop-all", "-f", repo).stdout == \
        'Stopped sensor "new_files".\n'
    assert "No running sensors." in invoke("sensor", "list", "-f", repo, "--running").stdout


def test_preview_shows_the_run_requests_and_the_new_cursor_without_storing_it(invoke, repo):
    result = invoke("sensor", "preview", "new_files", "-f", repo)
    assert result.exit_code == 0, result.output
    assert "Run request 1: run key a.csv" in result.stdout
    assert "Run request 2: run key b.csv" in result.stdout
    assert "path: a.csv" in result.stdout
    assert "New cursor: a.csv,b.csv" in result.stdout
    assert "-" in [line.split()[5] for line in invoke("sensor", "list", "-f", repo)
                   .stdout.splitlines() if line.startswith("new_files")]


def test_the_cursor_set_is_what_the_next_evaluation_sees(invoke, repo):
    result = invoke("sensor", "cursor", "new_files", "--set", "a.csv", "-f", repo)
    assert result.stdout == 'Set the cursor of sensor "new_files" to "a.csv".\n'
    preview = invoke("sensor", "preview", "new_files", "-f", repo).stdout
    assert "run key a.csv" not in preview and "Run request 1: run key b.csv" in preview
    invoke("sensor", "cursor", "new_files", "--delete", "-f", repo)
    assert "Run request 1: run key a.csv" in invoke("sensor", "preview", "new_files", "-f",
                                                    repo).stdout


def test_preview_takes_a_cursor_of_its_own(invoke, repo):
    preview = invoke("sensor", "preview", "new_files", "-f", repo, "--cursor", "a.csv,b.csv")
    assert "No run requested: it asked for none." in preview.stdout


def test_cursor_needs_set_or_delete(invoke, repo):
    result = invoke("sensor", "cursor", "new_files", "-f", repo)
    assert result.exit_code == 2
    assert "Give --set VALUE or --delete" in result.stderr
