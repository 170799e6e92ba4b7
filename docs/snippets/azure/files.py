"""Azure: files by handle (adls2_file_manager), files cached by key (adls2_file_cache), and
new blobs for a sensor (get_blob_keys)."""

import os

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_azure import ADLS2FileHandle, ADLS2Resource, ConfigPlace, get_blob_keys

# Azurite in the tests: its URL, and the Blob API for writes. Unset: the account's own URL.
EMULATOR = ({"endpoint": os.environ["AZURITE_ENDPOINT"], "use_blob_api": True}
            if "AZURITE_ENDPOINT" in os.environ else {})
ACCOUNT = {"storage_account": os.environ["AZURE_STORAGE_ACCOUNT"],
           "credential": {"key": os.environ["AZURE_STORAGE_KEY"]}}
if "endpoint" in EMULATOR:
    ACCOUNT["endpoint"] = EMULATOR["endpoint"]
adls2 = ADLS2Resource(ACCOUNT, ConfigPlace("the snippet", "its settings"), use_blob_api=True)
for name in ("reports", "downloads", "landing"):
    adls2.blob_client.create_container(name)


# [start:file-manager]
@solid(required_resource_keys={"file_manager"})
def export_report(context) -> ADLS2FileHandle:
    return context.resources.file_manager.write_data(b"id,total\n1,9.5\n", ext="csv")


@solid(required_resource_keys={"file_manager"})
def publish_report(context, report: ADLS2FileHandle) -> int:
    context.log.info(f"Publishing {report.path_desc}")
    return len(context.resources.file_manager.read_data(report))


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_manager": "adls2_file_manager"})])
def reports():
    publish_report(export_report())


result = execute_pipeline(reports, run_config={"resources": {"file_manager": {"config": {
    "adls2_file_system": "reports",
    "adls2_prefix": "daily",
    "storage_account": {"env": "AZURE_STORAGE_ACCOUNT"},
    "credential": {"key": {"env": "AZURE_STORAGE_KEY"}},
    **EMULATOR,  # the tests' Azurite: endpoint and use_blob_api
}}}})
assert result.output_for_solid("publish_report") == 15
# [end:file-manager]


# [start:file-cache]
@solid(required_resource_keys={"file_cache"})
def rates(context) -> ADLS2FileHandle:
    cache = context.resources.file_cache
    if cache.has_file_object("rates-2024-01-01.json"):  # fetched by an earlier run
        return cache.get_file_handle("rates-2024-01-01.json")
    return cache.write_binary_data("rates-2024-01-01.json", b'{"EUR": 1.09}')


@pipeline(mode_defs=[ModeDefinition(resource_defs={"file_cache": "adls2_file_cache"})])
def exchange_rates():
    rates()


run_config = {"resources": {"file_cache": {"config": {
    "file_system": "downloads",
    "prefix": "rates",
    "overwrite": False,  # writing a key again is an error (the default)
    "storage_account": {"env": "AZURE_STORAGE_ACCOUNT"},
    "credential": {"key": {"env": "AZURE_STORAGE_KEY"}},
    **EMULATOR,
}}}}
first = execute_pipeline(exchange_rates, run_config=run_config).output_for_solid("rates")
again = execute_pipeline(exchange_rates, run_config=run_config).output_for_solid("rates")
assert first == again and first.key == "rates/rates-2024-01-01.json"
# [end:file-cache]

# [start:keys]
blob_client = adls2.blob_client  # in a sensor: context.resources.adls2.blob_client
for name in ("orders/2024-01-01.csv", "orders/2024-01-02.csv"):
    blob_client.get_blob_client("landing", name).upload_blob(b"")

cursor = "orders/2024-01-01.csv"  # the last blob a sensor handled
assert get_blob_keys("landing", prefix="orders/", since_key=cursor,
                     blob_client=blob_client) == ["orders/2024-01-02.csv"]
# [end:keys]
