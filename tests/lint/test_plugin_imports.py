"""Loading an integration's plugin costs nothing: the command line imports the plugin
module of every installed integration at start, and with it the package's ``__init__``.

Each plugin module is imported in a fresh interpreter from the package's source folder
(nothing installed but the core, so none of the service clients is there to import): it
may load its package and itself, and nothing else of the package; the package's names load
on first use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from test_layering import _integration_packages

PACKAGES = _integration_packages()
# Modules of a package that its __init__ may load eagerly: light ones (its errors, a run id
# helper), which every use of the package needs.
EAGER = {"headwater_airflow": {"headwater_airflow.errors", "headwater_airflow.runs"},
         # the plugin's config schema names its severities and default Events API URL
         "headwater_pagerduty": {"headwater_pagerduty.errors", "headwater_pagerduty.resources"}}

_PROBE = """
import importlib, json, sys
package, plugin = sys.argv[1], sys.argv[2]
importlib.import_module(plugin)
print(json.dumps(sorted(name for name in sys.modules
                        if name == package or name.startswith(package + "."))))
"""


def _plugin_module(package: Path) -> str:
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    (module,) = project["entry-points"]["headwater"].values()
    return module


def _loaded(package: Path, name: str, *extra: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(package / "src"))
    result = subprocess.run([sys.executable, "-c", _PROBE, name, *extra], env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_loading_the_plugin_loads_only_the_package_and_its_plugin_module(package):
    plugin = _plugin_module(package)
    name = plugin.split(".")[0]
    loaded = set(_loaded(package, name, plugin))
    assert loaded - EAGER.get(name, set()) == {name, plugin}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_name_the_package_exports_is_listed_where_it_loads_from(package):
    # Each name of __all__ is either defined by the __init__ or in its _LAZY table, with a
    # module of the package that exists (its file is there).
    name = _plugin_module(package).split(".")[0]
    probe = (f"import json, {name} as p; print(json.dumps([sorted(p.__all__), "
             f"getattr(p, '_LAZY', {{}}), sorted(vars(p))]))")
    env = dict(os.environ, PYTHONPATH=str(package / "src"))
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    exported, lazy, defined = json.loads(result.stdout)
    assert [n for n in exported if n not in lazy and n not in defined] == []
    for module in set(lazy.values()):
        path = package / "src" / Path(*module.split(".")).with_suffix(".py")
        assert path.exists(), f"{name}._LAZY names {module}, which has no file"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_function_of_the_package_reads_a_lazy_name_as_a_global(package):
    # A module's __getattr__ serves attribute reads from outside; a function of the module
    # that reads one of its lazy names as a global gets a NameError.
    import ast

    name = _plugin_module(package).split(".")[0]
    tree = ast.parse((package / "src" / name / "__init__.py").read_text())
    lazy: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "_LAZY" for t in node.targets):
            lazy = {key.value for key in node.value.keys}
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        bound = {alias.asname or alias.name for node in ast.walk(function)
                 if isinstance(node, ast.ImportFrom) for alias in node.names}
        read = {node.id for node in ast.walk(function)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
        assert (read & lazy) - bound == set(), f"{name}.{function.name}"
