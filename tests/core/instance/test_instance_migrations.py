"""Schema revisions: a new database starts current, an old one is refused until upgraded."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from headwater.errors import HeadwaterInstanceError, HeadwaterInstanceSchemaOutdated
from headwater.execution.run import PipelineRunStatus
from headwater.instance import Instance
from headwater.instance.storage.conformance import event_entry, make_run
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.migrate import script_revisions, upgrade_to_head
from headwater.instance.storage.schema import HEAD_REVISION, REVISIONS, metadata
from headwater.serdes import serialize


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "history" / "headwater.db")


def _database_at(path, revision):
    database = SqlDatabase.sqlite_file(path)
    with database.connection() as connection, connection.begin():
        upgrade_to_head(connection, revision)
    return database


def _insert_revision_1_run(database, run_id, start, end):
    run = make_run(run_id)
    with database.connection() as connection, connection.begin():
        connection.execute(sa.text(
            "INSERT INTO runs (run_id, pipeline_name, mode, status, run_body, "
            "create_timestamp, update_timestamp) VALUES (:id, 'orders', 'default', 'SUCCESS', "
            ":body, :start, :end)"), {"id": run_id, "body": serialize(run), "start": start,
                                      "end": end})
        for event_type, timestamp in (("PIPELINE_START", start), ("PIPELINE_SUCCESS", end)):
            entry = event_entry(run_id, event_type, timestamp=timestamp)
            connection.execute(sa.text(
                "INSERT INTO event_logs (run_id, event, event_type, timestamp) "
                "VALUES (:id, :event, :type, :ts)"),
                {"id": run_id, "event": serialize(entry), "type": event_type, "ts": timestamp})


def test_revisions_in_code_are_the_migration_scripts_in_order():
    assert list(REVISIONS) == script_revisions()


def test_new_database_is_created_at_the_current_revision(db_path):
    database = SqlDatabase.sqlite_file(db_path)
    database.read(lambda connection: None)
    with database.connection() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION


def test_migrations_build_exactly_the_tables_of_the_current_schema(db_path):
    database = _database_at(db_path, "head")
    with database.connection() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_a_new_sqlite_database_has_exactly_the_tables_of_the_current_schema(db_path):
    database = SqlDatabase.sqlite_file(db_path)
    database.read(lambda connection: None)
    with database.connection() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == HEAD_REVISION
        assert compare_metadata(context, metadata) == []


def test_database_at_an_older_revision_is_refused_with_the_fix(db_path):
    _database_at(db_path, "0001")
    with Instance.from_config(os.path.dirname(os.path.dirname(db_path))) as instance, \
            pytest.raises(HeadwaterInstanceSchemaOutdated,
                          match=r"revision 0001(.|\n)*headwater instance migrate"):
        instance.get_runs()


def test_upgrade_migrates_an_old_database_and_keeps_its_runs(db_path):
    database = _database_at(db_path, "0001")
    _insert_revision_1_run(database, "old-run", 100.0, 160.0)
    database.dispose()
    with Instance.from_config(os.path.dirname(os.path.dirname(db_path))) as instance:
        instance.upgrade()
        (record,) = instance.get_run_records()
        assert (record.run.run_id, record.run.status) == ("old-run", PipelineRunStatus.SUCCESS)
        assert (record.start_time, record.end_time) == (100.0, 160.0)
        assert len(instance.all_logs("old-run")) == 2
        assert instance.run_storage.database.revision() == HEAD_REVISION


def test_database_of_a_newer_headwater_is_refused(db_path):
    database = _database_at(db_path, "head")
    with database.connection() as connection, connection.begin():
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    reopened = SqlDatabase.sqlite_file(db_path)
    with pytest.raises(HeadwaterInstanceError, match="newer version of Headwater"):
        reopened.read(lambda connection: None)


def test_database_with_foreign_tables_of_the_same_names_is_refused(db_path):
    database = SqlDatabase.sqlite_file(db_path)
    with database.connection() as connection, connection.begin():
        connection.execute(sa.text("CREATE TABLE runs (id INTEGER)"))
    with pytest.raises(HeadwaterInstanceError, match="did not create it"):
        database.read(lambda connection: None)
