"""Definitions do not change once built.

A definition is shared: by every pipeline that uses a solid, every mode that binds a
resource, every run of a pipeline, every process a code pointer loads it into. A change
made to one after construction would reach all of them, silently, so every definition
refuses it; what changes makes a new definition (``configured``, ``alias``,
``with_hooks``, the decorator again), and what execution derives from a definition (run
config schemas, resolved modes) is kept beside it, keyed by it, never inside it.
"""

from __future__ import annotations

import functools
from typing import Any, NoReturn

from headwater.config.types import restore_frozen_state


class FrozenDefinition:
    """A mixin: once the constructor of the instance's own class returns, setting or
    deleting an attribute raises an ``AttributeError`` naming the definition.

    A subclass says how to get a changed definition in ``_change_hint``. Errors name the
    definition by its ``name`` (``Solid "load_orders"``), or, for a nameless one (a
    resource, a logger), by its function's name (``_frozen_function``).
    """

    _frozen = False
    # The function a nameless definition wraps: errors name it.
    _frozen_function: Any = None
    _change_hint = "Build a new definition with the changed value instead."

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def __init__(self: FrozenDefinition, *args: Any, **kwargs: Any) -> None:
            init(self, *args, **kwargs)
            # Only the constructor of the instance's own class freezes it: a subclass's
            # constructor goes on setting attributes after calling its base's.
            if type(self).__init__ is __init__:
                object.__setattr__(self, "_frozen", True)

        cls.__init__ = __init__  # type: ignore[misc]

    def _frozen_label(self) -> str:
        kind = type(self).__name__.removesuffix("Definition") or type(self).__name__
        name = getattr(self, "name", None)
        if name:
            return f'{kind} "{name}"'
        function = getattr(self, "_frozen_function", None)
        name = getattr(function, "__name__", None)
        return f"{kind} (function {name})" if name else f"This {kind}"

    def _refuse(self, name: str) -> NoReturn:
        raise AttributeError(
            f"{self._frozen_label()} is frozen after construction: {name} cannot be "
            f"changed. {self._change_hint}")

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            self._refuse(name)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if self._frozen:
            self._refuse(name)
        object.__delattr__(self, name)

    def __setstate__(self, state: Any) -> None:
        restore_frozen_state(self, state)

    def _copy_with(self, **changes: Any) -> Any:
        """A new definition of the same class: this one's attributes, ``changes`` applied
        (for the copies ``configured`` and the like make; this one stays as it is)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

