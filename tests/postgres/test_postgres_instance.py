"""An instance on PostgreSQL: chosen in headwater.yaml, shared by processes, migrated."""

import pytest
from sqlalchemy.engine import make_url

from headwater import execute_pipeline, pipeline, solid
from headwater.errors import HeadwaterInstanceConfigError, HeadwaterInstanceSchemaOutdated
from headwater.execution.run import PipelineRunStatus
from headwater.instance import instance_for_test
from headwater.instance.storage.conformance import check_concurrent_writers, make_run
from headwater.instance.storage.database import SqlDatabase
from headwater.instance.storage.migrate import upgrade_to_head
from headwater_postgres import postgres_url as url_of


@solid
def greet(context):
    context.log.info("hello from postgres")


@pipeline
def greeting():
    greet()


def _settings(storage):
    return {kind: storage for kind in ("run_storage", "event_log_storage", "schedule_storage")}


def test_a_run_is_recorded_in_postgres_chosen_by_name(postgres_url):
    with instance_for_test(_settings({"name": "postgres",
                                      "config": {"postgres_url": postgres_url}})) as instance:
        result = execute_pipeline(greeting, instance=instance)
        assert instance.get_run_by_id(result.run_id).status is PipelineRunStatus.SUCCESS
        assert "hello from postgres" in [e.user_message for e in instance.all_logs(result.run_id)]


def test_postgres_storage_can_be_chosen_by_module_and_class(postgres_url):
    url = make_url(postgres_url)
    config = {"postgres_db": {"username": url.username, "password": "unused",
                              "hostname": url.host, "port": url.port,
                              "db_name": url.database}}
    settings = _settings({"module": "headwater_postgres", "class": "PostgresRunStorage",
                          "config": config})
    settings["event_log_storage"] = settings["schedule_storage"] = {
        "name": "postgres", "config": config}
    with instance_for_test(settings) as instance:
        instance.create_run(make_run("r1"))
        assert instance.has_run("r1")


@pytest.mark.parametrize("config", [{}, {"postgres_url": "postgresql://a@b/c",
                                         "postgres_db": {"username": "a", "password": "p",
                                                         "hostname": "b", "db_name": "c"}}])
def test_config_needs_exactly_one_of_url_or_parts(config):
    with pytest.raises(HeadwaterInstanceConfigError,
                       match=r"(?s)run_storage postgres.*exactly one.*postgres_url, postgres_db"), \
            instance_for_test({"run_storage": {"name": "postgres", "config": config}}):
        pass


def test_a_plain_postgresql_url_uses_the_psycopg_driver():
    url = url_of({"postgres_url": "postgresql://hw:secret@db.internal:6543/runs"})
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg", "db.internal", 6543, "runs")


def test_url_parts_and_params_build_the_url():
    url = url_of({"postgres_db": {"username": "hw", "password": "p@ss", "hostname": "db",
                                  "port": 5432, "db_name": "runs",
                                  "params": {"sslmode": "require"}}})
    assert url.render_as_string(hide_password=False) == \
        "postgresql+psycopg://hw:p%40ss@db:5432/runs?sslmode=require"


def test_eight_processes_writing_to_postgres_lose_no_event(postgres_url):
    with instance_for_test(_settings({"name": "postgres",
                                      "config": {"postgres_url": postgres_url}})) as instance:
        check_concurrent_writers(instance, processes=8)


def test_an_old_postgres_schema_is_refused_until_upgraded(postgres_url):
    database = SqlDatabase.from_url(url_of({"postgres_url": postgres_url}))
    with database.connection() as connection, connection.begin():
        upgrade_to_head(connection, "0001")
    database.dispose()
    with instance_for_test(_settings({"name": "postgres",
                                      "config": {"postgres_url": postgres_url}})) as instance:
        with pytest.raises(HeadwaterInstanceSchemaOutdated, match="headwater instance migrate"):
            instance.get_runs()
        instance.upgrade()
        instance.create_run(make_run("after-upgrade"))
        assert instance.has_run("after-upgrade")
