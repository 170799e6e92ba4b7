"""The layering of the code, checked over the import statements of the source files.

Three rules:

* a layer of the core imports only the layers below it (imports under ``TYPE_CHECKING``
  are annotations, not dependencies, and may name any layer);
* the core never names an integration package, not even in a string;
* an integration package imports only ``headwater`` (the public API) and
  ``headwater.integration`` (the published interface) of the core.

These tests read files; they import nothing of Headwater, so they run in the lint session.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "packages" / "core" / "src" / "headwater"

# Rank of each part of the core: a part may import parts of lower or equal rank. Modules
# at the top of the package that every layer uses (errors, serdes) are at the bottom; the
# public API, the published interface and the faces are at the top.
RANKS = {
    "allocation": 0, "errors": 0, "lazy": 0, "records": 0, "serdes": 0, "version": 0,
    "config": 1, "metadata": 1, "metadata_entries": 1,
    "types": 2,
    "definitions": 3,
    "plugins": 4,
    "execution": 5,
    "instance": 6,
    "workspace": 7,
    "daemon": 8,
    "cli": 9, "ui": 9,
    "__init__": 10, "__main__": 10, "integration": 10, "plugin": 10,
}
PUBLIC = {"headwater", "headwater.integration"}


def _integration_packages() -> list[Path]:
    return sorted(p for p in (ROOT / "packages").iterdir()
                  if p.name != "core" and (p / "pyproject.toml").exists())


def _imports(tree: ast.AST, module: str) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, under TYPE_CHECKING) for every import in ``tree``."""
    package = module.split(".")

    def visit(node: ast.AST, typing_only: bool) -> Iterator[tuple[int, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for inner in child.body:
                    yield from visit_one(inner, True)
                for inner in child.orelse:
                    yield from visit_one(inner, typing_only)
                continue
            yield from visit_one(child, typing_only)

    def visit_one(node: ast.AST, typing_only: bool) -> Iterator[tuple[int, str, bool]]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, typing_only
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            if name == "headwater":
                # ``from headwater import config`` imports the part, not the public API.
                for alias in node.names:
                    part = alias.name if alias.name in RANKS else None
                    yield node.lineno, f"headwater.{part}" if part else name, typing_only
            else:
                yield node.lineno, name, typing_only
        elif isinstance(node, ast.Call) and _is_import_module(node):
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield node.lineno, argument.value, typing_only
        yield from visit(node, typing_only)

    yield from visit(tree, False)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_import_module(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__"))


def _modules(src: Path, top: str) -> Iterator[tuple[Path, str, ast.AST]]:
    for path in sorted(src.rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join((top, *parts)), ast.parse(path.read_text(), str(path))


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _core_layer_violations() -> list[str]:
    found = []
    for path, module, tree in _modules(CORE, "headwater"):
        own = _part(module)
        if path.name == "__init__.py" and path.parent == CORE:
            own = "__init__"
        rank = RANKS[own]
        for line, imported, typing_only in _imports(tree, module):
            if typing_only or not (imported == "headwater" or
                                   imported.startswith("headwater.")):
                continue
            other = _part(imported)
            if other == own:
                continue
            if RANKS.get(other, 10) > rank:
                found.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {imported} "
                             f"({other} is a higher layer)")
    return found


def test_every_part_of_the_core_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in CORE.iterdir()
             if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())}
    assert sorted(parts - set(RANKS)) == []


def test_no_layer_of_the_core_imports_a_higher_one() -> None:
    assert _core_layer_violations() == []


def test_the_core_names_no_integration_package() -> None:
    names = [p.name for p in _integration_packages()]
    pattern = re.compile(r"headwater[_-](" + "|".join(map(re.escape, names)) + r")\b")
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted(CORE.rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if pattern.search(line)]
    assert found == []


@pytest.mark.parametrize("package", _integration_packages(),
                         ids=lambda p: p.name)
def test_an_integration_imports_only_the_public_api_and_the_published_interface(
        package: Path) -> None:
    top = f"headwater_{package.name}"
    found = []
    for path, module, tree in _modules(package / "src" / top, top):
        for line, imported, _ in _imports(tree, module):
            if imported.split(".")[0] == "headwater" and imported not in PUBLIC:
                found.append(f"{path.relative_to(ROOT)}:{line}: imports {imported}")
    assert found == []


def test_the_template_package_imports_only_the_public_api_and_the_published_interface(
        ) -> None:
    src = ROOT / "templates" / "integration" / "package" / "src" / "headwater_NAME"
    found = [f"{path.relative_to(ROOT)}:{line}: imports {imported}"
             for path, module, tree in _modules(src, "headwater_NAME")
             for line, imported, _ in _imports(tree, module)
             if imported.split(".")[0] == "headwater" and imported not in PUBLIC]
    assert found == []
