"""Azure: the account's clients (adls2_resource, azure_blob_resource) and the credential
selector."""

import os

from headwater import ModeDefinition, execute_pipeline, pipeline, solid, validate_run_config

# Azurite in the tests: its URL (and for ADLS2 the Blob API for writes). Unset: the
# account's own URL.
ENDPOINT = ({"endpoint": os.environ["AZURITE_ENDPOINT"]}
            if "AZURITE_ENDPOINT" in os.environ else {})
EMULATOR = {**ENDPOINT, "use_blob_api": True} if ENDPOINT else {}


# [start:clients]
@solid(required_resource_keys={"adls2"})
def make_landing_zone(context) -> list[str]:
    # The Data Lake client for file systems, directories and paths...
    context.resources.adls2.adls2_client.create_file_system("raw-zone")
    # ...and the Blob client, on the same account and credential.
    blobs = context.resources.adls2.blob_client.get_container_client("raw-zone")
    blobs.upload_blob("README.txt", b"Files land here.")
    return [blob.name for blob in blobs.list_blobs()]


@solid(required_resource_keys={"blob"})
def containers(context, landed: list[str]) -> list[str]:
    return [c.name for c in context.resources.blob.blob_client.list_containers()]


@pipeline(mode_defs=[ModeDefinition(resource_defs={
    "adls2": "adls2_resource",          # .adls2_client and .blob_client
    "blob": "azure_blob_resource",      # .blob_client
})])
def landing_zone():
    containers(make_landing_zone())


account = {
    "storage_account": {"env": "AZURE_STORAGE_ACCOUNT"},
    "credential": {"key": {"env": "AZURE_STORAGE_KEY"}},
}
result = execute_pipeline(landing_zone, run_config={"resources": {
    "adls2": {"config": {**account, **EMULATOR}},   # the tests' Azurite
    "blob": {"config": {**account, **ENDPOINT}},
}})
# [end:clients]
assert result.output_for_solid("make_landing_zone") == ["README.txt"]
assert "raw-zone" in result.output_for_solid("containers")

# [start:credentials]
credentials = [
    {"key": {"env": "AZURE_STORAGE_KEY"}},                  # the account key
    {"sas": {"env": "AZURE_STORAGE_SAS"}},                  # a SAS token
    {"connection_string": {"env": "AZURE_STORAGE_CONNECTION_STRING"}},  # names the account
    {"default_azure_credential": {}},                       # Entra ID: managed identity,
                                                            # environment, az login...
    {"default_azure_credential": {"exclude_interactive_browser_credential": True}},
]
# [end:credentials]

# Every form is valid config (the values are only read, not used, here).
os.environ.setdefault("AZURE_STORAGE_SAS", "sv=2024-01-01&sig=not-a-signature")
os.environ.setdefault("AZURE_STORAGE_CONNECTION_STRING", "AccountName=lake;AccountKey=a2V5")
for credential in credentials:
    assert validate_run_config(landing_zone, {"resources": {
        "adls2": {"config": {"storage_account": "lake", "credential": credential}},
        "blob": {"config": {"storage_account": "lake", "credential": credential}},
    }})
