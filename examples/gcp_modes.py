"""One pipeline, two homes for its DataFrames: local files, or GCS and BigQuery. Only the
mode differs.

The solids return pandas DataFrames and never say where they go; the mode's IO managers
store them. In ``local`` mode every output is pickled under the instance's storage folder
(``$HEADWATER_HOME/storage/<run_id>/<step_key>/result``). In ``gcp`` mode the raw orders
are pickled to ``gs://$HEADWATER_GCS_BUCKET/examples/storage/<run_id>/fetch_orders/result``
and the report is a BigQuery table, ``$HEADWATER_BQ_DATASET.region_revenue_result``, that
downstream steps (on other processes or machines, and in re-executions) read back. Needs
``pip install -e packages/core -e packages/gcp`` from a checkout (``pip install
'headwater[gcp]'`` once published).

Run it with local files:

    headwater pipeline execute -f examples/gcp_modes.py --mode local

Run it on Google Cloud (credentials the usual Google way: GOOGLE_APPLICATION_CREDENTIALS
or gcloud's application-default login; STORAGE_EMULATOR_HOST and BIGQUERY_EMULATOR_HOST
point the clients at local emulators instead):

    HEADWATER_GCS_BUCKET=my-bucket HEADWATER_BQ_DATASET=my-project.reports \\
        headwater pipeline execute -f examples/gcp_modes.py --mode gcp
"""

import pandas as pd

from headwater import ModeDefinition, OutputDefinition, fs_io_manager, pipeline, solid
from headwater_gcp import (
    bigquery_pandas_io_manager,
    bigquery_resource,
    gcs_pickle_io_manager,
    gcs_resource,
)


@solid
def fetch_orders() -> pd.DataFrame:
    """The day's orders (a stand-in for reading them from a shop's API)."""
    return pd.DataFrame({"region": ["north", "south", "north"], "total": [9.5, 20.0, 4.25]})


@solid(output_defs=[OutputDefinition(pd.DataFrame, io_manager_key="warehouse")])
def region_revenue(context, orders: pd.DataFrame) -> pd.DataFrame:
    """Revenue per region: the report kept in the warehouse."""
    report = orders.groupby("region", as_index=False)["total"].sum()
    context.log.info(f"{len(orders)} orders in {len(report)} regions, revenue "
                     f"{report['total'].sum():.2f}")
    return report


@pipeline(mode_defs=[
    ModeDefinition("local", resource_defs={"io_manager": fs_io_manager,
                                           "warehouse": fs_io_manager},
                   description="DataFrames pickled to files under $HEADWATER_HOME/storage."),
    ModeDefinition("gcp", resource_defs={
        # Bucket and dataset are read from the environment when a run starts (the file
        # loads, and runs in local mode, without them).
        "io_manager": gcs_pickle_io_manager.configured(
            {"gcs_bucket": {"env": "HEADWATER_GCS_BUCKET"}, "gcs_prefix": "examples"}),
        "gcs": gcs_resource,
        "warehouse": bigquery_pandas_io_manager.configured(
            {"dataset": {"env": "HEADWATER_BQ_DATASET"}}),
        "bigquery": bigquery_resource,
    }, description="Raw orders pickled to GCS; the report a BigQuery table."),
])
def daily_revenue():
    """Fetch the day's orders and report revenue per region."""
    region_revenue(fetch_orders())
