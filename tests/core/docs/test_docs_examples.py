"""The examples as a newcomer meets them: each listed in the README, each saying an install
that works from a checkout of this repository."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.py"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_in_the_readme_table(example):
    readme = (ROOT / "README.md").read_text()
    assert f"](examples/{example.relative_to(ROOT / 'examples').as_posix()})" in readme


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_example_needing_an_integration_says_the_install_from_a_checkout(example):
    docstring = ast.get_docstring(ast.parse(example.read_text())) or ""
    for name in set(re.findall(r"headwater\[(\w+)\]", docstring)):
        assert f"-e packages/{name}" in docstring, (
            f"{example.name} says to install headwater[{name}], which a checkout cannot "
            f"install from PyPI; say: pip install -e packages/core -e packages/{name}")
