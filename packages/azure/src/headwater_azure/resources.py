"""The Azure resources: ADLS Gen2 and Blob Storage clients, files by handle, a file cache.

Every definition here takes the same client keys (``storage_account``, ``credential``,
``endpoint``, ``max_retries``, ``retry_backoff_seconds``; see :mod:`headwater_azure.clients`).
Bind them in a mode by object or by the name the plugin registers::

    ModeDefinition(resource_defs={"adls2": adls2_resource})
    ModeDefinition(resource_defs={"adls2": "adls2_resource"})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater import Field, StringSource, resource
from headwater_azure.clients import (
    CLIENT_FIELDS,
    client_settings,
    make_blob_service_client,
    make_data_lake_service_client,
)
from headwater_azure.errors import ConfigPlace
from headwater_azure.file_manager import ADLS2FileCache, ADLS2FileManager
from headwater_azure.object_store import ADLS2ObjectStore

ADLS2_FIELDS = {
    **CLIENT_FIELDS,
    "use_blob_api": Field(bool, default_value=False,
                          description="Store, list, read and delete files through the Blob "
                                      "client instead of the Data Lake client (ADLS Gen2 "
                                      "path API): for an emulator that has only the Blob "
                                      "API (Azurite), or an account without a hierarchical "
                                      "namespace."),
}


def _place(name: str) -> ConfigPlace:
    # A resource is not told the key a mode binds it to: name the definition instead.
    return ConfigPlace(name, "resources.<key>.config")


class AzureBlobResource:
    """A Blob Storage account: ``.blob_client`` is its ``BlobServiceClient``.

    Args:
        settings: The client keys (those of ``CLIENT_FIELDS``).
        place: Whose settings these are, for error messages.
    """

    def __init__(self, settings: Mapping[str, Any], place: ConfigPlace) -> None:
        self.place = place
        self.blob_client = make_blob_service_client(place, **settings)
        # A connection string names the account itself.
        self.storage_account: str = self.blob_client.account_name
        self.endpoint = self.blob_client.url.rstrip("/")


class ADLS2Resource(AzureBlobResource):
    """An ADLS Gen2 account: ``.adls2_client`` (a ``DataLakeServiceClient``) and
    ``.blob_client`` (a ``BlobServiceClient``) on the same account and credential.

    Args:
        settings: The client keys (those of ``CLIENT_FIELDS``).
        place: Whose settings these are, for error messages.
        use_blob_api: Do every file operation through the Blob client (see
            :class:`ADLS2ObjectStore`).
    """

    def __init__(self, settings: Mapping[str, Any], place: ConfigPlace,
                 use_blob_api: bool = False) -> None:
        super().__init__(settings, place)
        self.use_blob_api = use_blob_api
        self.adls2_client = make_data_lake_service_client(place, **settings)
        self._public = settings.get("endpoint") is None and \
            "connection_string" not in settings["credential"]

    def uri(self, file_system: str, path: str) -> str:
        """Where a file is, for messages: an ``abfss://`` URI on Azure's public cloud, the
        file's URL elsewhere."""
        if self._public:
            return f"abfss://{file_system}@{self.storage_account}.dfs.core.windows.net/{path}"
        return f"{self.adls2_client.url.rstrip('/')}/{file_system}/{path}"

    def object_store(self, file_system: str, place: ConfigPlace | None = None,
                     file_system_setting: str = "the file system setting") -> ADLS2ObjectStore:
        """The files of ``file_system`` (see :class:`ADLS2ObjectStore`)."""
        return ADLS2ObjectStore(self, file_system, place or self.place, file_system_setting)


def _adls2(config: Mapping[str, Any], place: ConfigPlace) -> ADLS2Resource:
    return ADLS2Resource(client_settings(config), place, use_blob_api=config["use_blob_api"])


@resource(config_schema=ADLS2_FIELDS,
          description="An ADLS Gen2 account: .adls2_client (DataLakeServiceClient) and "
                      ".blob_client (BlobServiceClient).")
def adls2_resource(init_context):
    """An ADLS2Resource, made from the resource's config."""
    return _adls2(init_context.resource_config, _place("adls2_resource"))


@resource(config_schema=CLIENT_FIELDS,
          description="A Blob Storage account: .blob_client (BlobServiceClient).")
def azure_blob_resource(init_context):
    """An AzureBlobResource, made from the resource's config."""
    return AzureBlobResource(client_settings(init_context.resource_config),
                             _place("azure_blob_resource"))


@resource(
    config_schema={
        "adls2_file_system": Field(StringSource, description="The file system (container) "
                                                             "new files go to."),
        "adls2_prefix": Field(StringSource, default_value="headwater",
                              description="The path prefix of new files."),
        **ADLS2_FIELDS,
    },
    description="Writes files to ADLS Gen2 and reads or deletes them by handle (an "
                "ADLS2FileManager).",
)
def adls2_file_manager(init_context):
    """An ADLS2FileManager writing under ``<adls2_file_system>/<adls2_prefix>/``."""
    config = init_context.resource_config
    place = _place("adls2_file_manager")
    store = _adls2(config, place).object_store(
        config["adls2_file_system"], file_system_setting=f"adls2_file_system in {place.path}")
    return ADLS2FileManager(store, config["adls2_prefix"])


@resource(
    config_schema={
        "file_system": Field(StringSource, description="The file system (container) of the "
                                                       "cache."),
        "prefix": Field(StringSource, description="The path prefix of cached files."),
        "overwrite": Field(bool, default_value=False,
                           description="Replace a cached file when it is written again "
                                       "(else writing it again is an error)."),
        **ADLS2_FIELDS,
    },
    description="Files cached in ADLS Gen2 by key (an ADLS2FileCache).",
)
def adls2_file_cache(init_context):
    """An ADLS2FileCache under ``<file_system>/<prefix>/``."""
    config = init_context.resource_config
    place = _place("adls2_file_cache")
    store = _adls2(config, place).object_store(
        config["file_system"], file_system_setting=f"file_system in {place.path}")
    return ADLS2FileCache(store, config["prefix"], overwrite=config["overwrite"])

