"""Azure: step outputs in ADLS Gen2 with adls2_pickle_io_manager.

Runs against the storage account $AZURE_STORAGE_ACCOUNT with the key $AZURE_STORAGE_KEY.
The tests point it at Azurite ($AZURITE_ENDPOINT), which has the Blob API only.
"""

import os

from azure.storage.blob import BlobServiceClient

from headwater import ModeDefinition, execute_pipeline, pipeline, solid
from headwater_azure import adls2_pickle_io_manager, adls2_resource

# Azurite in the tests: its URL, and the Blob API for writes. Unset: the account's own URL.
EMULATOR = ({"endpoint": os.environ["AZURITE_ENDPOINT"], "use_blob_api": True}
            if "AZURITE_ENDPOINT" in os.environ else {})
ACCOUNT = os.environ["AZURE_STORAGE_ACCOUNT"]
blob_service = BlobServiceClient(
    EMULATOR.get("endpoint", f"https://{ACCOUNT}.blob.core.windows.net"),
    credential={"account_name": ACCOUNT, "account_key": os.environ["AZURE_STORAGE_KEY"]})
blob_service.create_container("pipeline-outputs")


@solid
def numbers() -> list[int]:
    return [1, 2, 3]


@solid
def total(numbers: list[int]) -> int:
    return sum(numbers)


# [start:mode]
@pipeline(mode_defs=[ModeDefinition("azure", resource_defs={
    "io_manager": adls2_pickle_io_manager,
    "adls2": adls2_resource,
})])
def totals():
    total(numbers())


result = execute_pipeline(totals, run_config={"resources": {
    "io_manager": {"config": {"adls2_file_system": "pipeline-outputs",
                              "adls2_prefix": "pipelines"}},
    "adls2": {"config": {
        "storage_account": {"env": "AZURE_STORAGE_ACCOUNT"},
        "credential": {"key": {"env": "AZURE_STORAGE_KEY"}},
        **EMULATOR,  # the tests' Azurite: endpoint and use_blob_api
    }},
}})
# <adls2_file_system>/<adls2_prefix>/storage/<run_id>/<step_key>/<output>
stored = blob_service.get_blob_client(
    "pipeline-outputs", f"pipelines/storage/{result.run_id}/total/result")
# [end:mode]
assert stored.exists()


# [start:by-name]
@pipeline(mode_defs=[ModeDefinition("azure", resource_defs={
    "io_manager": "adls2_pickle_io_manager",
    "adls2": "adls2_resource",
})])
def totals_by_name():
    total(numbers())
# [end:by-name]


assert execute_pipeline(totals_by_name, run_config={"resources": {
    "io_manager": {"config": {"adls2_file_system": "pipeline-outputs"}},
    "adls2": {"config": {"storage_account": ACCOUNT,
                         "credential": {"key": {"env": "AZURE_STORAGE_KEY"}}, **EMULATOR}},
}}).success
