"""One pipeline, two homes for its outputs: local files, or ADLS Gen2. Only the mode differs.

The solids return values and never say where they go; the mode's IO manager stores them.
In ``local`` mode each output is pickled under the instance's storage folder
(``$HEADWATER_HOME/storage/<run_id>/<step_key>/result``); in ``azure`` mode it is pickled
to ``examples/storage/<run_id>/<step_key>/result`` in the file system
``$HEADWATER_ADLS2_FILE_SYSTEM`` of the storage account that
``$AZURE_STORAGE_CONNECTION_STRING`` names, where steps on other processes or machines,
and re-executions, read it back. Needs ``pip install -e packages/core -e packages/azure`` from a checkout
(``pip install 'headwater[azure]'`` once published).

Run it with local files:

    headwater pipeline execute -f examples/azure_modes.py --mode local

Run it with ADLS Gen2 (the connection string from the portal, or
``az storage account show-connection-string``):

    AZURE_STORAGE_CONNECTION_STRING='...' HEADWATER_ADLS2_FILE_SYSTEM=my-file-system \\
        headwater pipeline execute -f examples/azure_modes.py --mode azure

Against Azurite, the local emulator, which has the Blob API only, also set
``HEADWATER_ADLS2_USE_BLOB_API=1`` (and Azurite's connection string, with its
``BlobEndpoint``).
"""

import os

from headwater import ModeDefinition, fs_io_manager, pipeline, solid
from headwater_azure import adls2_pickle_io_manager, adls2_resource


@solid
def fetch_orders() -> list[dict]:
    """The day's orders (a stand-in for reading them from a shop's API)."""
    return [{"id": 1, "total": 9.5}, {"id": 2, "total": 20.0}, {"id": 3, "total": 4.25}]


@solid
def revenue(context, orders: list[dict]) -> float:
    """Add up the orders' totals."""
    total = sum(order["total"] for order in orders)
    context.log.info(f"{len(orders)} orders, revenue {total:.2f}")
    return total


@pipeline(mode_defs=[
    ModeDefinition("local", resource_defs={"io_manager": fs_io_manager},
                   description="Outputs pickled to files under $HEADWATER_HOME/storage."),
    ModeDefinition("azure", resource_defs={
        # The settings are read from the environment when a run starts (the file loads,
        # and runs in local mode, without them).
        "io_manager": adls2_pickle_io_manager.configured(
            {"adls2_file_system": {"env": "HEADWATER_ADLS2_FILE_SYSTEM"},
             "adls2_prefix": "examples"}),
        "adls2": adls2_resource.configured({
            "credential": {"connection_string": {"env": "AZURE_STORAGE_CONNECTION_STRING"}},
            "use_blob_api": os.environ.get("HEADWATER_ADLS2_USE_BLOB_API") == "1",
        }),
    }, description="Outputs pickled to ADLS Gen2, in the file system "
                   "$HEADWATER_ADLS2_FILE_SYSTEM."),
])
def daily_revenue():
    """Fetch the day's orders and add up their revenue."""
    revenue(fetch_orders())
