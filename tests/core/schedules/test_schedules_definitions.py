"""Schedules, partitions and sensors as definitions: what they ask for at a tick."""

from __future__ import annotations

import datetime as dt
from itertools import islice

import pytest

from headwater import (
    AssetMaterialization,
    HeadwaterInvalidDefinitionError,
    Output,
    PartitionSetDefinition,
    RunRequest,
    SkipReason,
    asset_sensor,
    build_schedule_context,
    build_sensor_context,
    daily_schedule,
    date_partition_range,
    execute_pipeline,
    hourly_schedule,
    identity_partition_selector,
    instance_for_test,
    monthly_schedule,
    pipeline,
    repository,
    run_failure_sensor,
    schedule,
    sensor,
    solid,
    static_partitions,
    weekly_schedule,
)

UTC = dt.UTC


def _times(definition, after, count):
    return [t.isoformat() for t in islice(definition.fire_times(after), count)]


@solid
def noop():
    return None


@pipeline
def target():
    noop()


def test_schedule_returns_its_run_config_and_tags_at_a_tick():
    @schedule("0 3 * * *", pipeline_name="target", tags={"team": "data"})
    def nightly(context):
        return {"solids": {"noop": {"config": context.scheduled_execution_time.strftime("%d")}}}

    tick = dt.datetime(2026, 1, 5, 3, tzinfo=UTC)
    data = nightly.evaluate_tick(build_schedule_context(scheduled_execution_time=tick))
    (request,) = data.run_requests
    assert request.run_config == {"solids": {"noop": {"config": "05"}}}
    assert request.tags["team"] == "data"
    assert request.tags["headwater/schedule_name"] == "nightly"
    assert request.tags["headwater/scheduled_execution_time"] == tick.isoformat()


def test_should_execute_false_skips_the_tick_with_a_reason():
    @schedule("* * * * *", pipeline_name="target", should_execute=lambda: False)
    def never():
        return {}

    data = never.evaluate_tick(build_schedule_context())
    assert data.run_requests == []
    assert data.skip_message == "should_execute function for never returned false."


def test_invalid_cron_is_a_definition_error_naming_the_schedule():
    with pytest.raises(HeadwaterInvalidDefinitionError, match=r"Schedule \"bad\".*not valid cron"):
        @schedule("every day", pipeline_name="target")
        def bad():
            return {}


@pytest.mark.parametrize("cron", ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *"])
def test_cron_that_never_fires_is_a_definition_error_naming_the_schedule(cron):
    with pytest.raises(HeadwaterInvalidDefinitionError,
                       match=r'Schedule "feb31" has the cron schedule .* never fires'):
        @schedule(cron, pipeline_name="target")
        def feb31():
            return {}


def test_cron_of_a_rare_but_real_day_is_accepted():
    @schedule("0 0 29 2 *", pipeline_name="target")
    def leap_day():
        return {}

    assert next(leap_day.fire_times(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))).year == 2028


def test_unknown_time_zone_is_a_definition_error():
    with pytest.raises(HeadwaterInvalidDefinitionError, match="Mars/Olympus"):
        @schedule("0 0 * * *", pipeline_name="target", execution_timezone="Mars/Olympus")
        def mars():
            return {}


def test_cron_ticks_across_the_spring_forward_change():
    @schedule("30 2 * * *", pipeline_name="target", execution_timezone="America/New_York")
    def half_past_two():
        return {}

    start = dt.datetime(2026, 3, 7, 0, tzinfo=UTC)
    assert _times(half_past_two, start, 3) == [
        "2026-03-07T02:30:00-05:00",
        "2026-03-08T03:30:00-04:00",  # 02:30 does not exist that night
        "2026-03-09T02:30:00-04:00",
    ]


def test_hourly_cron_fires_once_per_wall_clock_hour_across_fall_back():
    @schedule("0 * * * *", pipeline_name="target", execution_timezone="America/New_York")
    def hourly():
        return {}

    start = dt.datetime(2026, 11, 1, 4, tzinfo=UTC)  # 00:00 EDT
    assert _times(hourly, start, 3) == [
        "2026-11-01T01:00:00-04:00",  # the repeated 01:00 fires once, at its first occurrence
        "2026-11-01T02:00:00-05:00",
        "2026-11-01T03:00:00-05:00",
    ]


def test_schedule_without_time_zone_runs_in_utc():
    @schedule("15 6 * * *", pipeline_name="target")
    def morning():
        return {}

    (first,) = islice(morning.fire_times(dt.datetime(2026, 6, 1, tzinfo=UTC)), 1)
    assert first == dt.datetime(2026, 6, 1, 6, 15, tzinfo=UTC)


def test_daily_schedule_fills_the_previous_days_partition():
    @daily_schedule(pipeline_name="target", start_date=dt.datetime(2026, 1, 1),
                    execution_time=dt.time(2, 0))
    def daily(date):
        return {"solids": {"noop": {"config": date.strftime("%Y-%m-%d")}}}

    tick = dt.datetime(2026, 1, 10, 2, tzinfo=UTC)
    (request,) = daily.evaluate_tick(build_schedule_context(
        scheduled_execution_time=tick)).run_requests
    assert request.run_config == {"solids": {"noop": {"config": "2026-01-09"}}}
    assert request.tags["headwater/partition"] == "2026-01-09"
    assert request.tags["headwater/partition_set"] == "daily_partitions"
    assert daily.cron_schedule == "0 2 * * *"


def test_daily_schedule_offset_zero_fills_the_current_day():
    @daily_schedule(pipeline_name="target", start_date=dt.datetime(2026, 1, 1),
                    partition_days_offset=0)
    def same_day(date):
        return {"day": date.day}

    tick = dt.datetime(2026, 1, 10, 0, tzinfo=UTC)
    (request,) = same_day.evaluate_tick(build_schedule_context(
        scheduled_execution_time=tick)).run_requests
    assert request.tags["headwater/partition"] == "2026-01-10"


def test_daily_schedule_before_its_first_partition_skips():
    @daily_schedule(pipeline_name="target", start_date=dt.datetime(2026, 1, 1))
    def early(date):
        return {}

    tick = dt.datetime(2026, 1, 1, 0, tzinfo=UTC)
    data = early.evaluate_tick(build_schedule_context(scheduled_execution_time=tick))
    assert data.run_requests == [] and "no partition" in data.skip_message


def test_hourly_weekly_and_monthly_partition_names():
    @hourly_schedule(pipeline_name="target", start_date=dt.datetime(2026, 1, 1),
                     execution_time=dt.time(0, 5))
    def hourly(date):
        return {}

    @weekly_schedule(pipeline_name="target", start_date=dt.datetime(2026, 1, 5))
    def weekly(date):
        return {}

    @monthly_schedule(pipeline_name="target", start_date=dt.datetime(2025, 11, 1))
    def monthly(date):
        return {}

    def partition_at(definition, tick):
        context = build_schedule_context(scheduled_execution_time=tick)
        return definition.evaluate_tick(context).run_requests[0].tags["headwater/partition"]

    assert partition_at(hourly, dt.datetime(2026, 2, 3, 10, 5, tzinfo=UTC)) == "2026-02-03-09:00"
    assert partition_at(weekly, dt.datetime(2026, 2, 1, 0, tzinfo=UTC)) == "2026-01-19"
    assert partition_at(monthly, dt.datetime(2026, 2, 1, 0, tzinfo=UTC)) == "2026-01"
    assert hourly.cron_schedule == "5 * * * *"


def test_date_partition_range_includes_only_complete_partitions():
    partition_fn = date_partition_range(dt.datetime(2026, 1, 1))
    names = [p.name for p in partition_fn(dt.datetime(2026, 1, 4, 12, tzinfo=UTC))]
    assert names == ["2026-01-01", "2026-01-02", "2026-01-03"]


def test_partition_set_run_config_and_tags():
    regions = PartitionSetDefinition(
        "regions", "target", partition_fn=static_partitions(["eu", "us"]),
        run_config_fn_for_partition=lambda p: {"region": p.value},
        tags_fn_for_partition=lambda p: {"owner": f"team-{p.name}"})
    partition = regions.get_partition("us")
    assert regions.get_partition_names() == ["eu", "us"]
    assert regions.run_config_for_partition(partition) == {"region": "us"}
    assert regions.tags_for_partition(partition) == {
        "owner": "team-us", "headwater/partition": "us", "headwater/partition_set": "regions"}


def test_partition_set_schedule_with_identity_selector_runs_the_latest_partition():
    days = PartitionSetDefinition("days", "target",
                                  partition_fn=date_partition_range(dt.datetime(2026, 1, 1)),
                                  run_config_fn_for_partition=lambda p: {"day": p.name})
    nightly = days.create_schedule_definition("nightly_days", "0 1 * * *",
                                              identity_partition_selector)
    tick = dt.datetime(2026, 1, 3, 1, tzinfo=UTC)
    (request,) = nightly.evaluate_tick(build_schedule_context(
        scheduled_execution_time=tick)).run_requests
    assert request.run_config == {"day": "2026-01-02"}


def test_sensor_yields_run_requests_and_moves_its_cursor():
    @sensor(pipeline_name="target", minimum_interval_seconds=5)
    def files(context):
        seen = int(context.cursor or 0)
        for index in range(seen, 3):
            yield RunRequest(run_key=f"file-{index}", run_config={"n": index})
        context.update_cursor("3")

    context = build_sensor_context(cursor="1")
    data = files.evaluate_tick(context)
    assert [r.run_key for r in data.run_requests] == ["file-1", "file-2"]
    assert data.cursor == "3"
    assert files.minimum_interval_seconds == 5


def test_sensor_returning_a_skip_reason_skips():
    @sensor(pipeline_name="target")
    def quiet():
        return SkipReason("nothing new")

    data = quiet.evaluate_tick(build_sensor_context())
    assert (data.run_requests, data.skip_message, data.cursor) == ([], "nothing new", None)


def test_sensor_cursor_must_be_a_string():
    @sensor(pipeline_name="target")
    def bad_cursor(context):
        context.update_cursor(7)

    with pytest.raises(HeadwaterInvalidDefinitionError, match="string"):
        bad_cursor.evaluate_tick(build_sensor_context())


def test_sensor_mixing_requests_and_skip_is_an_error():
    @sensor(pipeline_name="target")
    def confused():
        yield RunRequest(run_key="a")
        yield SkipReason("no")

    with pytest.raises(Exception, match="both RunRequests and a SkipReason"):
        confused.evaluate_tick(build_sensor_context())


def test_asset_sensor_sees_each_new_materialization_once():
    @solid
    def write_orders():
        yield AssetMaterialization("orders", description="new orders")
        yield Output(1)

    @pipeline
    def producer():
        write_orders()

    @asset_sensor("orders", pipeline_name="target")
    def on_orders(context, asset_event):
        return RunRequest(run_key=asset_event.run_id)

    with instance_for_test() as instance:
        first = execute_pipeline(producer, instance=instance)
        context = build_sensor_context(instance=instance)
        data = on_orders.evaluate_tick(context)
        assert [r.run_key for r in data.run_requests] == [first.run_id]
        again = on_orders.evaluate_tick(build_sensor_context(instance=instance,
                                                             cursor=data.cursor))
        assert again.run_requests == []


def test_run_failure_sensor_is_called_for_runs_failing_after_it_started():
    @solid
    def explode():
        raise ValueError("boom")

    @pipeline
    def fragile():
        explode()

    seen = []

    @run_failure_sensor(pipeline_name="fragile")
    def alert(context):
        seen.append((context.pipeline_run.run_id, context.failure_event.user_message))

    with instance_for_test() as instance:
        execute_pipeline(fragile, instance=instance, raise_on_error=False)
        first = alert.evaluate_tick(build_sensor_context(instance=instance))
        assert seen == []  # runs that failed before the sensor first looked are not reported
        failed = execute_pipeline(fragile, instance=instance, raise_on_error=False)
        alert.evaluate_tick(build_sensor_context(instance=instance, cursor=first.cursor))
    assert [run_id for run_id, _ in seen] == [failed.run_id]
    assert "failed" in seen[0][1]


def test_repository_lists_schedules_sensors_and_partition_sets():
    @daily_schedule(pipeline_name="target", start_date=dt.datetime(2026, 1, 1))
    def daily(date):
        return {}

    @sensor(pipeline_name="target")
    def watcher():
        return None

    @repository
    def repo():
        return [target, daily, watcher]

    assert [s.name for s in repo.schedule_defs] == ["daily"]
    assert [s.name for s in repo.sensor_defs] == ["watcher"]
    assert [p.name for p in repo.partition_set_defs] == ["daily_partitions"]
    assert repo.get_schedule_def("daily") is daily


def test_repository_rejects_a_schedule_of_an_unknown_pipeline():
    @schedule("0 0 * * *", pipeline_name="missing")
    def orphan():
        return {}

    with pytest.raises(HeadwaterInvalidDefinitionError, match='pipeline "missing"'):
        @repository
        def repo():
            return [target, orphan]
