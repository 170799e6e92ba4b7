"""HeadwaterType and PythonObjectHeadwaterType: construction, checking, naming."""

import copy

import pytest

from headwater.errors import HeadwaterInvalidDefinitionError, HeadwaterInvariantViolationError
from headwater.types import (
    HeadwaterType,
    HeadwaterTypeKind,
    PythonObjectHeadwaterType,
    TypeCheck,
    TypeCheckContext,
    check_headwater_type,
)


def is_even(_context, value):
    return isinstance(value, int) and value % 2 == 0


Even = HeadwaterType(is_even, name="Even", description="An even int.")


def test_a_true_result_becomes_a_passing_type_check():
    assert Even.type_check(TypeCheckContext(), 4) == TypeCheck(True)


def test_a_false_result_becomes_a_failing_type_check_naming_the_type_and_value_class():
    check = Even.type_check(TypeCheckContext(), 3)

    assert check.success is False
    assert check.description == (
        "Value of type <class 'int'> failed type check for Headwater type Even."
    )


def test_a_type_check_returned_by_the_function_is_returned_as_is():
    result = TypeCheck(False, description="too long", metadata={"length": 12})
    Short = HeadwaterType(lambda _context, _value: result, name="Short")

    assert Short.type_check(TypeCheckContext(), "x" * 12) is result


def test_a_result_that_is_neither_bool_nor_type_check_is_an_error_naming_the_type():
    Truthy = HeadwaterType(lambda _context, value: value, name="Truthy")

    with pytest.raises(HeadwaterInvariantViolationError, match='type "Truthy" returned 1'):
        Truthy.type_check(TypeCheckContext(), 1)


def test_an_exception_in_the_check_function_propagates_unchanged():
    def explode(_context, _value):
        raise KeyError("boom")

    Exploding = HeadwaterType(explode, name="Exploding")

    with pytest.raises(KeyError, match="boom"):
        Exploding.type_check(TypeCheckContext(), 1)


def test_the_check_function_receives_the_context():
    seen = []
    Recording = HeadwaterType(lambda context, _value: seen.append(context) is None,
                              name="Recording")
    context = TypeCheckContext(run_id="run-1")

    Recording.type_check(context, 1)

    assert seen == [context]


@pytest.mark.parametrize("first_parameter", ["context", "_", "_context", "context_"])
def test_the_first_parameter_may_have_any_context_name(first_parameter):
    namespace = {}
    exec(f"def check({first_parameter}, value): return True", namespace)

    assert HeadwaterType(namespace["check"], name="Named").name == "Named"


def test_a_check_function_may_name_its_first_parameter_freely():
    def check(_ctx, value):
        return value > 0

    positive = HeadwaterType(check, name="Positive")

    assert check_headwater_type(positive, 1).success
    assert not check_headwater_type(positive, -1).success


def test_a_check_function_taking_only_the_value_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r"Headwater type \"OneArg\".*exactly two positional arguments"):
        HeadwaterType(lambda value: True, name="OneArg")


def test_a_check_function_that_is_not_callable_is_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="must be a function"):
        HeadwaterType(True, name="NotCallable")


def test_a_type_needs_a_name_or_a_key():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="needs a name"):
        HeadwaterType(is_even)


def test_the_key_defaults_to_the_name_and_the_name_to_the_key():
    assert HeadwaterType(is_even, name="Even").key == "Even"
    assert HeadwaterType(is_even, key="even_key").name == "even_key"


def test_the_display_name_is_the_name():
    assert Even.display_name == "Even"


def test_a_loader_must_be_a_headwater_type_loader():
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match="loader must be a HeadwaterTypeLoader"):
        HeadwaterType(is_even, name="Even", loader=lambda _context, value: value)


def test_required_resource_keys_become_a_frozenset():
    Remote = HeadwaterType(is_even, name="Remote", required_resource_keys=["db", "cache"])

    assert Remote.required_resource_keys == frozenset({"db", "cache"})


def test_required_resource_keys_given_as_one_string_are_rejected():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="collection of resource key"):
        HeadwaterType(is_even, name="Remote", required_resource_keys="db")


def test_a_type_is_regular_and_not_nothing_by_default():
    assert Even.kind is HeadwaterTypeKind.REGULAR
    assert Even.is_nothing is False
    assert Even.inner_types == ()


def test_a_type_is_immutable():
    with pytest.raises(AttributeError, match="immutable"):
        Even.name = "Odd"


def test_copying_a_type_returns_the_type_itself():
    assert copy.copy(Even) is Even
    assert copy.deepcopy({"type": Even})["type"] is Even


def test_python_object_type_passes_instances_of_its_class():
    Text = PythonObjectHeadwaterType(str, name="Text")

    assert Text.type_check(TypeCheckContext(), "abc").success


def test_python_object_type_failure_names_value_type_headwater_type_and_python_type():
    Foo = PythonObjectHeadwaterType(int, name="Foo")

    check = Foo.type_check(TypeCheckContext(), "abc")

    assert check == TypeCheck(False, description=(
        "Value of type <class 'str'> failed type check for Headwater type Foo, expected "
        "value to be of Python type int."
    ))


def test_python_object_type_is_named_after_its_class_by_default():
    class Report:
        pass

    assert PythonObjectHeadwaterType(Report).name == "Report"


def test_python_object_type_of_a_tuple_of_classes_is_a_union():
    Number = PythonObjectHeadwaterType((int, float))

    assert Number.name == "Union[int, float]"
    assert Number.type_check(TypeCheckContext(), 1.5).success
    assert Number.type_check(TypeCheckContext(), 2).success
    assert "expected value to be of Python type int or float" in (
        Number.type_check(TypeCheckContext(), "2").description
    )


def test_python_object_type_needs_a_class():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="needs a class"):
        PythonObjectHeadwaterType("int")


def test_python_object_type_keeps_its_python_type_and_typing_type():
    Text = PythonObjectHeadwaterType(str, name="Text")

    assert Text.python_type is str
    assert Text.typing_type is str
