"""Every error headwater-gcp raises, and the translation of Google client errors into them.

The Google clients report a missing bucket, a refused connection or a rejected key as a
generic ``NotFound``, ``RetryError`` or ``RefreshError`` naming an HTTP request, not the
setting to fix. :func:`gcp_errors` turns them into errors that name the bucket, object or
table, whose settings made the client, and the config keys to check. Messages never
contain a credential.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from headwater import HeadwaterError
from headwater.integration import ConfigPlace


class HeadwaterGcpError(HeadwaterError):
    """Base class of the errors headwater-gcp raises."""


class GcsBucketNotFoundError(HeadwaterGcpError):
    """A GCS bucket that settings name does not exist.

    Attributes:
        bucket: The bucket.
        blob: The object that was being read or written, if any.
    """

    def __init__(self, message: str, bucket: str, blob: str | None) -> None:
        super().__init__(message)
        self.bucket = bucket
        self.blob = blob


class GcsObjectNotFoundError(HeadwaterGcpError):
    """A GCS object that was expected to exist does not.

    Attributes:
        bucket: The bucket.
        blob: The missing object's name.
    """

    def __init__(self, message: str, bucket: str, blob: str | None) -> None:
        super().__init__(message)
        self.bucket = bucket
        self.blob = blob


class GcpCredentialsError(HeadwaterGcpError):
    """Credentials that cannot be read, none found, or credentials Google refused."""


class GcpEndpointUnreachableError(HeadwaterGcpError):
    """Nothing answered at the endpoint a client sent requests to, within the timeout.

    Attributes:
        endpoint: The endpoint, when known.
    """

    def __init__(self, message: str, endpoint: str | None) -> None:
        super().__init__(message)
        self.endpoint = endpoint


class BigQueryError(HeadwaterGcpError):
    """BigQuery refused a query or a job, or a dataset or table is missing."""


class DataprocError(HeadwaterGcpError):
    """A Dataproc cluster or job did not do what was asked (failed, timed out, not found)."""


def _is_connection_error(error: BaseException) -> bool:
    import requests
    from google.api_core import exceptions as api
    from google.auth import exceptions as auth

    if isinstance(error, api.RetryError):
        # A retried call that never connected ends as a RetryError whose cause is the last
        # connection error.
        return error.cause is not None and _is_connection_error(error.cause)
    return isinstance(error, requests.exceptions.ConnectionError | requests.exceptions.Timeout
                      | auth.TransportError)


def unreachable(action: str, place: ConfigPlace, endpoint: str | None,
                timeout: float | None) -> GcpEndpointUnreachableError:
    """The error for a client that could not connect to ``endpoint`` while ``action``."""
    within = f" within {timeout:g}s" if timeout is not None else ""
    return GcpEndpointUnreachableError(
        f"Could not connect to {endpoint or 'the Google endpoint'}{within} while {action}: "
        f"nothing answered at that address. Check api_endpoint in {place.path} "
        f"({place.owner}; for GCS also STORAGE_EMULATOR_HOST): is the service, or its local "
        "stand-in, running and listening there? timeout_seconds there bounds the wait.",
        endpoint)


def credentials_refused(action: str, place: ConfigPlace, detail: str) -> GcpCredentialsError:
    """The error for credentials Google did not accept while ``action``."""
    return GcpCredentialsError(
        f"Google did not accept the credentials of {place.owner} while {action} ({detail}). "
        f"Check gcp_credentials in {place.path} (a service-account JSON key, given as "
        "{env: VARIABLE}); when it is not set, the credentials come from "
        "GOOGLE_APPLICATION_CREDENTIALS or gcloud's application-default login.")


def translate_gcp_error(error: BaseException, action: str, place: ConfigPlace,
                        endpoint: str | None = None, timeout: float | None = None,
                        bucket: str | None = None, blob: str | None = None,
                        bucket_setting: str = "the bucket setting",
                        missing_object_hint: str = "",
                        bucket_exists: bool | None = None) -> BaseException:
    """The Headwater error for a Google client error, or ``error`` itself when it has none.

    Args:
        error: What the client raised.
        action: What was being done, for the message ("writing gs://bucket/name").
        place: Whose settings made the client.
        endpoint / timeout: Where requests went and how long they were given.
        bucket / blob: The GCS object involved, if any.
        bucket_setting: The setting that named the bucket ("gcs_bucket of the IO manager").
        missing_object_hint: Appended to the message when the object does not exist.
        bucket_exists: For a 404 on an object: whether its bucket exists (None: a 404 means
            the bucket is missing, as for uploads).
    """
    from google.api_core import exceptions as api
    from google.auth import exceptions as auth

    if _is_connection_error(error):
        return unreachable(action, place, endpoint, timeout)
    if isinstance(error, auth.RefreshError | api.Unauthorized | api.Forbidden):
        return credentials_refused(action, place, type(error).__name__)
    if isinstance(error, api.NotFound) and bucket is not None:
        if blob is None or not bucket_exists:
            return GcsBucketNotFoundError(
                f'The GCS bucket "{bucket}" does not exist, so {action} failed'
                f'{f" (object {blob!r})" if blob else ""}. Create the bucket '
                f"(gcloud storage buckets create gs://{bucket}), or set {bucket_setting} "
                "to a bucket that exists.", bucket, blob)
        return GcsObjectNotFoundError(
            f"There is no object gs://{bucket}/{blob}, so {action} failed."
            f"{' ' + missing_object_hint if missing_object_hint else ''}", bucket, blob)
    return error


@contextlib.contextmanager
def gcp_errors(action: str, place: ConfigPlace, **details: object) -> Iterator[None]:
    """Raise the Headwater error for any Google client error raised inside the block (the
    keyword arguments are those of :func:`translate_gcp_error`).

    Example:
        >>> with gcp_errors(f"writing gs://{bucket}/{name}", place, bucket=bucket, blob=name):
        ...     client.bucket(bucket).blob(name).upload_from_string(data)
    """
    try:
        yield
    except HeadwaterGcpError:
        raise
    except Exception as error:
        translated = translate_gcp_error(error, action, place, **details)  # type: ignore[arg-type]
        if translated is error:
            raise
        raise translated from error
