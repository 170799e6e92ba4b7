"""Building many objects at once without the cyclic garbage collector in the way.

Preparing a run of 10,000 solids (its run config schema, the validated config, the plan)
allocates a few hundred thousand objects that all stay alive. Each allocation past the
collector's threshold starts a collection that walks them, for nothing: without a pause,
collections were about 40% of that preparation. ``gc_paused`` turns automatic collection
off for the duration of one such build and back on after it (nested builds leave it to the
outermost); garbage made meanwhile is collected by the next collection, as always.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def gc_paused(build: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function that builds many long-lived objects: no automatic collection
    runs while it does."""

    @functools.wraps(build)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return build(*args, **kwargs)
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            gc.enable()

    return paused
