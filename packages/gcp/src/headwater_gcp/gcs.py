"""Reading, writing and listing GCS objects with bounded retries and errors that name the
object and the setting to fix: what the IO manager, file manager, compute-log manager and
sensor function share."""

from __future__ import annotations

from typing import Any

from headwater_gcp.clients import endpoint_of, request_options, timeout_of
from headwater_gcp.errors import ConfigPlace, gcp_errors


def _retry() -> Any:
    from google.cloud.storage.retry import DEFAULT_RETRY

    return DEFAULT_RETRY


def _details(client: Any, bucket: str, name: str | None, bucket_setting: str) -> dict[str, Any]:
    return {"endpoint": endpoint_of(client), "timeout": timeout_of(client), "bucket": bucket,
            "blob": name, "bucket_setting": bucket_setting}


def write_bytes(client: Any, bucket: str, name: str, data: bytes, action: str,
                place: ConfigPlace, bucket_setting: str) -> None:
    """Store ``data`` at ``gs://bucket/name`` (a missing bucket is reported as such)."""
    with gcp_errors(action, place, **_details(client, bucket, name, bucket_setting)):
        client.bucket(bucket).blob(name).upload_from_string(
            data, **request_options(client, _retry()))


def read_bytes(client: Any, bucket: str, name: str, action: str, place: ConfigPlace,
               bucket_setting: str, missing_object_hint: str = "") -> bytes:
    """The bytes of ``gs://bucket/name``.

    Raises:
        GcsObjectNotFoundError: The bucket exists but not the object.
        GcsBucketNotFoundError: The bucket does not exist.
    """
    from google.api_core import exceptions as api

    with gcp_errors(action, place, **_details(client, bucket, name, bucket_setting)):
        try:
            return client.bucket(bucket).blob(name).download_as_bytes(
                **request_options(client, _retry()))
        except api.NotFound as error:
            missing = error
    # A 404 on download is the same for a missing bucket and a missing object: ask.
    with gcp_errors(f"checking that bucket {bucket} exists", place,
                    endpoint=endpoint_of(client), timeout=timeout_of(client)):
        exists = client.bucket(bucket).exists(**request_options(client, _retry()))
    with gcp_errors(action, place, missing_object_hint=missing_object_hint,
                    bucket_exists=exists, **_details(client, bucket, name, bucket_setting)):
        raise missing


def delete(client: Any, bucket: str, name: str, action: str, place: ConfigPlace) -> None:
    """Delete ``gs://bucket/name``; an object that is already gone is not an error."""
    from google.api_core import exceptions as api

    with gcp_errors(action, place, **_details(client, bucket, name, "the bucket")):
        try:
            client.bucket(bucket).blob(name).delete(**request_options(client, _retry()))
        except api.NotFound:
            return  # nothing to delete


def list_blobs(client: Any, bucket: str, prefix: str, action: str, place: ConfigPlace,
               bucket_setting: str) -> list[Any]:
    """Every object under ``prefix`` (``google.cloud.storage.Blob`` values)."""
    with gcp_errors(action, place, **_details(client, bucket, None, bucket_setting)):
        return list(client.list_blobs(bucket, prefix=prefix or None,
                                      **request_options(client, _retry())))
