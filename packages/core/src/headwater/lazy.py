"""Names of a package that load on first use.

A package that names many things (``headwater``, ``headwater.integration``, each
integration package) lists them as ``name -> "module"`` (or ``"module:attribute"`` when the
name differs there) and gets from :func:`lazy_names` the module ``__getattr__`` and
``__dir__`` that import each from its module the first time it is read. Importing the
package then costs nothing: the command line imports every installed integration when it
loads plugins, and none of the modules behind their names.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, names: Mapping[str, str]
               ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__, __dir__ = lazy_names(__name__, _LAZY)`` in a package's ``__init__``."""

    def __getattr__(name: str) -> Any:
        where = names.get(name)
        if where is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        module, _, attribute = where.partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        vars(sys.modules[package])[name] = value  # later reads are plain attribute reads
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names})

    return __getattr__, __dir__
