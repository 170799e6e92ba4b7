"""Rewriting legacy solid/pipeline code for Headwater, on a concrete syntax tree.

libcst keeps every comment, blank line and bracket as written, so a rewritten file differs
from the original only where a name changed. What is rewritten:

* imports of the legacy packages and of the legacy module paths user code imports
  (``dagster.utils``, ``dagster.core.test_utils``, ``dagster_<name>.<module>``, ...) become
  imports of ``headwater`` and of ``headwater_<name>``;
* the names imported from them that Headwater spells differently (``DagsterType`` →
  ``HeadwaterType``, ``DagsterInstance`` → ``Instance``), wherever the file uses them, also
  as ``dagster.DagsterType``;
* the ``dagster_type=`` keyword of every call.

libcst is imported by the functions that need it: it is the ``migrate`` extra's, not a
dependency of Headwater.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Legacy module paths user code imports → the Headwater module with the same names. Any
# other ``dagster.*`` module maps to ``headwater`` too, and an integration's
# ``dagster_<name>.*`` to ``headwater_<name>``, whose names are all at its top level.
MODULES = {
    "dagster": "headwater",
    "dagster.utils": "headwater",
    "dagster.utils.test": "headwater",
    "dagster.core.test_utils": "headwater",
    "dagster.core.instance": "headwater",
    "dagster.experimental": "headwater",
    "dagster.core.definitions": "headwater",
    "dagster.core.execution.api": "headwater",
    "dagster.core.storage.pipeline_run": "headwater",
}

# Names Headwater spells differently beyond Dagster → Headwater.
NAMES = {
    "DagsterInstance": "Instance",
    "dagster_type_loader": "headwater_type_loader",
    "dagster_type_materializer": "headwater_type_materializer",
}

KEYWORDS = {"dagster_type": "headwater_type"}


def new_module(module: str) -> str | None:
    """The Headwater module for a legacy one, or None if ``module`` is not legacy."""
    if module in MODULES:
        return MODULES[module]
    package = module.split(".")[0]
    if package == "dagster":
        return "headwater"
    if package.startswith("dagster_"):
        return "headwater_" + package[len("dagster_"):]
    return None


def new_name(name: str) -> str:
    """The Headwater spelling of a name imported from a legacy module."""
    if name in NAMES:
        return NAMES[name]
    return name.replace("Dagster", "Headwater").replace("dagster", "headwater")


@dataclass
class Rewritten:
    """The outcome of rewriting one file."""

    source: str
    changed: bool


def rewrite_source(source: str) -> Rewritten:
    """Rewrite one module's source; ``changed`` is False when nothing legacy was found."""
    import libcst as cst

    module = cst.parse_module(source)
    updated = module.visit(_Transformer())
    return Rewritten(updated.code, updated.code != source)


def _dotted(node: Any) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return str(node.value)
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _dotted_node(dotted: str) -> Any:
    import libcst as cst

    parts = dotted.split(".")
    node: Any = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _transformer_base() -> type[Any]:
    import libcst as cst

    return cst.CSTTransformer


class _Transformer(_transformer_base()):  # type: ignore[misc]
    """Renames legacy modules, the names imported from them and ``dagster_type=``.

    Only names the file imported from a legacy module are renamed where they are used, so
    a local variable that happens to be called ``DagsterType`` stays as it is.
    """

    def __init__(self) -> None:
        super().__init__()
        self.renamed: dict[str, str] = {}   # local names bound by imports → new names
        self.module_aliases: dict[str, str] = {}   # "dagster" → "headwater" for import dagster
        self.as_aliases: set[str] = set()   # "da" for import dagster_aws as da

    def leave_ImportFrom(self, original: Any, updated: Any) -> Any:
        import libcst as cst

        if updated.relative or updated.module is None:
            return updated
        # The original's module: leave_Attribute may have rewritten the updated one already.
        target = new_module(_dotted(original.module))
        if target is None:
            return updated
        names = updated.names
        if not isinstance(names, cst.ImportStar):
            new_aliases = []
            for alias in names:
                old = _dotted(alias.name)
                renamed = new_name(old)
                if alias.asname is None and renamed != old:
                    self.renamed[old] = renamed
                new_aliases.append(alias.with_changes(name=cst.Name(renamed)))
            names = new_aliases
        return updated.with_changes(module=_dotted_node(target), names=names)

    def leave_Import(self, original: Any, updated: Any) -> Any:
        new_aliases = []
        for alias in updated.names:
            old = _dotted(alias.name)
            target = new_module(old)
            if target is None:
                new_aliases.append(alias)
                continue
            if alias.asname is None:
                # ``import dagster`` binds "dagster"; the uses are renamed below.
                self.module_aliases[old.split(".")[0]] = target
            else:
                self.as_aliases.add(_dotted(alias.asname.name))
            new_aliases.append(alias.with_changes(name=_dotted_node(target)))
        return updated.with_changes(names=new_aliases)

    def leave_Attribute(self, original: Any, updated: Any) -> Any:
        # Built from the original chain: its inner attributes were visited first, and
        # ``dagster.core.test_utils.x`` must become ``headwater.x``, not be renamed piecewise.
        dotted = _dotted(original)
        parts = dotted.split(".")
        if dotted and parts[0] in self.as_aliases:
            return _dotted_node(".".join([parts[0], *(new_name(p) for p in parts[1:])]))
        if not dotted or parts[0] not in self.module_aliases:
            return updated
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            target = new_module(module)
            if target is not None and (module in MODULES or cut == 1):
                rest = [new_name(part) for part in parts[cut:]]
                return _dotted_node(".".join([target, *rest]))
        return updated

    def leave_Name(self, original: Any, updated: Any) -> Any:
        if updated.value in self.renamed:
            return updated.with_changes(value=self.renamed[updated.value])
        return updated

    def leave_Arg(self, original: Any, updated: Any) -> Any:
        import libcst as cst

        if updated.keyword is not None and updated.keyword.value in KEYWORDS:
            return updated.with_changes(keyword=cst.Name(KEYWORDS[updated.keyword.value]))
        return updated
