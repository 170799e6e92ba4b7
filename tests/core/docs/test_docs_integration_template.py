"""The integration package template cannot rot: following its README makes a package
whose plugin Headwater discovers, and whose own tests pass."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from docs_snippet_regions import REPO

from headwater.plugins import get_plugin_manager, reset_plugin_manager

TEMPLATE = REPO / "templates" / "integration"
NAME = "acme"


def _readme_commands() -> str:
    """The shell block of the template's README that makes a package from it."""
    readme = (TEMPLATE / "README.md").read_text()
    match = re.search(r"```bash\n(name=.*?)```", readme, re.DOTALL)
    assert match is not None, "the template README lost its copy commands"
    return match.group(1).replace("name=acme", f"name={NAME}", 1)


def _install_as_an_installer_would(package: Path, site: Path) -> None:
    """Put the package's module and a ``*.dist-info`` (METADATA, entry_points.txt) in
    ``site``, from what its pyproject.toml declares."""
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    for module in (package / "src").iterdir():
        shutil.copytree(module, site / module.name)
    info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    entry_points = project["entry-points"]["headwater"]
    (info / "entry_points.txt").write_text(
        "[headwater]\n" + "".join(f"{key} = {value}\n" for key, value in entry_points.items()))
    (info / "RECORD").write_text("")


@pytest.fixture
def made_from_template(tmp_path):
    """A scratch repository root where the README's commands made packages/acme and
    tests/acme from the template."""
    root = tmp_path / "repo"
    shutil.copytree(TEMPLATE, root / "templates" / "integration")
    (root / "packages").mkdir()
    (root / "tests").mkdir()
    completed = subprocess.run(["bash", "-euc", _readme_commands()], cwd=root,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    return root


@pytest.fixture
def installed(made_from_template, tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    _install_as_an_installer_would(made_from_template / "packages" / NAME, site)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("HEADWATER_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.delenv("HEADWATER_DISABLE_PLUGINS", raising=False)
    importlib.invalidate_caches()
    reset_plugin_manager()
    yield site
    for module in [m for m in sys.modules if m.startswith(f"headwater_{NAME}")]:
        del sys.modules[module]
    reset_plugin_manager()


def test_readme_commands_leave_no_placeholder(made_from_template):
    made = [*(made_from_template / "packages" / NAME).rglob("*"),
            *(made_from_template / "tests" / NAME).rglob("*")]
    leftovers = [str(path) for path in made
                 if "NAME" in path.name or (path.is_file() and "NAME" in path.read_text())]
    assert leftovers == []
    assert (made_from_template / "tests" / NAME / f"test_{NAME}_plugin.py").is_file()


def test_package_made_from_template_is_discovered_as_a_plugin(installed):
    info = get_plugin_manager().plugins[NAME]
    assert (info.status, info.distribution, info.error) == ("loaded", f"headwater-{NAME}", None)
    assert get_plugin_manager().registry.contributions_of(NAME) == {
        "resources": [f"{NAME}_client"]}


def test_tests_made_from_template_pass_against_the_package(made_from_template, installed):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(installed), *sys.path]))
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(made_from_template / "tests" / NAME)],
        cwd=made_from_template, env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-4000:]
