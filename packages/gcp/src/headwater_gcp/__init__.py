"""Headwater on Google Cloud: Cloud Storage, BigQuery and Dataproc.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"gcs_resource"`` or ``"gcs_pickle_io_manager"`` without
importing anything. Importing it gives the definitions themselves::

    from headwater_gcp import gcs_pickle_io_manager, gcs_resource

    ModeDefinition("gcp", resource_defs={"io_manager": gcs_pickle_io_manager,
                                         "gcs": gcs_resource})
"""

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
from headwater_gcp.bigquery_io_manager import BigQueryPandasIOManager, bigquery_pandas_io_manager
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
