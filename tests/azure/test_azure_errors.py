"""The mistakes people make with Azure settings fail with errors that say what to fix: a
container that does not exist, a key Azure rejects, an endpoint where nothing listens, a
credential that cannot be used. No message shows a secret."""

from __future__ import annotations

import pytest
from azure_pipelines import sum_pipeline
from azure_stand_ins import ACCOUNT, connection_string, free_port

from headwater import HeadwaterInvalidConfigError, execute_pipeline
from headwater_azure import (
    AzureContainerNotFoundError,
    AzureCredentialsError,
    AzureEndpointUnreachableError,
    AzureSettingsError,
)

# A well-formed key that is not the account's.
WRONG_KEY = "d3Jvbmcta2V5LWQwbjctNWgwdy1tMy13cm9uZy1rZXktZDBuNy01aDB3LW0zLQ=="


def run_with(adls2_config: dict, container: str):
    return execute_pipeline(sum_pipeline, run_config={"resources": {
        "io_manager": {"config": {"adls2_file_system": container, "adls2_prefix": "runs"}},
        "adls2": {"config": adls2_config},
    }})


def test_a_missing_container_is_named_with_the_blob_and_how_to_create_it(adls2_config):
    with pytest.raises(AzureContainerNotFoundError) as raised:
        run_with(adls2_config, "no-such-container")
    message = str(raised.value)
    assert message.startswith('The container "no-such-container" does not exist, so storing '
                              'output "result" of step "numbers" at ')
    assert raised.value.blob.endswith("/numbers/result")
    assert message.endswith("Create it (az storage container create --name "
                            "no-such-container), or set adls2_file_system in the config of "
                            "adls2_pickle_io_manager to a container that exists.")


def test_a_wrong_key_is_named_as_an_authentication_error_without_showing_the_key(
        adls2_config, container):
    with pytest.raises(AzureCredentialsError) as raised:
        run_with({**adls2_config, "credential": {"key": WRONG_KEY}}, container)
    message = str(raised.value)
    assert message.startswith('Azure Storage did not accept the credential of the "adls2" '
                              "resource (AuthorizationFailure) while storing output")
    assert "Check credential in resources.adls2.config" in message
    assert WRONG_KEY not in message
    assert raised.value.__cause__ is None


def test_a_key_that_is_not_base64_is_refused_before_any_request(adls2_config, container):
    not_a_key = "my-password-1234!"
    with pytest.raises(AzureCredentialsError) as raised:
        run_with({**adls2_config, "credential": {"key": not_a_key}}, container)
    assert str(raised.value).startswith(
        "credential.key in resources.<key>.config (adls2_resource) is not a storage account "
        "key: an account key is base64 text")
    assert not_a_key not in str(raised.value)


def test_an_endpoint_where_nothing_listens_is_named_after_bounded_retries(adls2_config,
                                                                          container):
    nowhere = f"http://127.0.0.1:{free_port()}/{ACCOUNT}"
    with pytest.raises(AzureEndpointUnreachableError) as raised:
        run_with({**adls2_config, "endpoint": nowhere, "max_retries": 2}, container)
    assert raised.value.endpoint == nowhere
    assert str(raised.value).startswith(f"Could not connect to {nowhere} while storing output")
    assert str(raised.value).endswith(
        ": nothing answered at that address, also after retrying (max_retries in "
        "resources.adls2.config). Check endpoint in resources.adls2.config (the \"adls2\" "
        "resource): is the storage account, or its local emulator, reachable there?")


def test_an_endpoint_that_is_not_a_url_is_refused(adls2_config, container):
    with pytest.raises(AzureSettingsError) as raised:
        run_with({**adls2_config, "endpoint": "127.0.0.1:10000"}, container)
    assert str(raised.value).startswith(
        "endpoint in resources.<key>.config (adls2_resource) is '127.0.0.1:10000', not a URL.")


def test_a_connection_string_and_an_endpoint_together_are_refused(adls2_config, azurite,
                                                                  container):
    config = {**adls2_config, "credential": {"connection_string": connection_string(azurite)}}
    with pytest.raises(AzureSettingsError) as raised:
        run_with(config, container)
    assert str(raised.value).startswith(
        "adls2_resource sets both endpoint and credential.connection_string (in "
        "resources.<key>.config)")
    assert "AccountKey" not in str(raised.value)


def test_a_malformed_connection_string_is_named_without_showing_it(adls2_config, container):
    secret = "AccountKey-without-equals-sign-s3cr3t"
    config = {k: v for k, v in adls2_config.items() if k != "endpoint"}
    with pytest.raises(AzureSettingsError) as raised:
        run_with({**config, "credential": {"connection_string": secret}}, container)
    assert str(raised.value).startswith(
        "credential.connection_string in resources.<key>.config (adls2_resource) is not a "
        "storage connection string")
    assert secret not in str(raised.value)


def test_two_credentials_at_once_are_refused_when_the_run_config_is_checked(adls2_config,
                                                                            container):
    with pytest.raises(HeadwaterInvalidConfigError) as raised:
        run_with({**adls2_config, "credential": {"key": WRONG_KEY, "sas": "sv=x&sig=y"}},
                 container)
    assert "resources.adls2.config.credential" in str(raised.value)


def test_a_config_that_names_no_account_is_refused(adls2_config, container):
    config = {k: v for k, v in adls2_config.items() if k != "storage_account"}
    with pytest.raises(AzureSettingsError) as raised:
        run_with(config, container)
    assert str(raised.value) == (
        "adls2_resource names no storage account: set storage_account in "
        "resources.<key>.config (or give credential.connection_string, which names it).")
