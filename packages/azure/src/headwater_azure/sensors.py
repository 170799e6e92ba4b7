"""What a sensor needs to notice new blobs: the names added since the last one seen.

A sensor keeps the last blob it handled as its cursor and asks for the names after it::

    new = get_blob_keys("landing", prefix="orders/", since_key=cursor,
                        blob_client=context.resources.adls2.blob_client)
    for name in new:
        ...  # one run request per file
    cursor = new[-1] if new else cursor
"""

from __future__ import annotations

import os
from typing import Any

from headwater_azure.errors import AzureSettingsError, ConfigPlace, azure_errors

CONNECTION_STRING_ENV = "AZURE_STORAGE_CONNECTION_STRING"
_PLACE = ConfigPlace("get_blob_keys", f"the blob_client given to it (or {CONNECTION_STRING_ENV})")


def get_blob_keys(container: str, prefix: str = "", since_key: str | None = None,
                  blob_client: Any = None) -> list[str]:
    """The blob names under ``prefix``, oldest first; only those after ``since_key`` when
    given.

    Names are ordered by their last-modified time, then by name (Azure keeps the time to
    the second, so blobs written in the same second come in name order).

    Args:
        container: The container (an ADLS Gen2 file system).
        prefix: Only names starting with this.
        since_key: The last name already handled. When it is no longer listed (deleted, or
            outside ``prefix``), every name is returned, as nothing tells which are newer.
        blob_client: A ``BlobServiceClient`` (e.g. ``context.resources.adls2.blob_client``);
            by default one made from the connection string in
            ``$AZURE_STORAGE_CONNECTION_STRING``.

    Returns:
        The names, oldest first.

    Raises:
        AzureSettingsError: No client is given and the variable is not set.
    """
    if blob_client is None:
        connection_string = os.environ.get(CONNECTION_STRING_ENV)
        if not connection_string:
            raise AzureSettingsError(
                f"get_blob_keys was given no blob_client, and {CONNECTION_STRING_ENV} is not "
                "set. Pass blob_client=context.resources.adls2.blob_client (or any "
                f"BlobServiceClient), or set {CONNECTION_STRING_ENV}.")
        from headwater_azure.clients import make_blob_service_client

        blob_client = make_blob_service_client(
            _PLACE, credential={"connection_string": connection_string})
    with azure_errors(f'listing blobs under "{prefix}" in container "{container}"', _PLACE,
                      container, container_setting="the container given to get_blob_keys",
                      endpoint=blob_client.url.rstrip("/")):
        blobs = list(blob_client.get_container_client(container)
                     .list_blobs(name_starts_with=prefix or None))
    names = [blob.name for blob in sorted(blobs, key=lambda b: (b.last_modified, b.name))]
    if since_key is None or since_key not in names:
        return names
    return names[names.index(since_key) + 1:]
