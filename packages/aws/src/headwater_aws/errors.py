"""Every error headwater-aws raises, and the translation of AWS client errors into them.

boto3 reports a missing bucket, rejected credentials or an endpoint where nothing listens
as a generic ``ClientError`` or connection error that names an operation, not the setting
to fix. :func:`aws_errors` turns those into errors that name the bucket and key, the
resource or component whose settings are wrong, and the config keys to check. Messages
never contain a credential.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlparse

from headwater import HeadwaterError
from headwater.integration import ConfigPlace


class HeadwaterAwsError(HeadwaterError):
    """Base class of the errors headwater-aws raises."""


class S3BucketNotFoundError(HeadwaterAwsError):
    """An S3 bucket that settings name does not exist.

    Attributes:
        bucket: The bucket.
        key: The key that was being read or written, if any.
    """

    def __init__(self, message: str, bucket: str, key: str | None) -> None:
        super().__init__(message)
        self.bucket = bucket
        self.key = key


class S3ObjectNotFoundError(HeadwaterAwsError):
    """An S3 object that was expected to exist does not.

    Attributes:
        bucket: The bucket.
        key: The missing key.
    """

    def __init__(self, message: str, bucket: str, key: str | None) -> None:
        super().__init__(message)
        self.bucket = bucket
        self.key = key


class AwsCredentialsError(HeadwaterAwsError):
    """AWS rejected the credentials, none were found, or the settings give half of them."""


class AwsAccessDeniedError(HeadwaterAwsError):
    """The credentials are valid but not allowed to do what was asked."""


class AwsEndpointUnreachableError(HeadwaterAwsError):
    """Nothing answered at the endpoint a client was sending requests to.

    Attributes:
        endpoint_url: The endpoint.
    """

    def __init__(self, message: str, endpoint_url: str | None) -> None:
        super().__init__(message)
        self.endpoint_url = endpoint_url


class AwsSettingsError(HeadwaterAwsError):
    """Settings that cannot make a client: no region, an unknown profile."""


class EmrError(HeadwaterAwsError):
    """An EMR cluster or step did not do what was asked (failed, timed out, not found)."""


class RedshiftError(HeadwaterAwsError):
    """Redshift could not be reached, or refused a query."""


# Error codes AWS services use for credentials they do not accept.
CREDENTIAL_ERROR_CODES = frozenset({
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId",
    "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
    "ExpiredToken", "ExpiredTokenException", "InvalidToken", "AuthFailure",
})
ACCESS_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException"})
MISSING_OBJECT_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def error_code(error: BaseException) -> str | None:
    """The AWS error code of a botocore ``ClientError`` (None for any other error)."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return None
    return response.get("Error", {}).get("Code")


def translate_aws_error(error: BaseException, action: str, place: ConfigPlace,
                        bucket: str | None = None, key: str | None = None,
                        bucket_setting: str = "the bucket setting",
                        missing_object_hint: str = "") -> BaseException:
    """The Headwater error for an AWS client error, or ``error`` itself when it has none.

    Args:
        error: What boto3 raised.
        action: What was being done, for the message ("writing s3://bucket/key").
        place: Whose settings made the client.
        bucket / key: The S3 object involved, if any.
        bucket_setting: The setting that named the bucket ("s3_bucket of the IO manager").
        missing_object_hint: Appended to the message when the object does not exist.
    """
    from botocore import exceptions

    if isinstance(error, (exceptions.EndpointConnectionError, exceptions.ConnectTimeoutError)):
        # botocore gives the request's URL; the endpoint is its scheme and address.
        parsed = urlparse(error.kwargs.get("endpoint_url") or "")
        url = f"{parsed.scheme}://{parsed.netloc}" if parsed.netloc else None
        return AwsEndpointUnreachableError(
            f"Could not connect to {url} while {action}: nothing answered at that address. "
            f"Check endpoint_url in {place.path} ({place.owner}): is the service, or its "
            "local stand-in, running and listening there?", url)
    if isinstance(error, exceptions.NoCredentialsError):
        return AwsCredentialsError(
            f"No AWS credentials were found for {place.owner} while {action}. Set "
            f"aws_access_key_id and aws_secret_access_key in {place.path} (as "
            "{env: VARIABLE}), or provide them the usual way: AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, a profile (AWS_PROFILE or profile_name), or an "
            "instance role.")
    code = error_code(error)
    if code is None:
        return error
    if code == "NoSuchBucket":
        return S3BucketNotFoundError(
            f'The S3 bucket "{bucket}" does not exist, so {action} failed'
            f'{f" (key {key!r})" if key else ""}. '
            f"Create the bucket (aws s3 mb s3://{bucket}), or set {bucket_setting} to a "
            "bucket that exists.", bucket or "", key)
    if code in MISSING_OBJECT_CODES and bucket is not None:
        return S3ObjectNotFoundError(
            f"There is no object s3://{bucket}/{key}, so {action} failed."
            f"{' ' + missing_object_hint if missing_object_hint else ''}", bucket, key)
    if code in CREDENTIAL_ERROR_CODES:
        return AwsCredentialsError(
            f"AWS did not accept the credentials of {place.owner} ({code}) while {action}. "
            f"Check aws_access_key_id and aws_secret_access_key (and aws_session_token, for "
            f"temporary credentials) in {place.path}; when they are not set there, the "
            "credentials come from the environment: AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, AWS_PROFILE or profile_name, ~/.aws/credentials.")
    if code in ACCESS_DENIED_CODES:
        return AwsAccessDeniedError(
            f"AWS denied {action} to the credentials of {place.owner} ({code}). Grant them "
            f"the permission, or check which credentials are used (aws_access_key_id in "
            f"{place.path}, else those of the environment).")
    return error


@contextlib.contextmanager
def aws_errors(action: str, place: ConfigPlace, bucket: str | None = None,
               key: str | None = None, bucket_setting: str = "the bucket setting",
               missing_object_hint: str = "") -> Iterator[None]:
    """Raise the Headwater error for any AWS client error raised inside the block (the
    arguments are those of :func:`translate_aws_error`).

    Example:
        >>> with aws_errors(f"writing s3://{bucket}/{key}", place, bucket, key):
        ...     s3.put_object(Bucket=bucket, Key=key, Body=data)
    """
    try:
        yield
    except Exception as error:
        translated = translate_aws_error(error, action, place, bucket, key, bucket_setting,
                                         missing_object_hint)
        if translated is error:
            raise
        raise translated from error
