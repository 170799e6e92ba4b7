"""Code blocks in the docs that are copies of tested snippet files.

A snippet file under ``docs/snippets/`` marks regions with comment lines::

    # [start:define]
    ...
    # [end:define]

A page shows a region (or a whole file, markers left out) by putting a marker comment
right before a fenced block (``python`` for a ``.py`` file; ``yaml``, ``text``, ``bash`` or
``toml`` for a ``.yaml``, ``.txt``, ``.sh`` or ``.toml`` file, which the snippets read,
compare their output with, or run). The path is relative to ``docs/snippets/``, so a page
can also show a file of the integration template (``../../templates/...``), which its own
test checks::

    <!-- snippet: tutorial_orders.py#define -->
    ```python
    ...
    ```

The tests check that every such block is exactly its region, so a page cannot show code
that is not run. After editing a snippet, rewrite the blocks from it with::

    python tests/core/docs/docs_snippet_regions.py
"""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs"
SNIPPETS = DOCS / "snippets"

_MARKER = re.compile(r"^\s*# \[(start|end):([\w-]+)\]\s*$")
_REFERENCE = re.compile(r"^<!-- snippet: ([\w./-]+\.(py|yaml|txt|sh|toml))(?:#([\w-]+))? -->$")
_FENCES = {"py": "```python", "yaml": "```yaml", "txt": "```text", "sh": "```bash", "toml": "```toml"}


@dataclass(frozen=True)
class DocBlock:
    """A fenced block of a page that shows a snippet region.

    Attributes:
        page: The Markdown file.
        line: The 1-based line of the marker comment.
        snippet: The snippet file's path under ``docs/snippets/``.
        region: The region name, or None for the whole file.
        code: The code the page shows.
        span: ``(first, last)`` 0-based line indexes of the code inside the fence.
    """

    page: Path
    line: int
    snippet: str
    region: str | None
    code: str
    span: tuple[int, int]

    @property
    def reference(self) -> str:
        return f"{self.snippet}#{self.region}" if self.region else self.snippet


def region_text(snippet: str, region: str | None) -> str:
    """The code of ``region`` of ``snippet`` (the whole file when None), marker lines left
    out, dedented, without leading or trailing blank lines."""
    lines = (SNIPPETS / snippet).read_text().splitlines()
    if region is None:
        kept = [line for line in lines if not _MARKER.match(line)]
    else:
        kept, inside, found = [], False, False
        for line in lines:
            match = _MARKER.match(line)
            if match and match.group(2) == region:
                inside = match.group(1) == "start"
                found = True
                continue
            if inside and not match:
                kept.append(line)
        if not found:
            raise KeyError(f"{snippet} has no region {region!r}")
    text = textwrap.dedent("\n".join(kept))
    return text.strip("\n")


def doc_blocks(page: Path) -> list[DocBlock]:
    """Every snippet block of a page, in order."""
    lines = page.read_text().splitlines()
    blocks = []
    for index, line in enumerate(lines):
        match = _REFERENCE.match(line.strip())
        if match is None:
            continue
        fence = index + 1
        opening = _FENCES[match.group(2)]
        if fence >= len(lines) or lines[fence].strip() != opening:
            raise ValueError(f"{page}:{index + 1}: a snippet marker must be followed by {opening}")
        end = fence + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        blocks.append(DocBlock(page, index + 1, match.group(1), match.group(3),
                               "\n".join(lines[fence + 1:end]), (fence + 1, end)))
    return blocks


def pages() -> list[Path]:
    return sorted(path for path in DOCS.rglob("*.md") if SNIPPETS not in path.parents)


def rewrite(page: Path) -> bool:
    """Replace every snippet block of ``page`` with its region; True if it changed."""
    lines = page.read_text().splitlines()
    changed = False
    for block in reversed(doc_blocks(page)):
        wanted = region_text(block.snippet, block.region).splitlines()
        first, last = block.span
        if lines[first:last] != wanted:
            lines[first:last] = wanted
            changed = True
    if changed:
        page.write_text("\n".join(lines) + "\n")
    return changed


if __name__ == "__main__":
    for doc_page in pages():
        if rewrite(doc_page):
            print(f"rewrote {doc_page.relative_to(REPO)}", file=sys.stderr)
