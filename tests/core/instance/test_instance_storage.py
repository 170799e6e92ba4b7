"""The storage contract, run against SQLite and in-memory storage."""

import pytest

from headwater.instance.storage.conformance import StorageContract, Storages
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.event_log import SqlEventLogStorage
from headwater.instance.storage.runs import SqlRunStorage
from headwater.instance.storage.schedules import SqlScheduleStorage


def _storages(database: SqlDatabase) -> Storages:
    return Storages(SqlRunStorage(database), SqlEventLogStorage(database),
                    SqlScheduleStorage(database))


class TestSqliteStorage(StorageContract):
    @pytest.fixture
    def storages(self, tmp_path):
        database = SqlDatabase.sqlite_file(str(tmp_path / "headwater.db"))
        storages = _storages(database)
        yield storages
        storages.events.dispose()
        database.dispose()


class TestInMemoryStorage(StorageContract):
    @pytest.fixture
    def storages(self):
        database = SqlDatabase.sqlite_memory()
        storages = _storages(database)
        yield storages
        storages.events.dispose()
        database.dispose()
