"""Solids in a module with ``from __future__ import annotations``: every hint is a string,
resolved against the module's globals."""

from __future__ import annotations

import dataclasses

import pytest

from headwater import HeadwaterInvalidDefinitionError, execute_solid, solid


@dataclasses.dataclass
class Order:
    amount: int


@solid
def total(orders: list[Order], bonus: int = 0) -> int:
    return sum(order.amount for order in orders) + bonus


def test_string_hints_resolve_to_input_types():
    types = {d.name: d.headwater_type.display_name for d in total.input_defs}

    assert types == {"orders": "List[Order]", "bonus": "Int"}


def test_string_return_hint_types_the_output():
    assert total.output_defs[0].headwater_type.display_name == "Int"


def test_string_hinted_types_are_checked_at_run_time():
    result = execute_solid(total, input_values={"orders": ["not an order"]},
                           raise_on_error=False)

    assert not result.success
    assert 'Type check failed for step input "orders"' in result.failure_data.error.message


def test_string_hint_naming_something_that_does_not_exist_is_a_definition_error():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="cannot be resolved"):
        @solid
        def broken(value: NoSuchType):  # noqa: F821
            return value
