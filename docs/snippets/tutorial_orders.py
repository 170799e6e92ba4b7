"""Tutorial: a pipeline with config, a resource swapped by mode, and presets.

Run it from Python (``python tutorial_orders.py``) or import it from a test.
"""

# [start:imports]
import sqlite3

from headwater import (
    Field,
    ModeDefinition,
    PresetDefinition,
    StringSource,
    pipeline,
    resource,
    solid,
)

# [end:imports]

# [start:warehouses]

class SqliteWarehouse:
    """Orders and reports in a SQLite database."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS orders (day TEXT, amount REAL)")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS reports (day TEXT, revenue REAL)")

    def orders_on(self, day: str) -> list[float]:
        rows = self.connection.execute("SELECT amount FROM orders WHERE day = ?", (day,))
        return [amount for (amount,) in rows]

    def save_report(self, day: str, revenue: float) -> None:
        with self.connection:
            self.connection.execute("INSERT INTO reports VALUES (?, ?)", (day, revenue))


class InMemoryWarehouse:
    """The same interface over a dict: for tests."""

    def __init__(self, orders: dict[str, list[float]]) -> None:
        self.orders = orders
        self.reports: dict[str, float] = {}

    def orders_on(self, day: str) -> list[float]:
        return self.orders.get(day, [])

    def save_report(self, day: str, revenue: float) -> None:
        self.reports[day] = revenue


@resource(config_schema={"path": Field(StringSource, default_value=":memory:")})
def sqlite_warehouse(init_context):
    warehouse = SqliteWarehouse(init_context.resource_config["path"])
    yield warehouse
    warehouse.connection.close()  # teardown: runs when the run ends, even if it failed


@resource
def test_warehouse(_init_context):
    return InMemoryWarehouse({"2024-01-01": [10.0, 32.5]})
# [end:warehouses]


# [start:solids]
@solid(config_schema={"day": str}, required_resource_keys={"warehouse"})
def load_orders(context) -> list:
    day = context.solid_config["day"]
    return context.resources.warehouse.orders_on(day)


@solid
def total_revenue(amounts: list) -> float:
    return float(sum(amounts))


@solid(config_schema={"day": str}, required_resource_keys={"warehouse"})
def save_report(context, revenue: float) -> None:
    context.resources.warehouse.save_report(context.solid_config["day"], revenue)
    context.log.info(f"Revenue on {context.solid_config['day']}: {revenue:.2f}")
# [end:solids]


# [start:pipeline]
DAY = {"day": "2024-01-01"}


@pipeline(
    mode_defs=[
        ModeDefinition("local", resource_defs={"warehouse": sqlite_warehouse}),
        ModeDefinition("test", resource_defs={"warehouse": test_warehouse}),
    ],
    preset_defs=[
        PresetDefinition(
            "local",
            mode="local",
            run_config={
                "solids": {"load_orders": {"config": DAY}, "save_report": {"config": DAY}},
                "resources": {"warehouse": {"config": {"path": {"env": "ORDERS_DB"}}}},
            },
        ),
        PresetDefinition(
            "test",
            mode="test",
            run_config={
                "solids": {"load_orders": {"config": DAY}, "save_report": {"config": DAY}},
            },
        ),
    ],
)
def daily_revenue():
    save_report(total_revenue(load_orders()))
# [end:pipeline]


if __name__ == "__main__":
    import os
    import tempfile

    from headwater import execute_pipeline

    # [start:run]
    result = execute_pipeline(daily_revenue, preset="test")
    assert result.success
    assert result.output_for_solid("total_revenue") == 42.5
    # [end:run]

    from _output import expected_output

    from headwater import HeadwaterInvalidConfigError

    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        # The local preset reads the database path from $ORDERS_DB.
        os.environ["ORDERS_DB"] = os.path.join(tmp, "orders.db")
        assert execute_pipeline(daily_revenue, preset="local").success

        # [start:run-config]
        execute_pipeline(
            daily_revenue,
            mode="local",
            run_config={
                "solids": {
                    "load_orders": {"config": {"day": "2024-01-01"}},
                    "save_report": {"config": {"day": "2024-01-01"}},
                },
                "resources": {"warehouse": {"config": {"path": "orders.db"}}},
            },
        )
        # [end:run-config]

        try:
            execute_pipeline(daily_revenue, mode="local", run_config={"solids": {
                "load_orders": {"config": {"dya": "2024-01-01"}},
                "save_report": {"config": {"day": "2024-01-01"}},
            }})
        except HeadwaterInvalidConfigError as error:
            print(error)
            assert str(error) == expected_output("tutorial_config_error.txt")
