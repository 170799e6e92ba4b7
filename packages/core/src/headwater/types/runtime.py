"""Runtime types: what a value flowing between solids must be."""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable, Iterable, Sequence

from headwater.config.types import restore_frozen_state
from headwater.errors import HeadwaterInvalidDefinitionError, HeadwaterInvariantViolationError
from headwater.types.loaders import HeadwaterTypeLoader
from headwater.types.materializers import HeadwaterTypeMaterializer
from headwater.types.type_check import PASSED, TypeCheck
from headwater.types.validation import check_context_function, resource_key_set

if typing.TYPE_CHECKING:
    from headwater.types.context import TypeCheckContext

TypeCheckFn = Callable[["TypeCheckContext", typing.Any], "bool | TypeCheck"]


class HeadwaterTypeKind(enum.Enum):
    """The family a type belongs to; execution treats some families specially.

    ``NOTHING`` inputs only order steps, ``LIST`` inputs may fan in from several outputs and
    ``NULLABLE`` inputs accept None.
    """

    ANY = "ANY"
    SCALAR = "SCALAR"
    LIST = "LIST"
    NOTHING = "NOTHING"
    NULLABLE = "NULLABLE"
    REGULAR = "REGULAR"


# The builtin types (Any, Int, Float, String, Bool, Nothing) by identity, with their names:
# each pickles as a reference to its name, so that the process that loads it gets its own
# builtin, the object that ``is`` checks and ``==`` compare with, and not a copy (a pipeline
# sent by value to a notebook's kernel holds them).
_BUILTIN_NAMES: dict[int, str] = {}


def register_builtins(*types: HeadwaterType) -> None:
    """Make ``types`` (module-level objects of ``headwater.types.builtins``) pickle by name."""
    _BUILTIN_NAMES.update((id(t), t.name) for t in types)


def builtin_type(name: str) -> HeadwaterType:
    """The builtin type called ``name``: what a pickled builtin type is loaded as."""
    from headwater.types import builtins

    value: HeadwaterType = getattr(builtins, name)
    return value


class HeadwaterType:
    """A runtime type: a named check that every value given to or produced by a solid passes.

    Type checks run on every step input and output, so ``type_check_fn`` should be cheap.

    Args:
        type_check_fn: ``fn(context, value) -> bool | TypeCheck``. The first parameter must be
            named ``context`` (or ``_``, ``_context``, ``context_``).
        key: A unique identifier of the type; defaults to ``name``.
        name: The name users see; defaults to ``key``. One of the two is required.
        description: What a valid value is.
        loader: How an unconnected input of this type is built from run config.
        materializer: How an output of this type is written where the legacy
            ``solids.<s>.outputs: [{<output>: ...}]`` config says (keyword only).
        required_resource_keys: The resources ``type_check_fn`` uses through
            ``context.resources``.
        kind: The family of the type (see ``HeadwaterTypeKind``).
        typing_type: The Python type hint equivalent to this type.
        inner_types: The types a collection type is made of, e.g. ``(Int,)`` for
            ``List[Int]``. The ``inner_types`` attribute holds these and, in turn, every
            type nested inside them; their ``required_resource_keys`` are added to this
            type's, since its check runs theirs.

    Raises:
        HeadwaterInvalidDefinitionError: An argument is malformed, e.g. ``type_check_fn``
            does not take ``(context, value)``.

    Example:
        >>> Even = HeadwaterType(
        ...     lambda _context, value: isinstance(value, int) and value % 2 == 0,
        ...     name="Even",
        ... )
        >>> Even.type_check(TypeCheckContext(), 3).success
        False
    """

    __slots__ = ("_type_check_fn", "description", "inner_types", "key", "kind", "loader",
                 "materializer", "name", "required_resource_keys", "typing_type")

    key: str
    name: str
    description: str | None
    loader: HeadwaterTypeLoader | None
    materializer: HeadwaterTypeMaterializer | None
    kind: HeadwaterTypeKind
    required_resource_keys: frozenset[str]
    typing_type: typing.Any
    inner_types: tuple[HeadwaterType, ...]

    def __init__(
        self,
        type_check_fn: TypeCheckFn,
        key: str | None = None,
        name: str | None = None,
        description: str | None = None,
        loader: HeadwaterTypeLoader | None = None,
        required_resource_keys: Iterable[str] | None = None,
        kind: HeadwaterTypeKind = HeadwaterTypeKind.REGULAR,
        typing_type: typing.Any = typing.Any,
        *,
        inner_types: Sequence[HeadwaterType] = (),
        materializer: HeadwaterTypeMaterializer | None = None,
    ) -> None:
        name = name or key
        key = key or name
        if not isinstance(name, str) or not isinstance(key, str):
            raise HeadwaterInvalidDefinitionError(
                f"A HeadwaterType needs a name (or key) string; received name={name!r}, "
                f"key={key!r}."
            )
        owner = f'Headwater type "{name}"'
        check_context_function(type_check_fn, f"The type check function of {owner}", "value",
                               context_name_required=False)
        if description is not None and not isinstance(description, str):
            raise HeadwaterInvalidDefinitionError(
                f"{owner}: description must be a string, received {description!r}."
            )
        if loader is not None and not isinstance(loader, HeadwaterTypeLoader):
            raise HeadwaterInvalidDefinitionError(
                f"{owner}: loader must be a HeadwaterTypeLoader (build one with "
                f"@headwater_type_loader), received {loader!r}."
            )
        if materializer is not None and not isinstance(materializer, HeadwaterTypeMaterializer):
            raise HeadwaterInvalidDefinitionError(
                f"{owner}: materializer must be a HeadwaterTypeMaterializer (build one with "
                f"@headwater_type_materializer), received {materializer!r}."
            )
        if not isinstance(kind, HeadwaterTypeKind):
            raise HeadwaterInvalidDefinitionError(
                f"{owner}: kind must be a HeadwaterTypeKind, received {kind!r}."
            )
        set_attribute = object.__setattr__
        set_attribute(self, "_type_check_fn", type_check_fn)
        set_attribute(self, "key", key)
        set_attribute(self, "name", name)
        set_attribute(self, "description", description)
        set_attribute(self, "loader", loader)
        set_attribute(self, "materializer", materializer)
        set_attribute(self, "kind", kind)
        nested = _flatten(inner_types)
        declared_keys = resource_key_set(required_resource_keys, owner)
        set_attribute(self, "required_resource_keys", declared_keys.union(
            *(inner.required_resource_keys for inner in nested)))
        set_attribute(self, "typing_type", typing_type)
        set_attribute(self, "inner_types", nested)

    @property
    def display_name(self) -> str:
        """The name shown to users, e.g. ``"List[Int]"`` or ``"Optional[String]"``."""
        return self.name

    @property
    def is_nothing(self) -> bool:
        """Whether this is ``Nothing``: an input of it only orders steps and carries no value."""
        return self.kind is HeadwaterTypeKind.NOTHING

    def type_check(self, context: TypeCheckContext, value: typing.Any) -> TypeCheck:
        """Check ``value`` against this type.

        An exception raised by ``type_check_fn`` propagates unchanged: execution reports it as
        an error in user code, which is a different thing from a failed check.

        Args:
            context: What the check may use (resources, run id, log).
            value: The value to check.

        Returns:
            The ``TypeCheck`` the function returned, or one built from its bool.

        Raises:
            HeadwaterInvariantViolationError: ``type_check_fn`` returned neither a bool nor a
                ``TypeCheck``.
        """
        result = self._type_check_fn(context, value)
        if result is True:
            return PASSED
        if isinstance(result, TypeCheck):
            return result
        if result is False:
            return TypeCheck(False, description=describe_failure(value, self.display_name))
        raise HeadwaterInvariantViolationError(
            f'The type check function of Headwater type "{self.display_name}" returned '
            f"{result!r} of type {type(result).__name__}; it must return a bool or a "
            "TypeCheck (wrap a truthy value in bool(...))."
        )

    def __setattr__(self, name: str, value: typing.Any) -> None:
        raise AttributeError(f"{self!r} is immutable; cannot set {name!r}.")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self!r} is immutable; cannot delete {name!r}.")

    def __setstate__(self, state: typing.Any) -> None:
        # Pickle restores slots with setattr, which is refused: set them as built.
        restore_frozen_state(self, state)

    def __reduce_ex__(self, protocol: typing.SupportsIndex) -> typing.Any:
        name = _BUILTIN_NAMES.get(id(self))
        if name is not None:
            return builtin_type, (name,)
        return super().__reduce_ex__(protocol)

    # A type is immutable, so a copy is the type itself; definitions holding types may be
    # copied wholesale.
    def __copy__(self) -> HeadwaterType:
        return self

    def __deepcopy__(self, memo: dict[int, typing.Any]) -> HeadwaterType:
        return self

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.display_name}>"


class PythonObjectHeadwaterType(HeadwaterType):
    """A type whose values are instances of a Python class (or of one of several classes).

    Args:
        python_type: A class, or a tuple of classes for a union.
        key: A unique identifier of the type; defaults to ``name``.
        name: The name users see; defaults to the class name, or ``"Union[A, B]"`` for a
            tuple of classes.
        **kwargs: Any other argument of ``HeadwaterType`` except ``type_check_fn``.

    Example:
        >>> Number = PythonObjectHeadwaterType((int, float), name="Number")
    """

    __slots__ = ("python_type",)

    python_type: type | tuple[type, ...]

    def __init__(
        self,
        python_type: type | tuple[type, ...],
        key: str | None = None,
        name: str | None = None,
        **kwargs: typing.Any,
    ) -> None:
        classes = python_type if isinstance(python_type, tuple) else (python_type,)
        if not classes or not all(isinstance(cls, type) for cls in classes):
            raise HeadwaterInvalidDefinitionError(
                "PythonObjectHeadwaterType needs a class or a non-empty tuple of classes, "
                f"received {python_type!r}."
            )
        if name is None and key is None:
            name = (classes[0].__name__ if len(classes) == 1 else
                    f"Union[{', '.join(cls.__name__ for cls in classes)}]")
        kwargs.setdefault("typing_type", typing.Union[classes])  # noqa: UP007
        object.__setattr__(self, "python_type", python_type)
        super().__init__(isinstance_check(python_type, name or key or ""), key=key, name=name,
                         **kwargs)


def isinstance_check(python_type: type | tuple[type, ...], type_name: str,
                     rejected: type | tuple[type, ...] = ()) -> TypeCheckFn:
    """A type check function that passes instances of ``python_type``.

    Args:
        python_type: The accepted class or classes.
        type_name: The Headwater type's name, for the failure description.
        rejected: Subclasses to refuse although they are instances, e.g. ``bool`` for an
            integer type.
    """
    classes = python_type if isinstance(python_type, tuple) else (python_type,)
    expected = " or ".join(cls.__name__ for cls in classes)

    def check(_context: TypeCheckContext, value: typing.Any) -> bool | TypeCheck:
        if isinstance(value, python_type) and not isinstance(value, rejected):
            return True
        return TypeCheck(False, description=describe_failure(value, type_name, expected))

    return check


def describe_failure(value: typing.Any, type_name: str, expected: str | None = None) -> str:
    """The description of a failed check, naming the value's class and what was expected."""
    described = f"Value of type {type(value)} failed type check for Headwater type {type_name}"
    if expected is None:
        return f"{described}."
    return f"{described}, expected value to be of Python type {expected}."


def _flatten(types: Sequence[HeadwaterType]) -> tuple[HeadwaterType, ...]:
    # Every type nested at any depth, each once, so that a pipeline can list all its types.
    found: dict[HeadwaterType, None] = {}
    for inner in types:
        found[inner] = None
        found.update(dict.fromkeys(inner.inner_types))
    return tuple(found)
