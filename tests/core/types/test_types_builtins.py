"""The builtin types accept exactly the values their names promise."""

import pytest

from headwater.types import (
    Any,
    Bool,
    Float,
    HeadwaterTypeKind,
    Int,
    Nothing,
    String,
    TypeCheckContext,
)


def passes(headwater_type, value):
    return headwater_type.type_check(TypeCheckContext(), value).success


@pytest.mark.parametrize("value", [None, 0, "text", [1], object()])
def test_any_accepts_every_value(value):
    assert passes(Any, value)


@pytest.mark.parametrize("value", [0, -3, 10**30])
def test_int_accepts_ints(value):
    assert passes(Int, value)


@pytest.mark.parametrize("value", [True, False])
def test_int_rejects_bools_although_bool_subclasses_int(value):
    assert not passes(Int, value)


@pytest.mark.parametrize("value", [1.0, "1", None])
def test_int_rejects_floats_strings_and_none(value):
    assert not passes(Int, value)


def test_int_failure_describes_the_value_and_expected_python_type():
    assert Int.type_check(TypeCheckContext(), "1").description == (
        "Value of type <class 'str'> failed type check for Headwater type Int, expected value "
        "to be of Python type int."
    )


@pytest.mark.parametrize("value", [1.5, 0.0, float("inf")])
def test_float_accepts_floats(value):
    assert passes(Float, value)


def test_float_accepts_ints():
    assert passes(Float, 3)


def test_float_rejects_bools():
    assert not passes(Float, True)


def test_float_rejects_numeric_strings():
    assert not passes(Float, "1.5")


def test_string_accepts_strings_and_rejects_bytes():
    assert passes(String, "")
    assert not passes(String, b"bytes")


def test_bool_accepts_bools_and_rejects_ints():
    assert passes(Bool, False)
    assert not passes(Bool, 0)


def test_nothing_accepts_only_none():
    assert passes(Nothing, None)
    assert not passes(Nothing, 0)


def test_nothing_is_the_only_nothing_type_and_has_no_loader():
    assert Nothing.is_nothing
    assert Nothing.loader is None
    assert not Any.is_nothing


@pytest.mark.parametrize(("headwater_type", "kind"), [
    (Any, HeadwaterTypeKind.ANY),
    (Int, HeadwaterTypeKind.SCALAR),
    (Float, HeadwaterTypeKind.SCALAR),
    (String, HeadwaterTypeKind.SCALAR),
    (Bool, HeadwaterTypeKind.SCALAR),
    (Nothing, HeadwaterTypeKind.NOTHING),
])
def test_each_builtin_has_its_kind(headwater_type, kind):
    assert headwater_type.kind is kind


@pytest.mark.parametrize(("headwater_type", "name"), [
    (Any, "Any"), (Int, "Int"), (Float, "Float"), (String, "String"), (Bool, "Bool"),
    (Nothing, "Nothing"),
])
def test_each_builtin_has_its_display_name(headwater_type, name):
    assert headwater_type.display_name == name
    assert headwater_type.key == name


@pytest.mark.parametrize("headwater_type", [Any, Int, Float, String, Bool])
def test_each_builtin_except_nothing_has_a_loader(headwater_type):
    assert headwater_type.loader is not None
