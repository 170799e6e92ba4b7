"""Python type hints resolve to Headwater types; classes can be registered."""

# The typing spellings (typing.List, typing.Optional, ...) are what is under test here.
# ruff: noqa: UP006, UP007, UP045

import collections
import inspect
import typing

import pytest

from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.types import (
    Any,
    Bool,
    Dict,
    Float,
    HeadwaterType,
    Int,
    List,
    Nothing,
    Optional,
    PythonObjectHeadwaterType,
    Set,
    String,
    Tuple,
    TypeCheckContext,
    make_python_type_usable_as_headwater_type,
    resolve_headwater_type,
    usable_as_headwater_type,
)


@pytest.mark.parametrize("hint", [None, inspect.Parameter.empty, typing.Any, object])
def test_no_hint_and_any_hints_resolve_to_any(hint):
    assert resolve_headwater_type(hint) is Any


@pytest.mark.parametrize(("hint", "expected"), [
    (int, Int), (float, Float), (str, String), (bool, Bool), (type(None), Nothing),
])
def test_builtin_classes_resolve_to_builtin_types(hint, expected):
    assert resolve_headwater_type(hint) is expected


def test_a_headwater_type_resolves_to_itself():
    assert resolve_headwater_type(Nothing) is Nothing


@pytest.mark.parametrize("hint", [list, typing.List, List])
def test_bare_list_hints_resolve_to_list_of_any(hint):
    assert resolve_headwater_type(hint) is List[Any]


@pytest.mark.parametrize("hint", [typing.List[int], list[int], List[int], List[Int]])
def test_every_spelling_of_a_list_of_ints_resolves_to_one_type(hint):
    assert resolve_headwater_type(hint) is List[Int]


@pytest.mark.parametrize("hint", [typing.Optional[str], str | None, typing.Union[None, str],
                                  Optional[str]])
def test_every_spelling_of_an_optional_resolves_to_one_type(hint):
    assert resolve_headwater_type(hint) is Optional[String]


@pytest.mark.parametrize(("hint", "expected"), [
    (dict, "Dict[Any, Any]"),
    (typing.Dict, "Dict[Any, Any]"),
    (typing.Dict[str, int], "Dict[String, Int]"),
    (dict[str, list[int]], "Dict[String, List[Int]]"),
    (set, "Set[Any]"),
    (typing.Set[int], "Set[Int]"),
    (set[str], "Set[String]"),
    (tuple, "Tuple[Any, ...]"),
    (typing.Tuple[int, str], "Tuple[Int, String]"),
    (tuple[int, ...], "Tuple[Int, ...]"),
    (typing.List[typing.Optional[int]], "List[Optional[Int]]"),
])
def test_collection_hints_resolve_to_collection_types(hint, expected):
    assert resolve_headwater_type(hint).display_name == expected


def test_the_subscriptable_factories_accept_python_hints():
    assert Dict[str, int] is resolve_headwater_type(dict[str, int])
    assert Set[int] is Set[Int]
    assert Tuple[int, str] is Tuple[Int, String]


def test_an_unregistered_class_resolves_to_an_isinstance_type_named_after_it():
    class Invoice:
        pass

    invoice_type = resolve_headwater_type(Invoice)

    assert isinstance(invoice_type, PythonObjectHeadwaterType)
    assert invoice_type.name == "Invoice"
    assert invoice_type.type_check(TypeCheckContext(), Invoice()).success
    assert not invoice_type.type_check(TypeCheckContext(), object()).success


def test_an_inferred_class_type_is_cached_per_class():
    class Invoice:
        pass

    assert resolve_headwater_type(Invoice) is resolve_headwater_type(Invoice)


def test_an_inferred_class_type_is_used_inside_collection_hints():
    class Invoice:
        pass

    assert resolve_headwater_type(list[Invoice]).inner_types == (resolve_headwater_type(Invoice),)


def test_an_abstract_base_class_resolves_to_an_isinstance_type():
    sequence_type = resolve_headwater_type(collections.abc.Sequence)

    assert sequence_type.type_check(TypeCheckContext(), (1, 2)).success


def test_a_decorated_class_resolves_to_its_registered_type():
    @usable_as_headwater_type(name="Money", description="An amount in cents.")
    class Cents:
        pass

    money = resolve_headwater_type(Cents)

    assert money.name == "Money"
    assert money.description == "An amount in cents."
    assert money.type_check(TypeCheckContext(), Cents()).success


def test_the_bare_decorator_names_the_type_after_the_class_and_returns_the_class():
    class Ledger:
        pass

    assert usable_as_headwater_type(Ledger) is Ledger
    assert resolve_headwater_type(Ledger).name == "Ledger"


def test_a_class_registered_after_being_inferred_resolves_to_the_registered_type():
    class Ledger:
        pass

    inferred = resolve_headwater_type(list[Ledger])
    ledger_type = PythonObjectHeadwaterType(Ledger, name="LedgerType")
    make_python_type_usable_as_headwater_type(Ledger, ledger_type)

    assert resolve_headwater_type(Ledger) is ledger_type
    assert resolve_headwater_type(list[Ledger]) is not inferred
    assert resolve_headwater_type(list[Ledger]).inner_types == (ledger_type,)


def test_a_class_of_another_library_can_be_mapped_to_any_type():
    class Frame:
        pass

    frame_type = HeadwaterType(lambda _context, value: isinstance(value, Frame), name="Frame")
    make_python_type_usable_as_headwater_type(Frame, frame_type)

    assert resolve_headwater_type(Frame) is frame_type


def test_a_class_cannot_be_registered_to_two_types():
    class Frame:
        pass

    make_python_type_usable_as_headwater_type(Frame, PythonObjectHeadwaterType(Frame))

    with pytest.raises(HeadwaterInvalidDefinitionError, match="already usable as"):
        make_python_type_usable_as_headwater_type(Frame, PythonObjectHeadwaterType(Frame))


@pytest.mark.parametrize("python_type", [int, list, object])
def test_classes_with_a_builtin_mapping_cannot_be_registered(python_type):
    with pytest.raises(HeadwaterInvalidDefinitionError, match="already stands for the builtin"):
        make_python_type_usable_as_headwater_type(python_type, Int)


def test_an_int_literal_is_not_a_type():
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r"Cannot use 5 \(of type int\) as a Headwater type.*Accepted are"):
        resolve_headwater_type(5)


def test_a_string_is_not_a_type_and_the_error_explains_postponed_annotations():
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r"Cannot use 'int'.*typing\.get_type_hints"):
        resolve_headwater_type("int")


def test_a_union_other_than_optional_is_not_a_type():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="PythonObjectHeadwaterType"):
        resolve_headwater_type(int | str)


def test_an_unsupported_generic_is_not_a_type():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="generic is not supported"):
        resolve_headwater_type(typing.Sequence[int])


def test_an_unhashable_value_is_not_a_type():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"Cannot use \[<class 'int'>\]"):
        resolve_headwater_type([int])


def test_an_unresolvable_parameter_inside_a_collection_is_reported():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="Cannot use 3"):
        List[3]
