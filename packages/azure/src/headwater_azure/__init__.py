"""Headwater on Azure: Blob Storage and ADLS Gen2.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"adls2_resource"`` or ``"adls2_pickle_io_manager"``
without importing anything. Importing it gives the definitions themselves::

    from headwater_azure import adls2_pickle_io_manager, adls2_resource

    ModeDefinition("azure", resource_defs={"io_manager": adls2_pickle_io_manager,
                                           "adls2": adls2_resource})
"""

from headwater_azure.clients import (
    CLIENT_FIELDS,
    CREDENTIAL_SELECTOR,
    make_blob_service_client,
    make_data_lake_service_client,
)
from headwater_azure.compute_logs import AzureBlobComputeLogManager
from headwater_azure.errors import (
    AzureAccessDeniedError,
    AzureBlobExistsError,
    AzureBlobNotFoundError,
    AzureContainerNotFoundError,
    AzureCredentialsError,
    AzureEndpointUnreachableError,
    AzureSettingsError,
    ConfigPlace,
    HeadwaterAzureError,
    azure_errors,
)
from headwater_azure.file_manager import ADLS2FileCache, ADLS2FileHandle, ADLS2FileManager
from headwater_azure.io_managers import PickledObjectADLS2IOManager, adls2_pickle_io_manager
from headwater_azure.object_store import ADLS2ObjectStore, StoredFile
from headwater_azure.resources import (
    ADLS2Resource,
    AzureBlobResource,
    adls2_file_cache,
    adls2_file_manager,
    adls2_resource,
    azure_blob_resource,
)
from headwater_azure.sensors import get_blob_keys

__version__ = "0.1.0"

__all__ = [
    "CLIENT_FIELDS", "CREDENTIAL_SELECTOR", "ADLS2FileCache", "ADLS2FileHandle",
    "ADLS2FileManager", "ADLS2ObjectStore", "ADLS2Resource", "AzureAccessDeniedError",
    "AzureBlobComputeLogManager", "AzureBlobExistsError", "AzureBlobNotFoundError",
    "AzureBlobResource", "AzureContainerNotFoundError", "AzureCredentialsError",
    "AzureEndpointUnreachableError", "AzureSettingsError", "ConfigPlace",
    "HeadwaterAzureError", "PickledObjectADLS2IOManager", "StoredFile",
    "adls2_file_cache", "adls2_file_manager", "adls2_pickle_io_manager", "adls2_resource",
    "azure_blob_resource", "azure_errors", "get_blob_keys", "make_blob_service_client",
    "make_data_lake_service_client",
]
