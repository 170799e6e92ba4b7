"""Core's install hints come from a table generated from what each package declares."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir()
                  if p.name != "core" and (p / "pyproject.toml").exists())


def test_the_providers_table_is_generated_from_the_packages_of_the_repository() -> None:
    check = subprocess.run([sys.executable, "scripts/generate_providers.py", "--check"],
                           cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_name_a_package_declares_is_registered_in_its_source(package: Path) -> None:
    declared = tomllib.loads((package / "pyproject.toml").read_text()).get(
        "tool", {}).get("headwater", {}).get("provides", [])
    source = "\n".join(path.read_text() for path in (package / "src").rglob("*.py"))
    assert [name for name in declared if f'"{name}"' not in source] == []
