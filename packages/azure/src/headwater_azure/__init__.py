"""Headwater on Azure: Blob Storage and ADLS Gen2.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"adls2_resource"`` or ``"adls2_pickle_io_manager"``
without importing anything. Importing it gives the definitions themselves::

    from headwater_azure import adls2_pickle_io_manager, adls2_resource

    ModeDefinition("azure", resource_defs={"io_manager": adls2_pickle_io_manager,
                                           "adls2": adls2_resource})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "CLIENT_FIELDS": "headwater_azure.clients",
    "CREDENTIAL_SELECTOR": "headwater_azure.clients",
    "make_blob_service_client": "headwater_azure.clients",
    "make_data_lake_service_client": "headwater_azure.clients",
    "AzureBlobComputeLogManager": "headwater_azure.compute_logs",
    "AzureAccessDeniedError": "headwater_azure.errors",
    "AzureBlobExistsError": "headwater_azure.errors",
    "AzureBlobNotFoundError": "headwater_azure.errors",
    "AzureContainerNotFoundError": "headwater_azure.errors",
    "AzureCredentialsError": "headwater_azure.errors",
    "AzureEndpointUnreachableError": "headwater_azure.errors",
    "AzureSettingsError": "headwater_azure.errors",
    "ConfigPlace": "headwater_azure.errors",
    "HeadwaterAzureError": "headwater_azure.errors",
    "azure_errors": "headwater_azure.errors",
    "ADLS2FileCache": "headwater_azure.file_manager",
    "ADLS2FileHandle": "headwater_azure.file_manager",
    "ADLS2FileManager": "headwater_azure.file_manager",
    "PickledObjectADLS2IOManager": "headwater_azure.io_managers",
    "adls2_pickle_io_manager": "headwater_azure.io_managers",
    "ADLS2ObjectStore": "headwater_azure.object_store",
    "StoredFile": "headwater_azure.object_store",
    "ADLS2Resource": "headwater_azure.resources",
    "AzureBlobResource": "headwater_azure.resources",
    "adls2_file_cache": "headwater_azure.resources",
    "adls2_file_manager": "headwater_azure.resources",
    "adls2_resource": "headwater_azure.resources",
    "azure_blob_resource": "headwater_azure.resources",
    "get_blob_keys": "headwater_azure.sensors",
}

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


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
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
