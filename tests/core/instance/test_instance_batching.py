"""Event-log writes are batched: few transactions, yet nothing waits long or is lost."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from headwater.instance.storage.batch_writer import BatchWriter
from headwater.instance.storage.conformance import event_entry, log_entry
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.event_log import SqlEventLogStorage


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "headwater.db")


@pytest.fixture
def open_storages():
    opened = []

    def open_storage(path, max_delay=10.0):
        storage = SqlEventLogStorage(SqlDatabase.sqlite_file(path), max_delay)
        opened.append(storage)
        return storage

    yield open_storage
    for storage in opened:
        storage.dispose()
        storage.database.dispose()


def _count_commits(storage):
    """Count the transactions committed from now on: the COMMIT statements SQLite runs."""
    commits = []
    storage.database.trace_writes(lambda statement: commits.append(1)
                                  if statement == "COMMIT" else None)
    return commits


def test_the_events_of_many_steps_are_committed_in_one_transaction(db_path, open_storages):
    storage = open_storages(db_path)
    storage.store_event(event_entry("r1", "PIPELINE_START"))
    commits = _count_commits(storage)
    for step in ("a", "b", "c"):
        storage.store_event(event_entry("r1", "STEP_START", step))
        for index in range(20):
            storage.store_event(log_entry("r1", f"line {index}", step))
        storage.store_event(event_entry("r1", "STEP_SUCCESS", step))
    storage.flush()
    assert len(commits) == 1
    assert len(storage.get_logs_for_run("r1")) == 67


@pytest.mark.parametrize("event_type", ["PIPELINE_START", "PIPELINE_SUCCESS",
                                        "PIPELINE_FAILURE", "PIPELINE_CANCELED"])
def test_pipeline_events_are_committed_at_once(db_path, open_storages, event_type):
    writer, reader = open_storages(db_path), open_storages(db_path)
    writer.store_event(log_entry("r1", "before"))
    writer.store_event(event_entry("r1", event_type))
    assert [e.user_message for e in reader.get_logs_for_run("r1")] == [
        "before", f"{event_type} happened"]


@pytest.mark.parametrize("event_type", ["STEP_START", "STEP_SUCCESS", "STEP_FAILURE"])
def test_step_events_wait_for_the_group_commit(db_path, open_storages, event_type):
    writer, reader = open_storages(db_path), open_storages(db_path)
    writer.store_event(event_entry("r1", event_type, "a"))
    assert reader.get_logs_for_run("r1") == []


def test_log_lines_wait_in_memory_until_a_boundary(db_path, open_storages):
    writer, reader = open_storages(db_path), open_storages(db_path)
    writer.store_event(log_entry("r1", "buffered"))
    assert reader.get_logs_for_run("r1") == []


def test_waiting_entries_are_committed_within_the_max_delay(db_path, open_storages):
    writer, reader = open_storages(db_path, max_delay=0.1), open_storages(db_path)
    writer.store_event(log_entry("r1", "a quiet step's only line"))
    deadline = time.monotonic() + 2.0
    while not reader.get_logs_for_run("r1") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [e.user_message for e in reader.get_logs_for_run("r1")] == [
        "a quiet step's only line"]


def test_a_line_after_a_step_boundary_is_committed_within_the_max_delay(db_path,
                                                                        open_storages):
    writer, reader = open_storages(db_path, max_delay=0.1), open_storages(db_path)

    def committed(message):
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            if message in [e.user_message for e in reader.get_logs_for_run("r1")]:
                return True
            time.sleep(0.02)
        return False

    writer.store_event(log_entry("r1", "an earlier line"))
    assert committed("an earlier line")  # the flush thread is now idle
    writer.store_event(event_entry("r1", "STEP_START", "a"))
    writer.store_event(log_entry("r1", "a long step's first line"))
    assert committed("a long step's first line")


def test_a_crash_loses_no_entry_older_than_the_max_delay(db_path, open_storages):
    script = textwrap.dedent(f"""
        import os, time
        from headwater.instance.storage.conformance import log_entry
        from headwater.instance.storage.database import SqlDatabase
        from headwater.instance.storage.event_log import SqlEventLogStorage
        storage = SqlEventLogStorage(SqlDatabase.sqlite_file({db_path!r}), 0.1)
        for index in range(20):
            storage.store_event(log_entry("r1", f"line {{index}}"))
        time.sleep(0.5)
        os._exit(1)
    """)
    subprocess.run([sys.executable, "-c", script], check=False)
    assert len(open_storages(db_path).get_logs_for_run("r1")) == 20


def test_a_forked_child_does_not_write_its_parents_waiting_entries(db_path, open_storages):
    storage = open_storages(db_path)
    storage.store_event(log_entry("r1", "parent's"))
    pid = os.fork()
    if pid == 0:
        storage.store_event(log_entry("r1", "child's"))
        storage.flush()
        os._exit(0)
    os.waitpid(pid, 0)
    storage.flush()
    messages = sorted(e.user_message for e in storage.get_logs_for_run("r1"))
    assert messages == ["child's", "parent's"]


def test_a_batch_that_fails_to_write_stays_queued_in_order():
    written, failures = [], [RuntimeError("database is down")]

    def write(items):
        if failures:
            raise failures.pop()
        written.extend(items)

    writer = BatchWriter(write, max_delay=10.0)
    writer.add(1)
    with pytest.raises(RuntimeError):
        writer.add(2, flush=True)
    writer.add(3, flush=True)
    assert written == [1, 2, 3]
    writer.close()
