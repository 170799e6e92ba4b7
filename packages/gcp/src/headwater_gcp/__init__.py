"""Headwater on Google Cloud: Cloud Storage, BigQuery and Dataproc.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"gcs_resource"`` or ``"gcs_pickle_io_manager"`` without
importing anything. Importing it gives the definitions themselves::

    from headwater_gcp import gcs_pickle_io_manager, gcs_resource

    ModeDefinition("gcp", resource_defs={"io_manager": gcs_pickle_io_manager,
                                         "gcs": gcs_resource})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "BQCreateDisposition": "headwater_gcp.bigquery",
    "BQEncoding": "headwater_gcp.bigquery",
    "BQPriority": "headwater_gcp.bigquery",
    "BQSchemaUpdateOption": "headwater_gcp.bigquery",
    "BQSourceFormat": "headwater_gcp.bigquery",
    "BQWriteDisposition": "headwater_gcp.bigquery",
    "Dataset": "headwater_gcp.bigquery",
    "Table": "headwater_gcp.bigquery",
    "BigQueryPandasIOManager": "headwater_gcp.bigquery_io_manager",
    "bigquery_pandas_io_manager": "headwater_gcp.bigquery_io_manager",
    "CLIENT_FIELDS": "headwater_gcp.clients",
    "make_bigquery_client": "headwater_gcp.clients",
    "make_dataproc_clients": "headwater_gcp.clients",
    "make_storage_client": "headwater_gcp.clients",
    "GCSComputeLogManager": "headwater_gcp.compute_logs",
    "DataprocResource": "headwater_gcp.dataproc",
    "BigQueryError": "headwater_gcp.errors",
    "ConfigPlace": "headwater_gcp.errors",
    "DataprocError": "headwater_gcp.errors",
    "GcpCredentialsError": "headwater_gcp.errors",
    "GcpEndpointUnreachableError": "headwater_gcp.errors",
    "GcsBucketNotFoundError": "headwater_gcp.errors",
    "GcsObjectNotFoundError": "headwater_gcp.errors",
    "HeadwaterGcpError": "headwater_gcp.errors",
    "GCSFileHandle": "headwater_gcp.file_manager",
    "GCSFileManager": "headwater_gcp.file_manager",
    "PickledObjectGCSIOManager": "headwater_gcp.gcs_io_manager",
    "gcs_pickle_io_manager": "headwater_gcp.gcs_io_manager",
    "bigquery_resource": "headwater_gcp.resources",
    "dataproc_resource": "headwater_gcp.resources",
    "gcs_file_manager": "headwater_gcp.resources",
    "gcs_resource": "headwater_gcp.resources",
    "get_gcs_keys": "headwater_gcp.sensors",
    "bq_create_dataset": "headwater_gcp.solids",
    "bq_delete_dataset": "headwater_gcp.solids",
    "bq_solid_for_queries": "headwater_gcp.solids",
    "dataproc_solid": "headwater_gcp.solids",
    "import_df_to_bq": "headwater_gcp.solids",
    "import_file_to_bq": "headwater_gcp.solids",
    "import_gcs_paths_to_bq": "headwater_gcp.solids",
}

__version__ = "0.1.0"

__all__ = [
    "CLIENT_FIELDS", "BQCreateDisposition", "BQEncoding", "BQPriority", "BQSchemaUpdateOption",
    "BQSourceFormat", "BQWriteDisposition", "BigQueryError", "BigQueryPandasIOManager",
    "ConfigPlace", "DataprocError", "DataprocResource", "Dataset", "GCSComputeLogManager",
    "GCSFileHandle", "GCSFileManager", "GcpCredentialsError", "GcpEndpointUnreachableError",
    "GcsBucketNotFoundError", "GcsObjectNotFoundError", "HeadwaterGcpError",
    "PickledObjectGCSIOManager", "Table", "bigquery_pandas_io_manager", "bigquery_resource",
    "bq_create_dataset", "bq_delete_dataset", "bq_solid_for_queries", "dataproc_resource",
    "dataproc_solid", "gcs_file_manager", "gcs_pickle_io_manager", "gcs_resource",
    "get_gcs_keys", "import_df_to_bq", "import_file_to_bq", "import_gcs_paths_to_bq",
    "make_bigquery_client", "make_dataproc_clients", "make_storage_client",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_gcp.bigquery import (
        BQCreateDisposition,
        BQEncoding,
        BQPriority,
        BQSchemaUpdateOption,
        BQSourceFormat,
        BQWriteDisposition,
        Dataset,
        Table,
    )
    from headwater_gcp.bigquery_io_manager import (
        BigQueryPandasIOManager,
        bigquery_pandas_io_manager,
    )
    from headwater_gcp.clients import (
        CLIENT_FIELDS,
        make_bigquery_client,
        make_dataproc_clients,
        make_storage_client,
    )
    from headwater_gcp.compute_logs import GCSComputeLogManager
    from headwater_gcp.dataproc import DataprocResource
    from headwater_gcp.errors import (
        BigQueryError,
        ConfigPlace,
        DataprocError,
        GcpCredentialsError,
        GcpEndpointUnreachableError,
        GcsBucketNotFoundError,
        GcsObjectNotFoundError,
        HeadwaterGcpError,
    )
    from headwater_gcp.file_manager import GCSFileHandle, GCSFileManager
    from headwater_gcp.gcs_io_manager import PickledObjectGCSIOManager, gcs_pickle_io_manager
    from headwater_gcp.resources import (
        bigquery_resource,
        dataproc_resource,
        gcs_file_manager,
        gcs_resource,
    )
    from headwater_gcp.sensors import get_gcs_keys
    from headwater_gcp.solids import (
        bq_create_dataset,
        bq_delete_dataset,
        bq_solid_for_queries,
        dataproc_solid,
        import_df_to_bq,
        import_file_to_bq,
        import_gcs_paths_to_bq,
    )
