"""Tutorial: testing the solids and the pipeline of tutorial_orders.py.

Written as pytest tests; run as a script, it calls each test itself.
"""

# [start:tests]
from tutorial_orders import InMemoryWarehouse, daily_revenue, load_orders, total_revenue

from headwater import build_solid_context, execute_pipeline, execute_solid


def test_total_revenue_adds_the_amounts():
    # A solid without a context is called like the function it is.
    assert total_revenue([1.0, 2.5]) == 3.5


def test_load_orders_reads_the_configured_day():
    warehouse = InMemoryWarehouse({"2024-02-01": [5.0]})
    context = build_solid_context(resources={"warehouse": warehouse},
                                  config={"day": "2024-02-01"})
    assert load_orders(context) == [5.0]


def test_total_revenue_in_an_ephemeral_pipeline():
    # execute_solid runs the solid through the real machinery: type checks, events, IO.
    result = execute_solid(total_revenue, input_values={"amounts": [1.0, 2.0]})
    assert result.success
    assert result.output_value() == 3.0


def test_pipeline_in_test_mode():
    result = execute_pipeline(daily_revenue, preset="test")
    assert result.success
    assert result.output_for_solid("total_revenue") == 42.5
# [end:tests]


if __name__ == "__main__":
    for name, test in list(globals().items()):
        if name.startswith("test_"):
            test()
