"""What a sensor needs to notice new files in GCS: the objects added since the last one seen.

A sensor keeps the last name it handled as its cursor and asks for the names after it::

    new_keys = get_gcs_keys("landing", prefix="orders/", since_key=cursor)
    for key in new_keys:
        ...  # one run request per file
    cursor = new_keys[-1] if new_keys else cursor
"""

from __future__ import annotations

from typing import Any

from headwater_gcp import gcs
from headwater_gcp.errors import ConfigPlace

_PLACE = ConfigPlace("get_gcs_keys", "the gcs_session given to it (or the environment)")


def get_gcs_keys(bucket: str, prefix: str = "", since_key: str | None = None,
                 gcs_session: Any = None) -> list[str]:
    """The object names under ``prefix``, oldest first; only those after ``since_key``.

    Objects are ordered by when they were last written, then by name.

    Args:
        bucket: The bucket.
        prefix: Only names starting with this.
        since_key: The last name already handled. When it is no longer listed (deleted, or
            outside ``prefix``), every name is returned, as nothing tells which are newer.
        gcs_session: A ``google.cloud.storage.Client`` (e.g. ``context.resources.gcs``); by
            default one made from the environment's settings.

    Returns:
        The names, oldest first.
    """
    if gcs_session is None:
        from headwater_gcp.clients import make_storage_client

        gcs_session = make_storage_client(_PLACE)
    blobs = gcs.list_blobs(gcs_session, bucket, prefix, f"listing gs://{bucket}/{prefix}",
                           _PLACE, "the bucket given to get_gcs_keys")
    names = [blob.name for blob in sorted(blobs, key=lambda b: (b.updated, b.name))]
    if since_key is None or since_key not in names:
        return names
    return names[names.index(since_key) + 1:]
