"""``headwater migrate``: a legacy project rewritten for Headwater, which then runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent / "legacy_project"
HEADWATER = str(Path(sys.executable).with_name("headwater"))


@pytest.fixture
def project(tmp_path, monkeypatch):
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    return target


def _migrate(*args):
    return subprocess.run([HEADWATER, "migrate", *map(str, args)], capture_output=True,
                          text=True, check=False)


def test_diff_shows_the_changes_and_writes_nothing(project):
    before = (project / "orders" / "pipelines.py").read_text()
    result = _migrate(project, "--diff")
    assert result.returncode == 0
    assert "-from dagster import (" in result.stdout
    assert "+from headwater import (" in result.stdout
    assert '+    output_defs=[OutputDefinition(headwater_type=OrderRows)],' in result.stdout
    assert "would change 3 files" in result.stderr
    assert (project / "orders" / "pipelines.py").read_text() == before


def test_only_legacy_lines_change_and_comments_and_layout_survive(project):
    before = (project / "orders" / "types.py").read_text().splitlines()
    assert _migrate(project).returncode == 0
    after = (project / "orders" / "types.py").read_text().splitlines()
    assert len(before) == len(after)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [
        ("from dagster import DagsterType, EventMetadataEntry, TypeCheck",
         "from headwater import HeadwaterType, EventMetadataEntry, TypeCheck"),
        ("OrderRows = DagsterType(", "OrderRows = HeadwaterType("),
    ]


def test_the_migrated_project_runs_from_the_command_line(project):
    assert _migrate(project).returncode == 0
    result = subprocess.run(
        [HEADWATER, "pipeline", "execute", "-f", "orders/pipelines.py", "-d", str(project),
         "-p", "orders_pipeline", "--preset", "default"],
        cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "orders_pipeline succeeded" in result.stdout


def test_the_migrated_project_checks_pass(project):
    assert _migrate(project).returncode == 0
    result = subprocess.run(
        [sys.executable, "-c", "from orders.checks import check_total_revenue; "
                               "print(check_total_revenue())"],
        cwd=project, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(project)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20.0"


def test_migrating_twice_changes_nothing_the_second_time(project):
    assert _migrate(project).returncode == 0
    second = _migrate(project)
    assert "rewrote 0 files" in second.stderr


def test_without_libcst_the_command_says_which_extra_to_install(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from headwater.cli import cli

    monkeypatch.setitem(sys.modules, "libcst", None)
    result = CliRunner().invoke(cli, ["migrate", str(tmp_path)])
    assert result.exit_code == 2
    assert "pip install 'headwater[migrate]'" in result.stderr


def test_module_attribute_uses_and_aliases_are_rewritten():
    from headwater.cli.migrate_rewrite import rewrite_source

    source = ("import dagster\n"
              "import dagster_aws.s3 as s3  # storage\n"
              "path = dagster.utils.file_relative_path(__file__, 'x')\n"
              "instance = dagster.DagsterInstance.get()\n")
    assert rewrite_source(source).source == (
        "import headwater\n"
        "import headwater_aws as s3  # storage\n"
        "path = headwater.file_relative_path(__file__, 'x')\n"
        "instance = headwater.Instance.get()\n")


def test_the_migration_guide_shows_the_diff_the_command_prints(project):
    guide = (Path(__file__).parents[3] / "docs" / "migrating.md").read_text()
    shown = guide.split("```diff\n", 1)[1].split("\n```", 1)[0]
    result = subprocess.run([HEADWATER, "migrate", "orders", "--diff"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.stdout.rstrip("\n") == shown
