"""The behaviour every run, event-log and schedule storage must have, as pytest tests.

Headwater runs these against SQLite, in-memory storage and PostgreSQL; the author of
another backend runs them against theirs by subclassing, with a fixture that gives fresh,
empty storages::

    from headwater.instance.storage.conformance import StorageContract

    class TestMyStorage(StorageContract):
        @pytest.fixture
        def storages(self):
            yield Storages(MyRunStorage(...), MyEventLogStorage(...), MySchedule...(...))

Requires pytest (imported here, so only tests import this module).
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from dataclasses import dataclass
from typing import Any

import pytest

from headwater.definitions.events import AssetKey, AssetMaterialization, ExpectationResult
from headwater.definitions.run_request import RunRequest
from headwater.errors import (
    HeadwaterInstanceError,
    HeadwaterRunAlreadyExistsError,
    HeadwaterRunNotFoundError,
    HeadwaterRunStatusConflictError,
)
from headwater.execution.events import (
    EventLogEntry,
    HeadwaterEvent,
    SerializableErrorInfo,
    StepExpectationResultData,
    StepMaterializationData,
)
from headwater.execution.run import PipelineRun, PipelineRunStatus
from headwater.instance.jobs import (
    JobState,
    JobStatus,
    JobTick,
    JobType,
    PlannedRun,
    TickStatus,
)
from headwater.instance.records import DaemonHeartbeat, DaemonLease, RunsFilter, StepEventStatus
from headwater.instance.ref import InstanceRef
from headwater.instance.storage.base import EventLogStorage, RunStorage, ScheduleStorage

S = PipelineRunStatus


@dataclass
class Storages:
    """Fresh, empty storages for one test."""

    runs: RunStorage
    events: EventLogStorage
    schedules: ScheduleStorage


def make_run(run_id: str, pipeline_name: str = "orders", tags: dict[str, str] | None = None,
             **fields: Any) -> PipelineRun:
    """A run record for tests."""
    return PipelineRun(run_id=run_id, pipeline_name=pipeline_name, tags=tags or {}, **fields)


def event_entry(run_id: str, event_type: str, step_key: str | None = None,
                data: Any = None, timestamp: float | None = None) -> EventLogEntry:
    """An entry holding an event of ``event_type``."""
    event = HeadwaterEvent(event_type, "orders", step_key, step_key, f"{event_type} happened",
                           data, 1)
    return EventLogEntry(run_id, time.time() if timestamp is None else timestamp,
                         logging.DEBUG, event.message or "", step_key, "orders", None, event)


def log_entry(run_id: str, message: str, step_key: str | None = None) -> EventLogEntry:
    """A plain log line."""
    return EventLogEntry(run_id, time.time(), logging.INFO, message, step_key, "orders")


def materialization_entry(run_id: str, key: str | list[str], partition: str | None = None,
                          step_key: str = "load") -> EventLogEntry:
    """An ASSET_MATERIALIZATION entry."""
    data = StepMaterializationData(AssetMaterialization(key, partition=partition))
    return event_entry(run_id, "ASSET_MATERIALIZATION", step_key, data)


class RunStorageContract:
    """Run storage: records, filters, pages, status changes, tags."""

    def test_added_run_is_read_back_equal(self, storages: Storages) -> None:
        run = make_run("r1", tags={"team": "data"}, run_config={"solids": {"a": {}}})
        storages.runs.add_run(run)
        assert storages.runs.get_run_by_id("r1") == run

    def test_unknown_run_is_none(self, storages: Storages) -> None:
        assert storages.runs.get_run_by_id("nope") is None

    def test_adding_a_run_id_twice_is_refused(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))
        with pytest.raises(HeadwaterRunAlreadyExistsError, match='"r1" already exists'):
            storages.runs.add_run(make_run("r1"))

    def test_runs_are_listed_newest_first(self, storages: Storages) -> None:
        for run_id in ("r1", "r2", "r3"):
            storages.runs.add_run(make_run(run_id))
        assert [run.run_id for run in storages.runs.get_runs()] == ["r3", "r2", "r1"]

    def test_cursor_and_limit_page_through_runs_without_overlap(self,
                                                                storages: Storages) -> None:
        for index in range(7):
            storages.runs.add_run(make_run(f"r{index}"))
        pages, cursor = [], None
        while True:
            page = storages.runs.get_runs(cursor=cursor, limit=3)
            if not page:
                break
            pages.append([run.run_id for run in page])
            cursor = page[-1].run_id
        assert pages == [["r6", "r5", "r4"], ["r3", "r2", "r1"], ["r0"]]

    def test_runs_filter_by_pipeline_name(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", pipeline_name="orders"))
        storages.runs.add_run(make_run("r2", pipeline_name="billing"))
        runs = storages.runs.get_runs(RunsFilter(pipeline_name="billing"))
        assert [run.run_id for run in runs] == ["r2"]

    def test_runs_filter_by_status(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))
        storages.runs.add_run(make_run("r2"))
        storages.runs.add_run(make_run("r3"))
        storages.runs.update_run_status("r2", S.FAILURE)
        storages.runs.update_run_status("r3", S.SUCCESS)
        runs = storages.runs.get_runs(RunsFilter(statuses=[S.FAILURE, S.SUCCESS]))
        assert [run.run_id for run in runs] == ["r3", "r2"]

    def test_runs_filter_by_every_given_tag(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", tags={"team": "data", "env": "prod"}))
        storages.runs.add_run(make_run("r2", tags={"team": "data", "env": "dev"}))
        storages.runs.add_run(make_run("r3", tags={"team": "web", "env": "prod"}))
        runs = storages.runs.get_runs(RunsFilter(tags={"team": "data", "env": "prod"}))
        assert [run.run_id for run in runs] == ["r1"]

    def test_a_tag_filter_may_accept_several_values(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", tags={"env": "prod"}))
        storages.runs.add_run(make_run("r2", tags={"env": "dev"}))
        storages.runs.add_run(make_run("r3", tags={"env": "test"}))
        runs = storages.runs.get_runs(RunsFilter(tags={"env": ["prod", "test"]}))
        assert [run.run_id for run in runs] == ["r3", "r1"]

    def test_runs_filter_by_run_ids(self, storages: Storages) -> None:
        for run_id in ("r1", "r2", "r3"):
            storages.runs.add_run(make_run(run_id))
        runs = storages.runs.get_runs(RunsFilter(run_ids=["r1", "r3", "unknown"]))
        assert [run.run_id for run in runs] == ["r3", "r1"]

    def test_runs_filter_by_creation_time(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))
        time.sleep(0.02)
        middle = time.time()
        time.sleep(0.02)
        storages.runs.add_run(make_run("r2"))
        assert [r.run_id for r in storages.runs.get_runs(RunsFilter(created_after=middle))] \
            == ["r2"]
        assert [r.run_id for r in storages.runs.get_runs(RunsFilter(created_before=middle))] \
            == ["r1"]

    def test_runs_count_follows_the_filter(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", pipeline_name="orders"))
        storages.runs.add_run(make_run("r2", pipeline_name="orders"))
        storages.runs.add_run(make_run("r3", pipeline_name="billing"))
        assert storages.runs.get_runs_count() == 3
        assert storages.runs.get_runs_count(RunsFilter(pipeline_name="orders")) == 2

    def test_pipeline_events_move_the_status_and_note_start_and_end(self,
                                                                    storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))
        start = event_entry("r1", "PIPELINE_START").headwater_event
        success = event_entry("r1", "PIPELINE_SUCCESS").headwater_event
        storages.runs.handle_run_event("r1", start, 100.0)
        assert storages.runs.get_run_by_id("r1").status is S.STARTED
        storages.runs.handle_run_event("r1", success, 160.0)
        (record,) = storages.runs.get_run_records()
        assert (record.run.status, record.start_time, record.end_time) == (S.SUCCESS, 100.0,
                                                                           160.0)

    def test_status_moves_are_compare_and_set(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))

        def move(event_type: str) -> None:
            event = event_entry("r1", event_type).headwater_event
            storages.runs.handle_run_event("r1", event, 100.0)

        move("PIPELINE_STARTING")
        with pytest.raises(HeadwaterRunStatusConflictError, match="is STARTING"):
            move("PIPELINE_STARTING")
        move("PIPELINE_START")
        move("PIPELINE_FAILURE")
        for late in ("PIPELINE_SUCCESS", "PIPELINE_CANCELED", "PIPELINE_STARTING"):
            with pytest.raises(HeadwaterRunStatusConflictError) as refused:
                move(late)
            assert refused.value.current == "FAILURE"
        assert storages.runs.get_run_status("r1") is S.FAILURE
        move("PIPELINE_START")  # resumed in place (an Airflow retry)
        assert storages.runs.get_run_status("r1") is S.STARTED

    def test_status_of_an_unknown_run_is_none_and_moving_it_is_an_error(
            self, storages: Storages) -> None:
        assert storages.runs.get_run_status("ghost") is None
        with pytest.raises(HeadwaterRunNotFoundError, match='"ghost"'):
            storages.runs.handle_run_event(
                "ghost", event_entry("ghost", "PIPELINE_START").headwater_event)

    def test_other_events_leave_the_status_alone(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))
        storages.runs.handle_run_event("r1", event_entry("r1", "STEP_START", "a").headwater_event)
        assert storages.runs.get_run_by_id("r1").status is S.NOT_STARTED

    def test_status_change_of_an_unknown_run_is_an_error(self, storages: Storages) -> None:
        with pytest.raises(HeadwaterRunNotFoundError, match='"ghost"'):
            storages.runs.update_run_status("ghost", S.FAILURE)

    def test_a_run_heartbeat_is_kept_on_its_record(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1"))
        assert storages.runs.get_run_records()[0].heartbeat_timestamp is None
        storages.runs.record_run_heartbeat("r1", 100.0)
        storages.runs.record_run_heartbeat("r1", 105.0)
        (record,) = storages.runs.get_run_records()
        assert (record.heartbeat_timestamp, record.run.status) == (105.0, S.NOT_STARTED)

    def test_one_daemon_holds_the_lease_until_it_lapses_or_is_released(
            self, storages: Storages) -> None:
        def lease(daemon_id: str, at: float) -> DaemonLease:
            return DaemonLease(daemon_id, "host", 1, at, at)

        assert storages.runs.get_daemon_lease() is None
        assert storages.runs.acquire_daemon_lease(lease("a", 100.0), 10.0).daemon_id == "a"
        assert storages.runs.acquire_daemon_lease(lease("b", 105.0), 10.0).daemon_id == "a"
        renewed = storages.runs.acquire_daemon_lease(lease("a", 108.0), 10.0)
        assert (renewed.daemon_id, renewed.acquired, renewed.renewed) == ("a", 100.0, 108.0)
        assert storages.runs.acquire_daemon_lease(lease("b", 117.0), 10.0).daemon_id == "a"
        taken = storages.runs.acquire_daemon_lease(lease("b", 118.5), 10.0)
        assert (taken.daemon_id, taken.acquired) == ("b", 118.5)
        storages.runs.release_daemon_lease("a")  # not a's to release any more
        assert storages.runs.get_daemon_lease().daemon_id == "b"
        storages.runs.release_daemon_lease("b")
        assert storages.runs.acquire_daemon_lease(lease("a", 119.0), 10.0).daemon_id == "a"
        assert "headwater/daemon-lease" not in storages.runs.get_daemon_heartbeats()

    def test_a_daemon_heartbeat_replaces_the_last_one_of_its_duty(self,
                                                                  storages: Storages) -> None:
        error = SerializableErrorInfo("RuntimeError: down", [], "RuntimeError")
        storages.runs.add_daemon_heartbeat(DaemonHeartbeat("run_queue", "d1", 100.0))
        storages.runs.add_daemon_heartbeat(DaemonHeartbeat("run_monitor", "d1", 101.0))
        storages.runs.add_daemon_heartbeat(DaemonHeartbeat("run_queue", "d2", 102.0, error))
        assert storages.runs.get_daemon_heartbeats() == {
            "run_monitor": DaemonHeartbeat("run_monitor", "d1", 101.0),
            "run_queue": DaemonHeartbeat("run_queue", "d2", 102.0, error),
        }
        storages.runs.wipe_daemon_heartbeats()
        assert storages.runs.get_daemon_heartbeats() == {}

    def test_added_tags_join_the_run_and_replace_same_keys(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", tags={"env": "dev", "team": "data"}))
        storages.runs.add_run_tags("r1", {"env": "prod", "owner": "ana"})
        run = storages.runs.get_run_by_id("r1")
        assert run.tags == {"env": "prod", "team": "data", "owner": "ana"}
        assert [r.run_id for r in storages.runs.get_runs(RunsFilter(tags={"env": "prod"}))] \
            == ["r1"]
        assert storages.runs.get_runs(RunsFilter(tags={"env": "dev"})) == []

    def test_run_tags_lists_each_key_with_its_values(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", tags={"env": "dev"}))
        storages.runs.add_run(make_run("r2", tags={"env": "prod", "team": "data"}))
        assert storages.runs.get_run_tags() == {"env": {"dev", "prod"}, "team": {"data"}}

    def test_deleted_run_is_gone_with_its_tags(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", tags={"env": "dev"}))
        storages.runs.add_run(make_run("r2"))
        storages.runs.delete_run("r1")
        assert storages.runs.get_run_by_id("r1") is None
        assert storages.runs.get_run_tags() == {}
        assert storages.runs.get_runs_count() == 1

    def test_wipe_deletes_every_run(self, storages: Storages) -> None:
        storages.runs.add_run(make_run("r1", tags={"env": "dev"}))
        storages.runs.wipe()
        assert storages.runs.get_runs() == []
        assert storages.runs.get_run_tags() == {}


class EventLogStorageContract:
    """Event-log storage: entries in order, cursors, types, stats, assets."""

    def test_stored_entries_are_read_back_in_order(self, storages: Storages) -> None:
        entries = [event_entry("r1", "PIPELINE_START"), log_entry("r1", "hello"),
                   event_entry("r1", "STEP_START", "a"), log_entry("r1", "working", "a"),
                   event_entry("r1", "STEP_SUCCESS", "a")]
        for entry in entries:
            storages.events.store_event(entry)
        assert storages.events.get_logs_for_run("r1") == entries

    def test_entries_of_other_runs_are_not_returned(self, storages: Storages) -> None:
        storages.events.store_event(log_entry("r1", "mine"))
        storages.events.store_event(log_entry("r2", "theirs"))
        assert [e.user_message for e in storages.events.get_logs_for_run("r1")] == ["mine"]

    def test_cursor_returns_only_entries_stored_after_it(self, storages: Storages) -> None:
        for index in range(3):
            storages.events.store_event(log_entry("r1", f"line {index}"))
        first, *_ = storages.events.get_event_records("r1")
        storages.events.store_event(log_entry("r1", "line 3"))
        later = storages.events.get_logs_for_run("r1", cursor=first.storage_id)
        assert [e.user_message for e in later] == ["line 1", "line 2", "line 3"]

    def test_storage_ids_increase_in_storing_order(self, storages: Storages) -> None:
        for index in range(5):
            storages.events.store_event(log_entry("r1", f"line {index}"))
        ids = [record.storage_id for record in storages.events.get_event_records("r1")]
        assert ids == sorted(ids) and len(set(ids)) == 5

    def test_entries_can_be_read_by_event_type(self, storages: Storages) -> None:
        storages.events.store_event(event_entry("r1", "STEP_START", "a"))
        storages.events.store_event(log_entry("r1", "a line", "a"))
        storages.events.store_event(event_entry("r1", "STEP_SUCCESS", "a"))
        storages.events.store_event(event_entry("r1", "STEP_START", "b"))
        starts = storages.events.get_logs_for_run("r1", of_type="STEP_START")
        assert [e.step_key for e in starts] == ["a", "b"]
        both = storages.events.get_logs_for_run("r1", of_type=["STEP_START", "STEP_SUCCESS"])
        assert len(both) == 3

    def test_limit_caps_the_entries_returned(self, storages: Storages) -> None:
        for index in range(5):
            storages.events.store_event(log_entry("r1", f"line {index}"))
        limited = storages.events.get_logs_for_run("r1", limit=2)
        assert [e.user_message for e in limited] == ["line 0", "line 1"]

    def test_records_of_every_run_can_be_read_by_type(self, storages: Storages) -> None:
        storages.events.store_event(event_entry("r1", "PIPELINE_SUCCESS"))
        storages.events.store_event(event_entry("r2", "PIPELINE_FAILURE"))
        storages.events.store_event(event_entry("r3", "PIPELINE_SUCCESS"))
        records = storages.events.get_event_records(of_type="PIPELINE_SUCCESS")
        assert [r.entry.run_id for r in records] == ["r1", "r3"]

    def test_run_stats_count_steps_and_note_times(self, storages: Storages) -> None:
        for entry in (event_entry("r1", "PIPELINE_START", timestamp=10.0),
                      event_entry("r1", "STEP_SUCCESS", "a", timestamp=11.0),
                      event_entry("r1", "STEP_SUCCESS", "b", timestamp=12.0),
                      event_entry("r1", "STEP_FAILURE", "c", timestamp=13.0),
                      materialization_entry("r1", "orders"),
                      event_entry("r1", "PIPELINE_FAILURE", timestamp=14.0)):
            storages.events.store_event(entry)
        stats = storages.events.get_stats_for_run("r1")
        assert (stats.steps_succeeded, stats.steps_failed, stats.materializations) == (2, 1, 1)
        assert (stats.start_time, stats.end_time) == (10.0, 14.0)

    def test_step_stats_give_each_steps_status_times_and_attempts(self,
                                                                  storages: Storages) -> None:
        for entry in (event_entry("r1", "STEP_START", "a", timestamp=1.0),
                      event_entry("r1", "STEP_SUCCESS", "a", timestamp=2.0),
                      event_entry("r1", "STEP_START", "b", timestamp=3.0),
                      event_entry("r1", "STEP_UP_FOR_RETRY", "b", timestamp=4.0),
                      event_entry("r1", "STEP_RESTARTED", "b", timestamp=5.0),
                      event_entry("r1", "STEP_FAILURE", "b", timestamp=6.0),
                      event_entry("r1", "STEP_SKIPPED", "c", timestamp=7.0),
                      event_entry("r1", "STEP_START", "d", timestamp=8.0)):
            storages.events.store_event(entry)
        stats = {s.step_key: s for s in storages.events.get_step_stats_for_run("r1")}
        assert list(stats) == ["a", "b", "c", "d"]
        assert (stats["a"].status, stats["a"].start_time, stats["a"].end_time,
                stats["a"].attempts) == (StepEventStatus.SUCCESS, 1.0, 2.0, 1)
        assert (stats["b"].status, stats["b"].attempts, stats["b"].end_time) == (
            StepEventStatus.FAILURE, 2, 6.0)
        assert (stats["c"].status, stats["c"].attempts) == (StepEventStatus.SKIPPED, 0)
        assert (stats["d"].status, stats["d"].end_time) == (StepEventStatus.IN_PROGRESS, None)

    def test_step_stats_keep_materializations_and_expectations(self,
                                                               storages: Storages) -> None:
        expectation = ExpectationResult(True, label="rows > 0")
        storages.events.store_event(event_entry("r1", "STEP_START", "load"))
        storages.events.store_event(materialization_entry("r1", ["db", "orders"]))
        storages.events.store_event(event_entry("r1", "STEP_EXPECTATION_RESULT", "load",
                                                StepExpectationResultData(expectation)))
        (stats,) = storages.events.get_step_stats_for_run("r1", step_keys=["load"])
        assert [m.asset_key for m in stats.materializations] == [AssetKey(["db", "orders"])]
        assert stats.expectation_results == [expectation]

    def test_materialized_asset_keys_are_listed_once_each(self, storages: Storages) -> None:
        storages.events.store_event(materialization_entry("r1", ["db", "orders"]))
        storages.events.store_event(materialization_entry("r2", ["db", "orders"]))
        storages.events.store_event(materialization_entry("r2", "customers"))
        assert storages.events.all_asset_keys() == [AssetKey("customers"),
                                                    AssetKey(["db", "orders"])]

    def test_latest_materialization_is_the_last_stored(self, storages: Storages) -> None:
        storages.events.store_event(materialization_entry("r1", "orders"))
        storages.events.store_event(materialization_entry("r2", "orders"))
        latest = storages.events.get_latest_materialization(AssetKey("orders"))
        assert latest.run_id == "r2"
        assert storages.events.get_latest_materialization(AssetKey("nothing")) is None

    def test_events_for_an_asset_are_newest_first_and_filter_by_partition(
            self, storages: Storages) -> None:
        for run_id, partition in (("r1", "2024-01-01"), ("r2", "2024-01-02"),
                                  ("r3", "2024-01-01")):
            storages.events.store_event(materialization_entry(run_id, "orders", partition))
        storages.events.store_event(materialization_entry("r4", "customers"))
        records = storages.events.events_for_asset_key(AssetKey("orders"))
        assert [r.entry.run_id for r in records] == ["r3", "r2", "r1"]
        in_partition = storages.events.events_for_asset_key(AssetKey("orders"),
                                                            partitions=["2024-01-01"])
        assert [r.entry.run_id for r in in_partition] == ["r3", "r1"]

    def test_events_for_an_asset_page_with_a_cursor(self, storages: Storages) -> None:
        for run_id in ("r1", "r2", "r3"):
            storages.events.store_event(materialization_entry(run_id, "orders"))
        first = storages.events.events_for_asset_key(AssetKey("orders"), limit=1)
        rest = storages.events.events_for_asset_key(AssetKey("orders"),
                                                    cursor=first[0].storage_id)
        assert [r.entry.run_id for r in first + rest] == ["r3", "r2", "r1"]
        ascending = storages.events.events_for_asset_key(AssetKey("orders"), ascending=True)
        assert [r.entry.run_id for r in ascending] == ["r1", "r2", "r3"]

    def test_deleted_events_of_a_run_are_gone_and_others_stay(self,
                                                              storages: Storages) -> None:
        storages.events.store_event(log_entry("r1", "mine"))
        storages.events.store_event(log_entry("r2", "theirs"))
        storages.events.delete_events("r1")
        assert storages.events.get_logs_for_run("r1") == []
        assert len(storages.events.get_logs_for_run("r2")) == 1

    def test_wiped_asset_is_forgotten_and_other_assets_and_run_logs_stay(
            self, storages: Storages) -> None:
        storages.events.store_event(materialization_entry("r1", ["db", "orders"], "2024-01-01"))
        storages.events.store_event(materialization_entry("r1", "customers"))
        storages.events.wipe_asset(AssetKey(["db", "orders"]))
        assert storages.events.all_asset_keys() == [AssetKey("customers")]
        assert storages.events.get_latest_materialization(AssetKey(["db", "orders"])) is None
        assert storages.events.events_for_asset_key(AssetKey(["db", "orders"])) == []
        assert len(storages.events.events_for_asset_key(AssetKey("customers"))) == 1
        assert len(storages.events.get_logs_for_run("r1")) == 2

    def test_a_wiped_asset_materialized_again_starts_afresh(self, storages: Storages) -> None:
        storages.events.store_event(materialization_entry("r1", "orders"))
        storages.events.wipe_asset(AssetKey("orders"))
        storages.events.store_event(materialization_entry("r2", "orders"))
        records = storages.events.events_for_asset_key(AssetKey("orders"))
        assert [r.entry.run_id for r in records] == ["r2"]
        assert storages.events.get_latest_materialization(AssetKey("orders")).run_id == "r2"

    def test_wipe_deletes_every_entry_and_asset_key(self, storages: Storages) -> None:
        storages.events.store_event(materialization_entry("r1", "orders"))
        storages.events.wipe()
        assert storages.events.get_logs_for_run("r1") == []
        assert storages.events.all_asset_keys() == []


class ScheduleStorageContract:
    """Schedule storage: job states, their ticks, and backfills."""

    def test_job_state_is_read_back(self, storages: Storages) -> None:
        storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", {"cron": "0 0 * * *"})
        assert storages.schedules.get_job_state("daily") == {"cron": "0 0 * * *"}
        assert storages.schedules.get_job_state("unknown") is None

    def test_adding_a_job_twice_is_refused(self, storages: Storages) -> None:
        storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", {})
        with pytest.raises(HeadwaterInstanceError, match='"daily" is already stored'):
            storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", {})

    def test_job_state_update_replaces_the_body(self, storages: Storages) -> None:
        storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", {"n": 1})
        storages.schedules.update_job_state("daily", "STOPPED", {"n": 2})
        assert storages.schedules.get_job_state("daily") == {"n": 2}

    def test_job_states_can_be_listed_by_type(self, storages: Storages) -> None:
        storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", "d")
        storages.schedules.add_job_state("on_file", "SENSOR", "RUNNING", "s")
        assert storages.schedules.all_job_states() == ["d", "s"]
        assert storages.schedules.all_job_states("SENSOR") == ["s"]

    def test_ticks_are_listed_newest_first_and_can_be_updated(self,
                                                               storages: Storages) -> None:
        first = storages.schedules.create_job_tick("daily", "STARTED", 1.0, "t1")
        second = storages.schedules.create_job_tick("daily", "STARTED", 2.0, "t2")
        storages.schedules.update_job_tick(first, "SUCCESS", "t1 done")
        assert storages.schedules.get_job_ticks("daily") == [(second, "t2"),
                                                             (first, "t1 done")]
        assert storages.schedules.get_job_ticks("daily", limit=1) == [(second, "t2")]

    def test_deleting_a_job_deletes_its_ticks(self, storages: Storages) -> None:
        storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", {})
        storages.schedules.create_job_tick("daily", "STARTED", 1.0, "t1")
        storages.schedules.delete_job_state("daily")
        assert storages.schedules.get_job_state("daily") is None
        assert storages.schedules.get_job_ticks("daily") == []

    def test_daemon_records_are_read_back_equal(self, storages: Storages) -> None:
        state = JobState("daily", "repo", JobType.SCHEDULE, JobStatus.RUNNING, 10.0, "c", "k")
        try:
            raise ValueError("bad tick")
        except ValueError as error:
            failure = SerializableErrorInfo.from_exception(error)
        tick = JobTick(state.origin_id, "daily", JobType.SCHEDULE, TickStatus.FAILURE, 20.0,
                       ["r1"], ["k"], error=failure,
                       planned_runs=[PlannedRun("r1", RunRequest("k", {"a": 1}, {"t": "v"}))])
        storages.schedules.add_job_state(state.origin_id, "SCHEDULE", "RUNNING", state)
        tick_id = storages.schedules.create_job_tick(state.origin_id, "FAILURE", 20.0, tick)
        assert storages.schedules.get_job_state(state.origin_id) == state
        assert storages.schedules.get_job_ticks(state.origin_id) == [(tick_id, tick)]

    def test_backfill_is_read_back_and_updated(self, storages: Storages) -> None:
        storages.schedules.add_backfill("b1", "REQUESTED", 1.0, {"done": 0})
        storages.schedules.update_backfill("b1", "COMPLETED", {"done": 3})
        assert storages.schedules.get_backfill("b1") == {"done": 3}
        assert storages.schedules.get_backfill("unknown") is None

    def test_adding_a_backfill_id_twice_is_refused(self, storages: Storages) -> None:
        storages.schedules.add_backfill("b1", "REQUESTED", 1.0, {})
        with pytest.raises(HeadwaterInstanceError, match='"b1" is already stored'):
            storages.schedules.add_backfill("b1", "REQUESTED", 2.0, {})

    def test_updating_an_unknown_backfill_is_an_error(self, storages: Storages) -> None:
        with pytest.raises(HeadwaterInstanceError, match='No backfill with id "b1"'):
            storages.schedules.update_backfill("b1", "COMPLETED", {})

    def test_backfills_are_listed_oldest_first_and_by_status(self, storages: Storages) -> None:
        storages.schedules.add_backfill("b1", "REQUESTED", 1.0, "one")
        storages.schedules.add_backfill("b2", "REQUESTED", 2.0, "two")
        storages.schedules.update_backfill("b1", "COMPLETED", "one done")
        assert storages.schedules.get_backfills() == ["one done", "two"]
        assert storages.schedules.get_backfills("REQUESTED") == ["two"]

    def test_schedule_wipe_deletes_jobs_ticks_and_backfills(self, storages: Storages) -> None:
        storages.schedules.add_job_state("daily", "SCHEDULE", "RUNNING", {})
        storages.schedules.create_job_tick("daily", "STARTED", 1.0, "t1")
        storages.schedules.add_backfill("b1", "REQUESTED", 1.0, {})
        storages.schedules.wipe()
        assert storages.schedules.all_job_states() == []
        assert storages.schedules.get_job_ticks("daily") == []
        assert storages.schedules.get_backfills() == []


class StorageContract(RunStorageContract, EventLogStorageContract, ScheduleStorageContract):
    """Every storage behaviour; subclass it with a ``storages`` fixture."""


# What each writer process of ``check_concurrent_writers`` writes.
_RUNS_PER_PROCESS = 3
_STEPS_PER_RUN = 10
_LINES_PER_STEP = 8
_EVENTS_PER_RUN = 2 + _STEPS_PER_RUN * (2 + _LINES_PER_STEP)


def _write_runs(ref: InstanceRef, worker: int, start: Any) -> None:
    # What a process running pipelines writes: runs, step events, log lines.
    start.wait()
    with ref.open() as instance:
        for number in range(_RUNS_PER_PROCESS):
            run = instance.create_run(make_run(f"w{worker}-r{number}",
                                               tags={"worker": str(worker)}))
            instance.handle_new_event(event_entry(run.run_id, "PIPELINE_START"))
            for step in range(_STEPS_PER_RUN):
                key = f"step_{step}"
                instance.handle_new_event(event_entry(run.run_id, "STEP_START", key))
                for line in range(_LINES_PER_STEP):
                    instance.handle_new_event(log_entry(run.run_id, f"line {line}", key))
                instance.handle_new_event(event_entry(run.run_id, "STEP_SUCCESS", key))
            instance.handle_new_event(event_entry(run.run_id, "PIPELINE_SUCCESS"))


def check_concurrent_writers(instance: Any, processes: int = 8) -> None:
    """Start ``processes`` processes that write runs and events to ``instance`` at the same
    moment (about 300 entries each), and check that every run and entry arrived."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    writers = [context.Process(target=_write_runs, args=(instance.get_ref(), worker, start))
               for worker in range(processes)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(300)
    assert [writer.exitcode for writer in writers] == [0] * processes

    runs = instance.get_runs()
    assert len(runs) == processes * _RUNS_PER_PROCESS
    assert {run.status for run in runs} == {PipelineRunStatus.SUCCESS}
    assert instance.get_runs_count(RunsFilter(tags={"worker": "0"})) == _RUNS_PER_PROCESS
    for run in runs:
        entries = instance.all_logs(run.run_id)
        assert len(entries) == _EVENTS_PER_RUN
        assert (entries[0].event_type.value, entries[-1].event_type.value) == (
            "PIPELINE_START", "PIPELINE_SUCCESS")
    assert len(instance.get_event_records()) == len(runs) * _EVENTS_PER_RUN
