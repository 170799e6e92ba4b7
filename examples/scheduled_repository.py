"""A repository that runs by itself: a daily partitioned schedule and a file sensor.

``daily_sales`` adds up one day of sales. Its schedule runs it every night at 02:00 Berlin
time for the day before; a backfill runs it for past days. ``ingest_file`` counts the lines
of a file; its sensor launches one run for each new file in the inbox folder
(``$HEADWATER_EXAMPLE_INBOX``, or ``inbox`` in the current directory).

Run one day by hand:

    headwater pipeline execute -f examples/scheduled_repository.py -p daily_sales

Let the daemon run it (``examples/workspace.yaml`` loads this file):

    headwater schedule start daily_sales_schedule -w examples/workspace.yaml
    headwater sensor start new_files_sensor -w examples/workspace.yaml
    mkdir -p inbox
    headwater daemon run -w examples/workspace.yaml

Then, from another terminal, drop a file in the inbox and see its run:

    echo "first line" > inbox/orders.csv
    headwater run list

See what the schedule and the sensor would do, without running anything:

    headwater schedule preview daily_sales_schedule -w examples/workspace.yaml
    headwater sensor preview new_files_sensor -w examples/workspace.yaml

Fill the first week of April (the daemon submits one run per day):

    headwater pipeline backfill -w examples/workspace.yaml \\
        --partition-set daily_sales_schedule_partitions --from 2026-04-01 --to 2026-04-07
"""

import datetime as dt
import os
import random

from headwater import (
    Field,
    RunRequest,
    SkipReason,
    daily_schedule,
    pipeline,
    repository,
    sensor,
    solid,
)


@solid(config_schema={"date": Field(str, default_value="2026-04-01",
                                    description="The day, as YYYY-MM-DD.")})
def load_sales(context) -> list[float]:
    """The day's sales (made up, the same for the same day)."""
    day = context.solid_config["date"]
    amounts = random.Random(day).choices(range(5, 200), k=20)
    context.log.info(f"Loaded {len(amounts)} sales of {day}.")
    return [float(amount) for amount in amounts]


@solid
def total_sales(context, sales: list[float]) -> float:
    """Add the day's sales up."""
    total = sum(sales)
    context.log.info(f"Sales total: {total:.2f}")
    return total


@pipeline
def daily_sales():
    total_sales(load_sales())


@daily_schedule(pipeline_name="daily_sales", start_date=dt.datetime(2026, 1, 1),
                execution_time=dt.time(2, 0), execution_timezone="Europe/Berlin")
def daily_sales_schedule(date: dt.datetime) -> dict:
    """Each night, the sales of the day before (its partition)."""
    return {"solids": {"load_sales": {"config": {"date": date.strftime("%Y-%m-%d")}}}}


@solid(config_schema={"path": str})
def count_lines(context) -> int:
    """Count the lines of the file."""
    with open(context.solid_config["path"], encoding="utf-8") as file:
        lines = sum(1 for _ in file)
    context.log.info(f"{context.solid_config['path']} has {lines} lines.")
    return lines


@pipeline
def ingest_file():
    count_lines()


def inbox_folder() -> str:
    """Where the sensor looks for files."""
    return os.path.abspath(os.environ.get("HEADWATER_EXAMPLE_INBOX", "inbox"))


@sensor(pipeline_name="ingest_file", minimum_interval_seconds=5)
def new_files_sensor(context):
    """One run of ingest_file per file in the inbox: the file's name is the run key, so a
    file already ingested launches nothing."""
    folder = inbox_folder()
    if not os.path.isdir(folder):
        return SkipReason(f"The inbox {folder} does not exist yet.")
    names = sorted(name for name in os.listdir(folder)
                   if os.path.isfile(os.path.join(folder, name)))
    if not names:
        return SkipReason(f"No file in {folder}.")
    return [RunRequest(run_key=name, run_config={
        "solids": {"count_lines": {"config": {"path": os.path.join(folder, name)}}}})
        for name in names]


@repository
def scheduled_examples():
    return [daily_sales, daily_sales_schedule, ingest_file, new_files_sensor]
