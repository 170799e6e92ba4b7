"""List, Optional, Dict, Set and Tuple: checks, names, kinds and caching."""

import pytest

from headwater.errors import HeadwaterInvalidDefinitionError
from headwater.types import (
    Any,
    Dict,
    HeadwaterType,
    HeadwaterTypeKind,
    Int,
    List,
    Optional,
    Set,
    String,
    Tuple,
    TypeCheck,
    TypeCheckContext,
    resolve_headwater_type,
)


def passes(headwater_type, value):
    return headwater_type.type_check(TypeCheckContext(), value).success


def test_list_accepts_a_list_of_matching_items():
    assert passes(List[Int], [1, 2, 3])


def test_list_accepts_an_empty_list():
    assert passes(List[Int], [])


def test_list_rejects_a_tuple():
    assert not passes(List[Int], (1, 2))


def test_list_failure_names_the_failing_item_and_why():
    check = List[Int].type_check(TypeCheckContext(), [1, "two"])

    assert check.description == (
        "List[Int]: item 1 failed type check: Value of type <class 'str'> failed type check "
        "for Headwater type Int, expected value to be of Python type int."
    )


def test_list_of_bools_is_not_a_list_of_ints():
    assert not passes(List[Int], [1, True])


def test_bare_list_is_a_list_of_any():
    assert resolve_headwater_type(List) is List[Any]
    assert passes(List[Any], [1, "x", None])


def test_nested_list_of_optional_accepts_none_items():
    assert passes(List[Optional[Int]], [1, None, 3])


def test_nested_list_of_optional_rejects_a_wrong_item():
    assert not passes(List[Optional[Int]], [1, None, "3"])


def test_list_of_lists_checks_every_level():
    assert passes(List[List[Int]], [[1], []])
    assert not passes(List[List[Int]], [[1], ["x"]])


def test_optional_accepts_none_and_the_inner_type():
    assert passes(Optional[String], None)
    assert passes(Optional[String], "x")
    assert not passes(Optional[String], 1)


def test_optional_of_optional_is_the_same_optional():
    assert Optional[Optional[Int]] is Optional[Int]


def test_dict_checks_keys_and_values():
    assert passes(Dict[String, Int], {"a": 1})
    assert not passes(Dict[String, Int], {1: 1})
    assert not passes(Dict[String, Int], {"a": "1"})


def test_dict_failure_names_the_failing_key():
    check = Dict[String, Int].type_check(TypeCheckContext(), {"a": "1"})

    assert check.description.startswith("Dict[String, Int]: the value at key 'a' failed")


def test_dict_rejects_a_list_of_pairs():
    assert not passes(Dict[String, Int], [("a", 1)])


def test_set_checks_every_item():
    assert passes(Set[Int], {1, 2})
    assert not passes(Set[Int], {1, "2"})
    assert not passes(Set[Int], [1, 2])


def test_fixed_tuple_checks_each_position():
    assert passes(Tuple[Int, String], (1, "a"))
    assert not passes(Tuple[Int, String], ("a", 1))


def test_fixed_tuple_rejects_the_wrong_length():
    check = Tuple[Int, String].type_check(TypeCheckContext(), (1, "a", "b"))

    assert check.description == (
        "Tuple[Int, String] expects a tuple of 2 items, received one of 3."
    )


def test_variadic_tuple_accepts_any_length():
    assert passes(Tuple[Int, ...], (1, 2, 3))
    assert passes(Tuple[Int, ...], ())
    assert not passes(Tuple[Int, ...], (1, "2"))


@pytest.mark.parametrize(("headwater_type", "display_name"), [
    (List[Int], "List[Int]"),
    (List[Optional[Int]], "List[Optional[Int]]"),
    (Optional[String], "Optional[String]"),
    (Dict[String, Int], "Dict[String, Int]"),
    (Set[String], "Set[String]"),
    (Tuple[Int, String], "Tuple[Int, String]"),
    (Tuple[Int, ...], "Tuple[Int, ...]"),
])
def test_collection_types_have_readable_display_names(headwater_type, display_name):
    assert headwater_type.display_name == display_name


@pytest.mark.parametrize(("headwater_type", "kind"), [
    (List[Int], HeadwaterTypeKind.LIST),
    (Optional[Int], HeadwaterTypeKind.NULLABLE),
    (Dict[String, Int], HeadwaterTypeKind.REGULAR),
    (Set[Int], HeadwaterTypeKind.REGULAR),
    (Tuple[Int, ...], HeadwaterTypeKind.REGULAR),
])
def test_collection_types_have_their_kind(headwater_type, kind):
    assert headwater_type.kind is kind


def test_inner_types_list_every_nested_type_once():
    assert List[Dict[String, List[String]]].inner_types == (
        Dict[String, List[String]], String, List[String],
    )


def test_the_same_collection_type_is_built_once():
    assert List[Int] is List[Int]
    assert Dict[String, Int] is Dict[String, Int]


def test_the_metadata_of_a_failing_item_is_kept():
    Positive = HeadwaterType(
        lambda _context, value: TypeCheck(value > 0, metadata={"value": value}),
        name="Positive",
    )

    assert List[Positive].type_check(TypeCheckContext(), [1, -2]).metadata == {"value": -2}


def test_optional_without_a_type_is_an_error():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"e\.g\. Optional\[int\]"):
        resolve_headwater_type(Optional)


def test_list_with_two_types_is_an_error():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"List\[\.\.\.\] takes 1 type"):
        List[Int, String]
