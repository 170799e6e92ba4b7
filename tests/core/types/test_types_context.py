"""TypeCheckContext and checking values outside of a run."""

from types import SimpleNamespace

import pytest

from headwater.errors import HeadwaterInvalidInvocationError
from headwater.types import (
    HeadwaterType,
    Int,
    List,
    TypeCheck,
    TypeCheckContext,
    check_headwater_type,
)

KnownCustomer = HeadwaterType(
    lambda context, value: value in context.resources.customers,
    name="KnownCustomer",
    required_resource_keys={"customers"},
)


def test_a_context_can_be_built_with_defaults():
    context = TypeCheckContext()

    assert context.run_id is None
    assert context.log is not None


def test_a_context_is_immutable():
    with pytest.raises(AttributeError):
        TypeCheckContext().run_id = "other"


def test_check_headwater_type_checks_a_value_standalone():
    assert check_headwater_type(Int, 1) == TypeCheck(True)
    assert not check_headwater_type(Int, "1").success


def test_check_headwater_type_resolves_type_hints():
    assert check_headwater_type(list[int], [1, 2]).success
    assert not check_headwater_type(List[int], [1, "2"]).success


def test_check_headwater_type_refuses_a_type_that_needs_resources():
    with pytest.raises(HeadwaterInvalidInvocationError,
                       match=r"needs the resources \['customers'\]"):
        check_headwater_type(KnownCustomer, "ada")


def test_a_context_with_resources_checks_a_type_that_needs_them():
    context = TypeCheckContext(resources=SimpleNamespace(customers={"ada"}))

    assert context.check_headwater_type(KnownCustomer, "ada").success
    assert not context.check_headwater_type(KnownCustomer, "bob").success


def test_a_collection_of_a_type_that_needs_resources_needs_them_too():
    assert List[KnownCustomer].required_resource_keys == frozenset({"customers"})


def test_check_headwater_type_refuses_a_collection_of_a_type_that_needs_resources():
    with pytest.raises(HeadwaterInvalidInvocationError, match="needs the resources"):
        check_headwater_type(List[KnownCustomer], ["ada"])
