"""Links between the docs' pages, and to files of the repository, lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docs_snippet_regions import REPO, pages

PAGES = [*pages(), REPO / "templates" / "integration" / "README.md"]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCED = re.compile(r"```.*?```", re.DOTALL)


def _anchor(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading (GitHub's rule)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_anchor(h) for h in re.findall(r"^#+ (.*)$", _FENCED.sub("", page.read_text()),
                                           re.MULTILINE)}


def _links(page: Path) -> list[str]:
    return [link for link in _LINK.findall(_FENCED.sub("", page.read_text()))
            if not link.startswith(("http://", "https://", "mailto:"))]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_every_relative_link_of_the_page_resolves(page):
    broken = []
    for link in _links(page):
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(f"{link}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
            broken.append(f"{link}: no heading with that anchor")
    assert broken == []
