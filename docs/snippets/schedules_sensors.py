"""Schedules, sensors and partitions, and the daemon that runs them, on a clock of our own."""

import datetime as dt
import os
import tempfile

from headwater import (
    PartitionSetDefinition,
    RunRequest,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    daily_schedule,
    pipeline,
    repository,
    schedule,
    sensor,
    solid,
    static_partitions,
)

INBOX = os.environ.setdefault("ORDERS_INBOX", tempfile.mkdtemp())


@solid(config_schema={"day": str})
def load_orders(context):
    context.log.info(f"loading the orders of {context.solid_config['day']}")


@pipeline
def daily_orders():
    load_orders()


# [start:schedule]
@schedule("0 3 * * *", pipeline_name="daily_orders", execution_timezone="Europe/Berlin",
          tags={"team": "sales"})
def nightly_orders(context):
    day = context.scheduled_execution_time - dt.timedelta(days=1)
    return {"solids": {"load_orders": {"config": {"day": day.strftime("%Y-%m-%d")}}}}
# [end:schedule]


# [start:partitioned]
@daily_schedule(pipeline_name="daily_orders", start_date=dt.datetime(2026, 1, 1),
                execution_time=dt.time(3, 0), execution_timezone="Europe/Berlin")
def orders_by_day(date):
    """At 03:00 each day, the orders of the day before (its partition)."""
    return {"solids": {"load_orders": {"config": {"day": date.strftime("%Y-%m-%d")}}}}
# [end:partitioned]


# [start:sensor]
@sensor(pipeline_name="daily_orders", minimum_interval_seconds=30)
def orders_files(context):
    """One run per file dropped in the inbox; the cursor remembers the newest file seen."""
    newest = float(context.cursor or 0)
    paths = sorted((entry.stat().st_mtime, entry.name) for entry in os.scandir(INBOX))
    fresh = [(mtime, name) for mtime, name in paths if mtime > newest]
    if not fresh:
        return SkipReason(f"No new file in {INBOX}.")
    context.update_cursor(str(fresh[-1][0]))
    return [RunRequest(run_key=name,  # one run per file name, ever
                       run_config={"solids": {"load_orders": {"config": {"day": name}}}})
            for _, name in fresh]
# [end:sensor]


# [start:partition-set]
regions = PartitionSetDefinition(
    "regions", "daily_orders", partition_fn=static_partitions(["eu", "us", "apac"]),
    run_config_fn_for_partition=lambda partition: {
        "solids": {"load_orders": {"config": {"day": f"today-{partition.name}"}}}})
# [end:partition-set]


@repository
def orders_repository():
    return [daily_orders, nightly_orders, orders_by_day, orders_files, regions]


def check_definitions():
    # [start:test-definitions]
    tick = dt.datetime(2026, 3, 29, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    data = nightly_orders.evaluate_tick(build_schedule_context(scheduled_execution_time=tick))
    [request] = data.run_requests
    assert request.run_config == {"solids": {"load_orders": {"config": {"day": "2026-03-28"}}}}
    assert request.tags["headwater/schedule_name"] == "nightly_orders"

    open(os.path.join(INBOX, "2026-03-28.csv"), "w").close()
    data = orders_files.evaluate_tick(build_sensor_context(cursor=None))
    assert [r.run_key for r in data.run_requests] == ["2026-03-28.csv"]
    again = orders_files.evaluate_tick(build_sensor_context(cursor=data.cursor))
    assert again.skip_message.startswith("No new file")
    # [end:test-definitions]


def check_workspace_file():
    from headwater.workspace import load_workspace_file

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config", "workspace.yaml")
    names = [spec.name for spec in load_workspace_file(path)]
    assert names == ["orders.py", "ml", "my_project.repository", "reporting"]


def check_daemon():
    from headwater.daemon import DaemonController, SchedulerDuty
    from headwater.daemon.jobs import start_job
    from headwater.instance import Instance, RunsFilter
    from headwater.instance.jobs import JobType, job_origin_id
    from headwater.workspace import LocationSpec, Workspace

    os.environ["HEADWATER_HOME"] = tempfile.mkdtemp()
    with open(os.path.join(os.environ["HEADWATER_HOME"], "headwater.yaml"), "w") as file:
        file.write("run_coordinator: queued\n")   # runs wait in the queue: nothing starts
    workspace = Workspace.from_specs([LocationSpec("schedules_sensors.py",
                                                   python_file=os.path.abspath(__file__))])
    # [start:daemon-clock]
    def at(text):
        return dt.datetime.fromisoformat(text).timestamp()

    with Instance.get() as instance:
        start_job(instance, JobType.SCHEDULE, "orders_repository", "nightly_orders",
                  at("2026-03-27T12:00:00+01:00"))
        controller = DaemonController(instance, [SchedulerDuty(workspace)])
        for now in ("2026-03-28T02:59:59+01:00", "2026-03-28T03:00:00+01:00",
                    "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"):
            assert controller.run_once(at(now)) == {"scheduler": None}

        ticks = instance.get_job_ticks(job_origin_id(JobType.SCHEDULE, "orders_repository",
                                                     "nightly_orders"))
        assert [(record.tick.timestamp, record.tick.status.value) for record in ticks] == [
            (at("2026-03-29T03:00:00+02:00"), "SUCCESS"),   # the night clocks go forward
            (at("2026-03-28T03:00:00+01:00"), "SUCCESS")]
        runs = instance.get_runs(RunsFilter(tags={"headwater/schedule_name": "nightly_orders"}))
        assert [run.status.value for run in runs] == ["QUEUED", "QUEUED"]
    # [end:daemon-clock]


if __name__ == "__main__":
    check_definitions()
    check_workspace_file()
    check_daemon()
