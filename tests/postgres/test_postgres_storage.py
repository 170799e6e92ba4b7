"""The storage contract, run against PostgreSQL."""

import pytest

from headwater.instance.components import ComponentContext
from headwater.instance.storage.conformance import StorageContract, Storages
from headwater_postgres import (
    PostgresEventLogStorage,
    PostgresRunStorage,
    PostgresScheduleStorage,
)


class TestPostgresStorage(StorageContract):
    @pytest.fixture
    def storages(self, postgres_url, tmp_path):
        context = ComponentContext(str(tmp_path), "the test")
        config = {"postgres_url": postgres_url}
        storages = Storages(PostgresRunStorage.from_config(config, context),
                            PostgresEventLogStorage.from_config(config, context),
                            PostgresScheduleStorage.from_config(config, context))
        yield storages
        storages.events.dispose()
        context.dispose()


def test_storages_of_one_database_share_it(postgres_url, tmp_path):
    context = ComponentContext(str(tmp_path), "the test")
    runs = PostgresRunStorage.from_config({"postgres_url": postgres_url}, context)
    events = PostgresEventLogStorage.from_config({"postgres_url": postgres_url}, context)
    assert runs.database is events.database
    context.dispose()
