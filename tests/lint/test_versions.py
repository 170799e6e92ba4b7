"""Every package of the repository is published at one version, and core's extras install
exactly the packages that exist, at that version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "packages" / "core"


def _project(package: Path) -> dict:
    return tomllib.loads((package / "pyproject.toml").read_text())["project"]


def _core_version() -> str:
    found = re.search(r'__version__ = "([^"]+)"',
                      (CORE / "src" / "headwater" / "version.py").read_text())
    assert found is not None
    return found.group(1)


def _integrations() -> dict[str, Path]:
    return {p.name: p for p in sorted((ROOT / "packages").iterdir())
            if p.name != "core" and (p / "pyproject.toml").exists()}


def test_every_package_has_the_version_of_core() -> None:
    version = _core_version()
    versions = {p.name: _project(p)["version"] for p in [CORE, *_integrations().values()]}
    assert {name: v for name, v in versions.items() if v != version} == {}


def test_every_integration_depends_on_core_of_its_own_version() -> None:
    wanted = f"headwater=={_core_version()}"
    found = {name: [d for d in _project(p)["dependencies"] if d.startswith("headwater")]
             for name, p in _integrations().items()}
    assert {name: deps for name, deps in found.items() if deps != [wanted]} == {}


def test_core_offers_one_extra_per_package_that_exists_pinned_to_its_version() -> None:
    version = _core_version()
    extras = _project(CORE)["optional-dependencies"]
    wanted = {name: [f"{_project(p)['name']}=={version}"]
              for name, p in _integrations().items()}
    assert {name: value for name, value in extras.items() if name != "all"} == wanted


def test_the_all_extra_installs_every_package() -> None:
    extras = _project(CORE)["optional-dependencies"]
    assert sorted(extras["all"]) == sorted(d for name, deps in extras.items()
                                           if name != "all" for d in deps)
