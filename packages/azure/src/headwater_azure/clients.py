"""Azure Storage clients made from Headwater config: one set of config keys, one factory.

Every client this package makes (Blob service, Data Lake service) is made here, so that the
account, the credential, the endpoint and the retries mean the same for all of them. The
credential is a selector: exactly one of ``key``, ``sas``, ``connection_string`` or
``default_azure_credential``. Give secrets as ``{env: VARIABLE}``; they are never logged
and no error message shows them.

The Azure clients are imported when the first client is made, not when this module is
imported: loading the plugin stays cheap.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Mapping
from typing import Any

from headwater import Field, Permissive, Selector, StringSource
from headwater_azure.errors import AzureCredentialsError, AzureSettingsError, ConfigPlace

CREDENTIAL_SELECTOR = Selector({
    "key": Field(StringSource, description="The storage account's access key (base64); "
                                           "give it as {env: VARIABLE}."),
    "sas": Field(StringSource, description="A shared access signature token (account, "
                                           "container or blob SAS); give it as "
                                           "{env: VARIABLE}."),
    "connection_string": Field(StringSource,
                               description="A connection string (it names its own "
                                           "endpoints and key or SAS); give it as "
                                           "{env: VARIABLE}."),
    "default_azure_credential": Field(
        Permissive(), description="Sign in with azure-identity's DefaultAzureCredential "
                                  "(environment, workload or managed identity, az login); "
                                  "the keys are passed to it, e.g. "
                                  "{exclude_interactive_browser_credential: true}."),
})

CLIENT_FIELDS = {
    "storage_account": Field(StringSource, is_required=False,
                             description="The storage account's name (required unless the "
                                         "credential is a connection string, which names "
                                         "it)."),
    "credential": Field(CREDENTIAL_SELECTOR,
                        description="How to sign requests: key, sas, connection_string or "
                                    "default_azure_credential."),
    "endpoint": Field(StringSource, is_required=False,
                      description="The account URL, instead of https://<storage_account>."
                                  "blob.core.windows.net: an emulator "
                                  "(http://127.0.0.1:10000/devstoreaccount1) or a sovereign "
                                  "cloud (https://<account>.blob.core.chinacloudapi.cn). For "
                                  "the Data Lake client, .blob. becomes .dfs."),
    "max_retries": Field(int, default_value=3,
                         description="How many times a failed request is retried (0: "
                                     "never)."),
    "retry_backoff_seconds": Field(float, default_value=2.0,
                                   description="The wait between two tries (give or "
                                               "take half of it)."),
}


def client_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The client keys of a processed config (those of :data:`CLIENT_FIELDS`), for
    :func:`make_blob_service_client` and :func:`make_data_lake_service_client`."""
    return {name: config[name] for name in CLIENT_FIELDS if config.get(name) is not None}


def account_urls(storage_account: str, endpoint: str | None,
                 place: ConfigPlace) -> tuple[str, str]:
    """``(blob_url, dfs_url)`` of the account: its public URLs, or those of ``endpoint``.

    Raises:
        AzureSettingsError: ``endpoint`` is not an http(s) URL.
    """
    if endpoint is None:
        return (f"https://{storage_account}.blob.core.windows.net",
                f"https://{storage_account}.dfs.core.windows.net")
    if not endpoint.startswith(("http://", "https://")):
        raise AzureSettingsError(
            f"endpoint in {place.path} ({place.owner}) is {endpoint!r}, not a URL. Give the "
            "account URL, e.g. https://<account>.blob.core.windows.net, or "
            "http://127.0.0.1:10000/devstoreaccount1 for an emulator.")
    url = endpoint.rstrip("/")
    return url.replace(".dfs.", ".blob.", 1), url.replace(".blob.", ".dfs.", 1)


def _credential(storage_account: str, credential: Mapping[str, Any],
                place: ConfigPlace) -> Any:
    (kind, value), = credential.items()
    if kind == "key":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise AzureCredentialsError(
                f"credential.key in {place.path} ({place.owner}) is not a storage account "
                "key: an account key is base64 text (az storage account keys list). Check "
                "the value of the variable it is read from.") from None
        from azure.core.credentials import AzureNamedKeyCredential

        return AzureNamedKeyCredential(storage_account, value)
    if kind == "sas":
        from azure.core.credentials import AzureSasCredential

        return AzureSasCredential(value.lstrip("?"))
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(**value)


class _HideSasSignatures(logging.Filter):
    """Replaces the signature of a SAS token in a log line's URLs by ``REDACTED``."""

    _SIGNATURE = re.compile(r"([?&]sig=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "sig=" in message:
            record.msg, record.args = self._SIGNATURE.sub(r"\1REDACTED", message), ()
        return True


# azure-core's request log redacts the query string itself; urllib3's DEBUG line for each
# request shows the URL whole, a SAS token's signature included.
_URL_LOGGERS = ("urllib3.connectionpool",)


def _hide_sas_signatures() -> None:
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _HideSasSignatures) for f in logger.filters):
            logger.addFilter(_HideSasSignatures())


def _retry_policy(package: Any, max_retries: int, retry_backoff_seconds: float) -> Any:
    # The storage clients' default retries 3 times from 15 s, growing: about a minute
    # before an error about an endpoint where nothing listens. Ours waits the configured
    # time (give or take half of it) between tries.
    return package.LinearRetry(backoff=retry_backoff_seconds, retry_total=max_retries,
                               random_jitter_range=retry_backoff_seconds / 2,
                               retry_to_secondary=False)


def _make(package: Any, client_class: Any, url_index: int, place: ConfigPlace,
          storage_account: str | None, credential: Mapping[str, Any], endpoint: str | None,
          max_retries: int, retry_backoff_seconds: float) -> Any:
    _hide_sas_signatures()
    options = {"retry_policy": _retry_policy(package, max_retries, retry_backoff_seconds)}
    if "connection_string" in credential:
        if endpoint is not None:
            raise AzureSettingsError(
                f"{place.owner} sets both endpoint and credential.connection_string (in "
                f"{place.path}); a connection string names its own endpoints. Leave "
                "endpoint out, or give credential.key or credential.sas instead.")
        try:
            return client_class.from_connection_string(credential["connection_string"],
                                                       **options)
        except ValueError:
            # The SDK's message is generic; ours names the setting (and not the value).
            raise AzureSettingsError(
                f"credential.connection_string in {place.path} ({place.owner}) is not a "
                "storage connection string (AccountName=...;AccountKey=...;EndpointSuffix="
                "... or BlobEndpoint=...). Copy it from the portal or az storage account "
                "show-connection-string.") from None
    if not storage_account:
        raise AzureSettingsError(
            f"{place.owner} names no storage account: set storage_account in {place.path} "
            "(or give credential.connection_string, which names it).")
    url = account_urls(storage_account, endpoint, place)[url_index]
    return client_class(url, credential=_credential(storage_account, credential, place),
                        **options)


def make_blob_service_client(place: ConfigPlace, *, storage_account: str | None = None,
                             credential: Mapping[str, Any], endpoint: str | None = None,
                             max_retries: int = 3, retry_backoff_seconds: float = 2.0) -> Any:
    """An ``azure.storage.blob.BlobServiceClient`` made from Headwater settings.

    Args:
        place: Whose settings these are, for error messages.
        storage_account ... retry_backoff_seconds: As the keys of :data:`CLIENT_FIELDS`;
            ``credential`` is the selector's value, e.g. ``{"key": "..."}``.

    Raises:
        AzureCredentialsError: ``credential.key`` is not base64.
        AzureSettingsError: No storage account is named, the endpoint or the connection
            string is malformed, or both are given.
    """
    from azure.storage import blob

    return _make(blob, blob.BlobServiceClient, 0, place, storage_account, credential, endpoint,
                 max_retries, retry_backoff_seconds)


def make_data_lake_service_client(place: ConfigPlace, *, storage_account: str | None = None,
                                  credential: Mapping[str, Any], endpoint: str | None = None,
                                  max_retries: int = 3,
                                  retry_backoff_seconds: float = 2.0) -> Any:
    """An ``azure.storage.filedatalake.DataLakeServiceClient`` made from Headwater settings
    (the arguments and errors are those of :func:`make_blob_service_client`)."""
    from azure.storage import filedatalake

    return _make(filedatalake, filedatalake.DataLakeServiceClient, 1, place, storage_account, credential, endpoint,
                 max_retries, retry_backoff_seconds)
