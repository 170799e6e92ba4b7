"""adls2_resource and azure_blob_resource: clients on the account the config names, signed
with the credential the selector chooses, sent where the endpoint says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from azure.identity import DefaultAzureCredential
from azure.storage.blob import ContainerSasPermissions, generate_container_sas
from azure_stand_ins import ACCOUNT, ACCOUNT_KEY, KEY_ENV, connection_string

from headwater import ModeDefinition, execute_solid, solid
from headwater_azure import ADLS2Resource, AzureBlobResource, ConfigPlace


@solid(required_resource_keys={"adls2"})
def container_names(context) -> list[str]:
    return sorted(c.name for c in context.resources.adls2.blob_client.list_containers())


@solid(required_resource_keys={"adls2"})
def file_system_names(context) -> list[str]:
    return sorted(f.name for f in context.resources.adls2.adls2_client.list_file_systems())


@solid(config_schema=str, required_resource_keys={"adls2"})
def round_trip(context) -> bytes:
    container = context.solid_config
    blob = context.resources.adls2.blob_client.get_blob_client(container, "probe.txt")
    blob.upload_blob(b"hello", overwrite=True)
    return blob.download_blob().readall()


def run(solid_def, resource: str, config: dict, solid_config=None):
    run_config = {"resources": {"adls2": {"config": config}}}
    if solid_config is not None:
        run_config["solids"] = {solid_def.name: {"config": solid_config}}
    return execute_solid(solid_def, mode_def=ModeDefinition(resource_defs={"adls2": resource}),
                         run_config=run_config).output_value()


def test_adls2_resource_gives_a_blob_client_on_the_configured_account(container, adls2_config):
    assert container in run(container_names, "adls2_resource", adls2_config)


def test_adls2_resource_gives_a_data_lake_client_on_the_same_account(container, adls2_config):
    assert container in run(file_system_names, "adls2_resource", adls2_config)


def test_azure_blob_resource_gives_a_blob_client(container, adls2_config):
    config = {k: v for k, v in adls2_config.items() if k != "use_blob_api"}
    assert container in run(container_names, "azure_blob_resource", config)


def test_a_sas_token_signs_requests(azurite, container):
    sas = generate_container_sas(ACCOUNT, container, account_key=ACCOUNT_KEY,
                                 permission=ContainerSasPermissions(read=True, write=True),
                                 expiry=datetime.now(UTC) + timedelta(hours=1))
    config = {"storage_account": ACCOUNT, "credential": {"sas": sas}, "endpoint": azurite}
    assert run(round_trip, "adls2_resource", config, container) == b"hello"


def test_a_connection_string_names_the_account_its_key_and_its_endpoint(azurite, container):
    config = {"storage_account": ACCOUNT,
              "credential": {"connection_string": connection_string(azurite)}}
    assert container in run(container_names, "adls2_resource", config)


def test_without_an_endpoint_the_clients_use_the_accounts_public_urls():
    adls2 = ADLS2Resource({"storage_account": "lake", "credential": {"key": ACCOUNT_KEY}},
                          ConfigPlace("test", "test"))
    assert adls2.blob_client.url == "https://lake.blob.core.windows.net/"
    assert adls2.adls2_client.url == "https://lake.dfs.core.windows.net/"
    assert adls2.uri("raw", "a/b.csv") == "abfss://raw@lake.dfs.core.windows.net/a/b.csv"


def test_a_sovereign_cloud_endpoint_gives_the_data_lake_client_its_dfs_url():
    adls2 = ADLS2Resource({"storage_account": "lake", "credential": {"key": ACCOUNT_KEY},
                           "endpoint": "https://lake.blob.core.chinacloudapi.cn"},
                          ConfigPlace("test", "test"))
    assert adls2.blob_client.url == "https://lake.blob.core.chinacloudapi.cn/"
    assert adls2.adls2_client.url == "https://lake.dfs.core.chinacloudapi.cn/"


def test_default_azure_credential_is_made_with_the_options_given():
    blob = AzureBlobResource({"storage_account": "lake", "credential": {
        "default_azure_credential": {"exclude_interactive_browser_credential": True}}},
        ConfigPlace("test", "test"))
    assert isinstance(blob.blob_client.credential, DefaultAzureCredential)


def test_the_key_is_read_from_the_environment_variable_the_config_names(
        monkeypatch, container, adls2_config):
    monkeypatch.setenv("ANOTHER_KEY_VARIABLE", ACCOUNT_KEY)
    monkeypatch.delenv(KEY_ENV)
    config = {**adls2_config, "credential": {"key": {"env": "ANOTHER_KEY_VARIABLE"}}}
    assert container in run(container_names, "adls2_resource", config)
