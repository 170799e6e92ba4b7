"""The selection grammar for solids and steps.

A clause is a name with optional ancestor and descendant markers:

========  ==================================================
``a``     ``a`` only
``*a``    ``a`` and all its ancestors
``a*``    ``a`` and all its descendants
``+a``    ``a`` and its direct parents (``++a``: two levels up)
``a++``   ``a`` and two levels of descendants
``*a+``   all ancestors and the direct children
========  ==================================================

A selection is a list of clauses (or one comma-separated string); the result is their
union. Depth is counted level by level with a breadth-first walk, so ``a++`` means exactly
"descendants at most two edges away", however the graph branches.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping, Sequence

from headwater.config.render import suggest
from headwater.errors import HeadwaterExecutionStepNotFoundError, HeadwaterInvalidSubsetError

_CLAUSE = re.compile(r"^(\*?\+*)?([.\w\[\]?-]+)(\+*\*?)?$")
_UNLIMITED = sys.maxsize


def parse_clause(clause: str) -> tuple[int, str, int] | None:
    """``(levels up, name, levels down)`` of a clause, or None if it is malformed."""
    match = _CLAUSE.match(clause.strip())
    if match is None:
        return None
    up, name, down = match.group(1) or "", match.group(2), match.group(3) or ""
    return _depth(up), name, _depth(down)


def _depth(markers: str) -> int:
    if "*" in markers:
        return _UNLIMITED
    return len(markers)


def split_selection(selection: str | Sequence[str]) -> list[str]:
    """Clauses from a list, or from one comma-separated string."""
    items = [selection] if isinstance(selection, str) else list(selection)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _walk(start: str, edges: Mapping[str, Iterable[str]], depth: int) -> set[str]:
    """Everything reachable from ``start`` within ``depth`` edges (breadth first)."""
    seen: set[str] = set()
    frontier = [start]
    level = 0
    while frontier and level < depth:
        level += 1
        next_frontier = []
        for item in frontier:
            for neighbour in edges.get(item, ()):
                if neighbour not in seen:
                    seen.add(neighbour)
                    next_frontier.append(neighbour)
        frontier = next_frontier
    return seen


def select(selection: str | Sequence[str], upstream: Mapping[str, Iterable[str]],
           downstream: Mapping[str, Iterable[str]], what: str = "solid") -> set[str]:
    """The names a selection picks in a graph given by its upstream and downstream edges.

    Raises:
        HeadwaterInvalidSubsetError: a clause is malformed or names nothing in the graph.
    """
    clauses = split_selection(selection)
    selected: set[str] = set()
    unknown: list[str] = []
    for clause in clauses:
        parsed = parse_clause(clause)
        if parsed is None:
            raise HeadwaterInvalidSubsetError(
                f'"{clause}" is not a valid {what} selection clause. Clauses look like name, '
                "*name, name*, +name, name++ (* for all, one + per level)."
            )
        up, name, down = parsed
        if name not in upstream:
            unknown.append(name)
            continue
        selected.add(name)
        selected |= _walk(name, upstream, up)
        selected |= _walk(name, downstream, down)
    if unknown:
        known = sorted(upstream)
        guesses = [f'"{guess}" for "{name}"' for name in unknown
                   if (guess := suggest(name, known)) is not None]
        hint = f" Did you mean {', '.join(guesses)}?" if guesses else ""
        hint += f" Known {what}s: {', '.join(known[:20])}{' ...' if len(known) > 20 else ''}."
        if what == "step":
            raise HeadwaterExecutionStepNotFoundError(
                f"Step selection refers to unknown step(s): {', '.join(unknown)}.{hint}",
                unknown,
            )
        raise HeadwaterInvalidSubsetError(
            f"No qualified {what}s to execute found for {what}_selection={clauses}: "
            f"unknown {what}(s) {', '.join(unknown)}.{hint}"
        )
    if not selected:
        raise HeadwaterInvalidSubsetError(
            f"No qualified {what}s to execute found for {what}_selection={clauses}.")
    return selected


def select_solids(pipeline: object, selection: str | Sequence[str]) -> set[str]:
    """The top-level solids of ``pipeline`` a solid selection picks."""
    upstream = {node.name: pipeline.upstream_node_names(node.name)  # type: ignore[attr-defined]
                for node in pipeline.solids}  # type: ignore[attr-defined]
    downstream = pipeline.downstream_map()  # type: ignore[attr-defined]
    return select(selection, upstream, downstream, "solid")
