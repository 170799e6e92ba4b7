"""snowflake_resource and SnowflakeConnection: the real connector against the fakesnow
server, over HTTP on 127.0.0.1."""

from __future__ import annotations

import pandas as pd
import pytest
from snowflake_stand_ins import free_port

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_snowflake import (
    SnowflakeConfigError,
    SnowflakeConnection,
    SnowflakeConnectionError,
    SnowflakeQueryError,
    snowflake_resource,
)


@pytest.fixture
def snowflake(snowflake_config):
    connection = SnowflakeConnection(snowflake_config)
    yield connection
    connection.close()


def run_with_resource(config, body):
    """Run a one-solid pipeline whose solid calls ``body(connection)``; returns the
    result and the connection the solid saw."""
    seen = []

    @solid(required_resource_keys={"snowflake"})
    def use_it(context):
        seen.append(context.resources.snowflake)
        return body(context.resources.snowflake)

    @pipeline(mode_defs=[ModeDefinition(resource_defs={"snowflake": snowflake_resource})])
    def one_solid():
        use_it()

    result = execute_pipeline(one_solid, run_config={"resources": {"snowflake": {
        "config": config}}}, raise_on_error=False)
    return result, seen[0] if seen else None


def test_a_query_returns_its_rows_when_asked(snowflake):
    assert snowflake.execute_query("SELECT 1 + 1, 'two'", fetch_results=True) == [(2, "two")]


def test_a_query_returns_nothing_unless_asked(snowflake):
    assert snowflake.execute_query("SELECT 1") is None


def test_parameters_are_bound_by_the_connector(snowflake):
    rows = snowflake.execute_query("SELECT %s || '!', %s + 1", ("it's", 41), fetch_results=True)
    assert rows == [("it's!", 42)]


def test_queries_run_in_order_and_each_result_is_returned(snowflake):
    results = snowflake.execute_queries([
        "CREATE TABLE orders (id INT, amount FLOAT)",
        "INSERT INTO orders VALUES (1, 9.5), (2, 20.0)",
        "SELECT COUNT(*), SUM(amount) FROM orders",
    ], fetch_results=True)
    assert results[2] == [(2, 29.5)]


def test_a_pandas_result_has_lower_case_columns_and_nullable_integers(snowflake):
    snowflake.execute_queries(["CREATE TABLE orders (id INT, region TEXT)",
                               "INSERT INTO orders VALUES (1, 'north'), (NULL, 'south')"])
    frame = snowflake.execute_query("SELECT id, region FROM orders ORDER BY region",
                                    fetch_results=True, use_pandas_result=True)
    assert list(frame.columns) == ["id", "region"]
    assert str(frame["id"].dtype) == "Int64"
    assert frame["id"].isna().tolist() == [False, True]


def test_a_connection_rolls_back_when_its_block_fails_without_autocommit(snowflake_config):
    snowflake = SnowflakeConnection({**snowflake_config, "autocommit": False})
    snowflake.execute_query("CREATE TABLE orders (id INT)")
    with pytest.raises(RuntimeError), snowflake.get_connection() as connection:
        connection.cursor().execute("INSERT INTO orders VALUES (1)")
        raise RuntimeError("the solid failed")
    assert snowflake.execute_query("SELECT COUNT(*) FROM orders", fetch_results=True) == [(0,)]


def test_a_connection_commits_when_its_block_ends_without_autocommit(snowflake_config):
    snowflake = SnowflakeConnection({**snowflake_config, "autocommit": False})
    snowflake.execute_query("CREATE TABLE orders (id INT)")
    with snowflake.get_connection() as connection:
        connection.cursor().execute("INSERT INTO orders VALUES (1)")
    other = SnowflakeConnection(snowflake_config)
    assert other.execute_query("SELECT COUNT(*) FROM orders", fetch_results=True) == [(1,)]


def test_the_resource_connects_only_when_first_used(fakesnow_port):
    nowhere = {"account": "fakesnow", "user": "fake", "password": "snow",
               "host": "127.0.0.1", "port": free_port(), "protocol": "http"}
    result, connection = run_with_resource(nowhere, lambda snowflake: repr(snowflake))
    assert result.success
    assert not connection.is_open


def test_the_resource_closes_its_connection_at_teardown(snowflake_config):
    result, connection = run_with_resource(
        snowflake_config, lambda snowflake: snowflake.execute_query("SELECT 1", fetch_results=True))
    assert result.success
    assert result.output_for_solid("use_it") == [(1,)]
    assert not connection.is_open


def test_the_password_never_reaches_the_runs_events(snowflake_config):
    config = {**snowflake_config, "password": "hunter2-secret"}
    result, _ = run_with_resource(
        config, lambda snowflake: snowflake.execute_query("SELEC 1"))
    assert not result.success
    assert result.event_list
    assert all("hunter2-secret" not in repr(event) for event in result.event_list)


def test_a_syntax_error_quotes_the_statement_and_the_servers_message(snowflake):
    with pytest.raises(SnowflakeQueryError) as raised:
        snowflake.execute_query("SELEC amount FROM orders")
    message = str(raised.value)
    assert "    SELEC amount FROM orders" in message
    assert raised.value.server_message in message
    assert raised.value.errno == 1003
    assert "resources.<key>.config (snowflake_resource)" in message


def test_a_missing_table_is_reported_with_snowflakes_error(snowflake):
    with pytest.raises(SnowflakeQueryError) as raised:
        snowflake.execute_query("SELECT * FROM nowhere")
    assert raised.value.errno == 2003
    assert "NOWHERE" in str(raised.value)


def test_an_address_where_nothing_listens_is_reported_with_the_settings_to_check():
    snowflake = SnowflakeConnection({"account": "fakesnow", "user": "fake",
                                     "password": "hunter2-secret", "host": "127.0.0.1",
                                     "port": free_port(), "protocol": "http",
                                     "login_timeout": 3})
    with pytest.raises(SnowflakeConnectionError) as raised:
        snowflake.execute_query("SELECT 1")
    message = str(raised.value)
    assert "Could not connect to Snowflake (http://127.0.0.1:" in message
    assert "resources.<key>.config" in message
    assert "hunter2-secret" not in message


def test_a_refused_login_names_the_settings_to_check_and_not_the_password(
        refusing_login_port):
    snowflake = SnowflakeConnection({"account": "myorg-acct", "user": "loader",
                                     "password": "hunter2-secret", "host": "127.0.0.1",
                                     "port": refusing_login_port, "protocol": "http",
                                     "login_timeout": 10})
    with pytest.raises(SnowflakeConnectionError) as raised:
        snowflake.execute_query("SELECT 1")
    message = str(raised.value)
    assert message.startswith("Snowflake refused the login of "
                              "SnowflakeConnection(loader@myorg-acct): ")
    assert "Incorrect username or password was specified." in message
    assert "Check user, password (or private_key) and account in resources.<key>.config" \
        in message
    assert "hunter2-secret" not in message


def test_a_connection_without_any_credential_says_which_keys_to_set():
    snowflake = SnowflakeConnection({"account": "fakesnow", "user": "fake"})
    with pytest.raises(SnowflakeConfigError, match=r"has no credential\. Set password"):
        snowflake.execute_query("SELECT 1")


def test_a_pipeline_reads_a_dataframe_through_the_resource(snowflake_config):
    def body(snowflake):
        snowflake.execute_queries(["CREATE TABLE t (flag BOOLEAN)",
                                   "INSERT INTO t VALUES (TRUE), (FALSE)"])
        return snowflake.execute_query("SELECT flag FROM t", fetch_results=True,
                                       use_pandas_result=True)

    result, _ = run_with_resource(snowflake_config, body)
    frame = result.output_for_solid("use_it")
    pd.testing.assert_series_equal(frame["flag"], pd.Series([True, False], name="flag"))


def pem_key(passphrase: bytes | None = None) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase \
        else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             encryption).decode()


def test_a_private_key_logs_in_instead_of_a_password(snowflake_config):
    config = {key: value for key, value in snowflake_config.items() if key != "password"}
    snowflake = SnowflakeConnection({**config, "private_key": pem_key()})
    assert snowflake.execute_query("SELECT 1", fetch_results=True) == [(1,)]


def test_an_encrypted_private_key_without_its_passphrase_is_reported_without_the_key(
        snowflake_config, tmp_path):
    path = tmp_path / "key.p8"
    path.write_text(pem_key(passphrase=b"open-sesame"))
    snowflake = SnowflakeConnection({**snowflake_config, "private_key_path": str(path)})
    with pytest.raises(SnowflakeConfigError) as raised:
        snowflake.execute_query("SELECT 1")
    message = str(raised.value)
    assert "could not be read" in message
    assert "private_key_password" in message
    assert "PRIVATE KEY" not in message


def test_a_missing_schema_is_reported_with_snowflakes_error(snowflake):
    with pytest.raises(SnowflakeQueryError) as raised:
        snowflake.execute_query("SELECT * FROM nowhere.orders")
    assert raised.value.errno == 2003
    assert "    SELECT * FROM nowhere.orders" in str(raised.value)
