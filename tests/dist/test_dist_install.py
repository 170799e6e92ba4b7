"""The documented install works from the wheels ``nox -s dist`` builds into dist/.

Run by the dist session after the build (it needs dist/ and a package index for the
dependencies), never by the package sessions.
"""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment where ``pip install --find-links dist 'headwater[aws]'``
    ran."""
    if not list(DIST.glob("headwater-*.whl")):
        pytest.fail("dist/ holds no wheels: build them first with nox -s dist.")
    env = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--find-links", DIST,
                    "headwater[aws]"], check=True)
    return env


def test_the_aws_extra_installs_core_and_the_integration_at_one_version(installed):
    listed = subprocess.run([installed / "bin" / "python", "-m", "pip", "list", "--format",
                             "json"], check=True, capture_output=True, text=True).stdout
    versions = {p["name"]: p["version"] for p in json.loads(listed)}
    assert versions["headwater"] == versions["headwater-aws"]


def test_the_installed_command_lists_core_and_aws_as_loaded_plugins(installed):
    listed = subprocess.run([installed / "bin" / "headwater", "plugins", "list", "--json"],
                            check=True, capture_output=True, text=True).stdout
    status = {row["name"]: row["status"] for row in json.loads(listed)}
    assert (status.get("headwater"), status.get("aws")) == ("loaded", "loaded")


def test_the_installed_core_names_the_extra_for_a_missing_executor(installed):
    code = ("from headwater import execute_pipeline, pipeline, solid\n"
            "@solid\ndef one(): return 1\n"
            "@pipeline\ndef p(): one()\n"
            "try:\n"
            "    execute_pipeline(p, run_config={'execution': {'dask': {}}})\n"
            "except Exception as error:\n"
            "    print(error)\n")
    printed = subprocess.run([installed / "bin" / "python", "-c", code], check=True,
                             capture_output=True, text=True, cwd=installed).stdout
    assert "pip install 'headwater[dask]'" in printed
