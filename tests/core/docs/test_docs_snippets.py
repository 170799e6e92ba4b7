"""The docs cannot rot: every snippet runs, and every code block marked as a snippet on a
page is an exact copy of its snippet region (see ``docs_snippet_regions.py``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from docs_snippet_regions import REPO, SNIPPETS, doc_blocks, pages, region_text

# Files starting with an underscore are helpers the snippets import.
SNIPPET_FILES = sorted(path.name for path in SNIPPETS.glob("*.py")
                       if not path.name.startswith("_"))
BLOCKS = [block for page in pages() for block in doc_blocks(page)]


@pytest.mark.parametrize("snippet", SNIPPET_FILES)
def test_snippet_runs_and_exits_zero(snippet, tmp_path):
    # Each snippet runs in its own process and scratch folder, with an instance home of
    # its own: nothing it records lands in the home of the person running the tests.
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"))
    completed = subprocess.run([sys.executable, str(SNIPPETS / snippet)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-4000:]


@pytest.mark.parametrize(
    "block", BLOCKS,
    ids=[f"{b.page.relative_to(REPO)}:{b.line}:{b.reference}" for b in BLOCKS])
def test_doc_block_is_a_copy_of_its_snippet(block):
    assert block.code == region_text(block.snippet, block.region), (
        f"{block.page.relative_to(REPO)}:{block.line} shows {block.reference} out of date; "
        "run python tests/core/docs/docs_snippet_regions.py to rewrite it")

