"""Environment failures: an instance folder that cannot be made or written, a damaged or
empty database, files that are not UTF-8, a disk that fills up during a run. Each is one
clear message naming the file and the fix, never a traceback; a run that cannot start
exits 2 and records nothing, a run that meets a full disk records its own failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HELLO = '''
from headwater import pipeline, solid


@solid
def one(context):
    context.log.info("one ran")
    return 1


@pipeline
def hello():
    one()
'''

FILL_THE_DISK = '''
import os

from headwater import pipeline, solid


@solid
def fill(context):
    context.log.info("filling the disk")
    with open(os.path.join(os.environ["HEADWATER_HOME"], "ballast"), "wb") as ballast:
        try:
            while True:
                ballast.write(b"x" * 65536)
        except OSError:
            pass
    for number in range(300):
        context.log.info(f"line {number} after the disk is full " + "y" * 200)
    return 1


@solid
def after(context, x):
    return x


@pipeline
def filler():
    after(fill())
'''


def headwater(home: Path | str, *args: str, code: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    command = [sys.executable, "-m", "headwater", *args]
    if code is not None:
        command += ["-f", str(code)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def hello_file(tmp_path: Path) -> Path:
    path = tmp_path / "hello.py"
    path.write_text(HELLO)
    return path


@pytest.fixture
def small_disk(tmp_path: Path):
    """``small_disk(size, read_only=False)``: a tmpfs of that size mounted in the test's
    folder (root can mount; the test fails if it cannot)."""
    mounted: list[Path] = []

    def mount(size: str, read_only: bool = False) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        options = f"size={size}" + (",ro" if read_only else "")
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _one_clear_error(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr


def test_a_home_under_a_file_is_one_clear_error(tmp_path, hello_file):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = headwater(blocker / "home", "pipeline", "execute", code=hello_file)
    _one_clear_error(result, 2, f'"{blocker / "home"}" cannot be created', "HEADWATER_HOME")


def test_a_read_only_home_is_one_clear_error(small_disk, hello_file):
    home = small_disk("1m", read_only=True)
    result = headwater(home, "pipeline", "execute", code=hello_file)
    _one_clear_error(result, 2, "cannot be written", "Read-only file system")


def test_a_damaged_database_is_reported_with_how_to_check_and_restore(tmp_path, hello_file):
    history = tmp_path / "home" / "history"
    history.mkdir(parents=True)
    (history / "headwater.db").write_bytes(os.urandom(8192))
    result = headwater(tmp_path / "home", "pipeline", "execute", code=hello_file)
    _one_clear_error(result, 2, "is damaged", "PRAGMA integrity_check", "mv ")


def test_an_empty_database_file_is_reported_not_taken_for_a_new_instance(tmp_path, hello_file):
    history = tmp_path / "home" / "history"
    history.mkdir(parents=True)
    database = history / "headwater.db"
    database.write_bytes(b"")
    result = headwater(tmp_path / "home", "run", "list")
    _one_clear_error(result, 2, "is an empty file (0 bytes)", "Restore it from a backup")
    assert database.stat().st_size == 0


def test_settings_that_are_not_utf8_are_one_clear_error(tmp_path, hello_file):
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_bytes("run_storage: sqlite # caf\xe9\n".encode("latin-1"))
    result = headwater(home, "pipeline", "execute", code=hello_file)
    _one_clear_error(result, 2, "headwater.yaml is not UTF-8 text", "byte 0xe9")


def test_a_run_config_file_that_is_not_utf8_is_a_config_error_and_records_no_run(
        tmp_path, hello_file):
    config = tmp_path / "run.yaml"
    config.write_bytes("solids: {} # caf\xe9\n".encode("latin-1"))
    result = headwater(tmp_path / "home", "pipeline", "execute", "-c", str(config),
                       code=hello_file)
    _one_clear_error(result, 2, "run.yaml is not UTF-8 text")
    assert "No runs." in headwater(tmp_path / "home", "run", "list").stdout


def test_a_disk_that_fills_up_during_a_run_fails_the_run_and_keeps_what_was_committed(
        small_disk, tmp_path):
    home = small_disk("3m")
    code = tmp_path / "filler.py"
    code.write_text(FILL_THE_DISK)
    result = headwater(home, "pipeline", "execute", code=code)
    _one_clear_error(result, 1, "is full", "df -h", "The run is marked FAILURE.")
    (home / "ballast").unlink()
    listed = headwater(home, "run", "list")
    assert listed.returncode == 0
    [row] = [line for line in listed.stdout.splitlines() if "filler" in line]
    assert "FAILURE" in row
    run_id = row.split()[0]
    logs = headwater(home, "run", "logs", run_id).stdout
    assert "PIPELINE_START" in logs and "fill STEP_START" in logs  # committed before: kept
    assert "events and log lines of the run could not be stored" in logs
