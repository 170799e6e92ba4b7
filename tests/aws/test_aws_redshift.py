"""redshift_resource: SQL over the PostgreSQL protocol, against a real PostgreSQL server."""

from __future__ import annotations

import psycopg
import pytest
from aws_stand_ins import free_port
from psycopg.rows import dict_row

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_aws import RedshiftError, RedshiftResource

DEFAULTS = {"port": 5439, "autocommit": False, "connect_timeout": 5, "sslmode": "require"}


@pytest.fixture
def redshift(redshift_config):
    return RedshiftResource({**DEFAULTS, **redshift_config})


def test_a_query_returns_its_rows_when_asked(redshift):
    assert redshift.execute_query("SELECT 1 + 1, 'two'", fetch_results=True) == [(2, "two")]


def test_a_query_returns_nothing_unless_asked(redshift):
    assert redshift.execute_query("SELECT 1") is None


def test_queries_run_in_order_on_one_connection_and_are_committed(redshift):
    results = redshift.execute_queries([
        "CREATE TABLE orders (id int, total numeric)",
        "INSERT INTO orders VALUES (1, 9.5), (2, 20)",
        "SELECT count(*), sum(total) FROM orders",
    ], fetch_results=True)
    assert results[:2] == [[], []]
    assert results[2] == [(2, 29.5)]
    assert redshift.execute_query("SELECT count(*) FROM orders", fetch_results=True) == [(2,)]


def test_a_failing_query_rolls_back_the_queries_before_it(redshift):
    redshift.execute_query("CREATE TABLE orders (id int)")
    with pytest.raises(RedshiftError):
        redshift.execute_queries(["INSERT INTO orders VALUES (1)", "SELECT * FROM nowhere"])
    assert redshift.execute_query("SELECT count(*) FROM orders", fetch_results=True) == [(0,)]


def test_a_failing_query_is_reported_without_its_text(redshift):
    secret_query = ("COPY orders FROM 's3://b/k' CREDENTIALS 'aws_secret_access_key=s3cr3t' "
                    "SELEC")
    with pytest.raises(RedshiftError) as raised:
        redshift.execute_query(secret_query)
    message = str(raised.value)
    assert message.startswith("Query 1 of 1 failed on RedshiftResource(postgres@127.0.0.1:")
    assert "(SQLSTATE 42" in message
    assert "s3cr3t" not in message


def test_an_error_callback_receives_the_error_instead_of_a_raise(redshift):
    seen = []
    result = redshift.execute_query(
        "SELECT * FROM nowhere", fetch_results=True,
        error_callback=lambda error, cursor, log: seen.append(type(error).__name__))
    assert result is None
    assert seen == ["UndefinedTable"]


def test_rows_come_back_as_the_row_factory_makes_them(redshift):
    rows = redshift.execute_query("SELECT 1 AS id, 'a' AS name", fetch_results=True,
                                  row_factory=dict_row)
    assert rows == [{"id": 1, "name": "a"}]


def test_the_cursor_factory_makes_the_cursor(redshift):
    seen = []

    class RecordingCursor(psycopg.ClientCursor):
        def execute(self, query, *args, **kwargs):
            seen.append(query)
            return super().execute(query, *args, **kwargs)

    redshift.execute_query("SELECT 1", cursor_factory=RecordingCursor)
    assert seen == ["SELECT 1"]


def test_unqualified_names_resolve_in_the_configured_schema(redshift_config):
    admin = RedshiftResource({**DEFAULTS, **redshift_config})
    admin.execute_queries(["CREATE SCHEMA sales", "CREATE TABLE sales.orders (id int)",
                           "INSERT INTO sales.orders VALUES (7)"])
    in_sales = RedshiftResource({**DEFAULTS, **redshift_config, "schema": "sales"})
    assert in_sales.execute_query("SELECT id FROM orders", fetch_results=True) == [(7,)]


def test_autocommit_keeps_what_succeeded_before_a_failure(redshift_config):
    redshift = RedshiftResource({**DEFAULTS, **redshift_config, "autocommit": True})
    redshift.execute_query("CREATE TABLE orders (id int)")
    with pytest.raises(RedshiftError):
        redshift.execute_queries(["INSERT INTO orders VALUES (1)", "SELECT * FROM nowhere"])
    assert redshift.execute_query("SELECT count(*) FROM orders", fetch_results=True) == [(1,)]


def test_an_unreachable_cluster_is_named_without_the_password(redshift_config):
    port = free_port()
    redshift = RedshiftResource({**DEFAULTS, **redshift_config, "port": port,
                                 "password": "hunter2-not-shown"})
    with pytest.raises(RedshiftError) as raised:
        redshift.execute_query("SELECT 1")
    message = str(raised.value)
    assert message.startswith(f"Could not connect to Redshift at RedshiftResource(postgres@"
                              f"127.0.0.1:{port}/{redshift_config['database']}): ")
    assert message.endswith("Check host, port, database, user, password and sslmode in the "
                            "config of redshift_resource.")
    assert "hunter2" not in message


@solid(required_resource_keys={"redshift"})
def count_orders(context) -> int:
    context.resources.redshift.execute_queries([
        "CREATE TABLE orders (id int)", "INSERT INTO orders VALUES (1), (2), (3)"])
    return context.resources.redshift.execute_query("SELECT count(*) FROM orders",
                                                    fetch_results=True)[0][0]


@pipeline(mode_defs=[ModeDefinition(resource_defs={"redshift": "redshift_resource"})])
def warehouse():
    count_orders()


def test_a_solid_queries_redshift_through_the_resource_bound_by_name(redshift_config,
                                                                     monkeypatch):
    monkeypatch.setenv("WAREHOUSE_PASSWORD", "from-the-environment")
    config = {**redshift_config, "password": {"env": "WAREHOUSE_PASSWORD"}}
    result = execute_pipeline(warehouse, run_config={"resources": {"redshift": {"config":
                                                                                config}}})
    assert result.output_for_solid("count_orders") == 3
