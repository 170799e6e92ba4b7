"""A pipeline to run on Airflow: each solid becomes an Airflow task, one DAG run is one
Headwater run, outputs pass between the tasks' processes through fs_io_manager.

Write its Airflow DAG file (the one next to this file was written so) and run it:

    headwater airflow scaffold -f examples/airflow/daily_totals.py -p daily_totals \\
        -c examples/airflow/daily_totals.yaml -o examples/airflow
    cp examples/airflow/daily_totals.py examples/airflow/headwater_daily_totals.py $AIRFLOW_HOME/dags/
    airflow dags test headwater_daily_totals 2024-01-02
    headwater run list

Or run it without Airflow, as any pipeline:

    headwater pipeline execute -f examples/airflow/daily_totals.py \\
        -c examples/airflow/daily_totals.yaml
"""

from headwater import Field, ModeDefinition, fs_io_manager, pipeline, solid


@solid(config_schema={"day": Field(str, description="The day to total (YYYY-MM-DD).")})
def extract_orders(context) -> list:
    day = context.solid_config["day"]
    context.log.info(f"Extracting the orders of {day}")
    return [{"day": day, "amount": amount} for amount in (12.5, 7.5, 30.0)]


@solid
def total_amount(context, orders: list) -> float:
    return sum(order["amount"] for order in orders)


@solid
def count_orders(context, orders: list) -> int:
    return len(orders)


@solid
def report(context, total: float, count: int) -> str:
    line = f"{count} orders, {total:.2f} in total"
    context.log.info(line)
    return line


@pipeline(mode_defs=[ModeDefinition(resource_defs={"io_manager": fs_io_manager})])
def daily_totals():
    orders = extract_orders()
    report(total_amount(orders), count_orders(orders))
