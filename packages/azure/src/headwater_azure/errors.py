"""Every error headwater-azure raises, and the translation of Azure client errors into them.

The Azure Storage clients report a missing container, a rejected key or an endpoint where
nothing listens as an ``HttpResponseError`` or ``ServiceRequestError`` that names an HTTP
status and an error code, not the setting to fix. :func:`azure_errors` turns those into
errors that name the container and blob, the resource or component whose settings are
wrong, and the config keys to check. Messages never contain a key, a SAS token or a
connection string.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from headwater import HeadwaterError
from headwater.integration import ConfigPlace


class HeadwaterAzureError(HeadwaterError):
    """Base class of the errors headwater-azure raises."""


class AzureContainerNotFoundError(HeadwaterAzureError):
    """A container (an ADLS Gen2 file system) that settings name does not exist.

    Attributes:
        container: The container.
        blob: The blob that was being read or written, if any.
    """

    def __init__(self, message: str, container: str, blob: str | None) -> None:
        super().__init__(message)
        self.container = container
        self.blob = blob


class AzureBlobNotFoundError(HeadwaterAzureError):
    """A blob (an ADLS Gen2 file) that was expected to exist does not.

    Attributes:
        container: The container.
        blob: The missing blob.
    """

    def __init__(self, message: str, container: str, blob: str | None) -> None:
        super().__init__(message)
        self.container = container
        self.blob = blob


class AzureBlobExistsError(HeadwaterAzureError):
    """A blob would be overwritten where settings say not to."""


class AzureCredentialsError(HeadwaterAzureError):
    """Azure rejected the credential, none was found, or the one given cannot be used."""


class AzureAccessDeniedError(HeadwaterAzureError):
    """The credential is valid but not allowed to do what was asked."""


class AzureEndpointUnreachableError(HeadwaterAzureError):
    """Nothing answered at the endpoint a client was sending requests to, after retries.

    Attributes:
        endpoint: The account URL the client was using.
    """

    def __init__(self, message: str, endpoint: str | None) -> None:
        super().__init__(message)
        self.endpoint = endpoint


class AzureSettingsError(HeadwaterAzureError):
    """Settings that cannot make a client: a malformed endpoint or connection string."""


# Error codes Azure Storage answers when it does not accept the credential. Azurite
# answers AuthorizationFailure for a wrong key; Azure answers AuthenticationFailed.
CREDENTIAL_ERROR_CODES = frozenset({
    "AuthenticationFailed", "AuthorizationFailure", "InvalidAuthenticationInfo",
    "NoAuthenticationInformation",
})
ACCESS_DENIED_CODES = frozenset({
    "AuthorizationPermissionMismatch", "AuthorizationResourceTypeMismatch",
    "AuthorizationServiceMismatch", "AuthorizationProtocolMismatch",
    "AuthorizationSourceIPMismatch", "InsufficientAccountPermissions",
})
MISSING_CONTAINER_CODES = frozenset({"ContainerNotFound", "FilesystemNotFound"})
MISSING_BLOB_CODES = frozenset({"BlobNotFound", "PathNotFound"})


def error_code(error: BaseException) -> str | None:
    """The Azure Storage error code of a client error (None when it has none)."""
    code = getattr(error, "error_code", None)
    if code is None:
        return None
    return str(getattr(code, "value", code))


def translate_azure_error(error: BaseException, action: str, place: ConfigPlace,
                          container: str | None = None, blob: str | None = None,
                          container_setting: str = "the container setting",
                          missing_blob_hint: str = "",
                          endpoint: str | None = None) -> BaseException:
    """The Headwater error for an Azure client error, or ``error`` itself when it has none.

    Args:
        error: What the Azure client raised.
        action: What was being done, for the message ("writing blob x of container y").
        place: Whose settings made the client.
        container / blob: The blob involved, if any.
        container_setting: The setting that named the container.
        missing_blob_hint: Appended to the message when the blob does not exist.
        endpoint: The account URL the client sent requests to.
    """
    from azure.core import exceptions

    if isinstance(error, exceptions.ServiceRequestError):
        return AzureEndpointUnreachableError(
            f"Could not connect to {endpoint} while {action}: nothing answered at that "
            f"address, also after retrying (max_retries in {place.path}). Check endpoint in "
            f"{place.path} ({place.owner}): is the storage account, or its local emulator, "
            "reachable there?", endpoint)
    code = error_code(error)
    if code in MISSING_CONTAINER_CODES:
        return AzureContainerNotFoundError(
            f'The container "{container}" does not exist, so {action} failed'
            f'{f" (blob {blob!r})" if blob else ""}. Create it (az storage container create '
            f"--name {container}), or set {container_setting} to a container that exists.",
            container or "", blob)
    if code in MISSING_BLOB_CODES or (
            code is None and isinstance(error, exceptions.ResourceNotFoundError)
            and blob is not None):
        return AzureBlobNotFoundError(
            f'There is no blob "{blob}" in container "{container}", so {action} failed.'
            f"{' ' + missing_blob_hint if missing_blob_hint else ''}", container or "", blob)
    if code in CREDENTIAL_ERROR_CODES:
        return AzureCredentialsError(
            f"Azure Storage did not accept the credential of {place.owner} ({code}) while "
            f"{action}. Check credential in {place.path}: the account key, SAS token or "
            "connection string must belong to storage_account (a SAS token must also still "
            "be valid and allow this operation).")
    if code in ACCESS_DENIED_CODES:
        return AzureAccessDeniedError(
            f"Azure Storage denied {action} to the credential of {place.owner} ({code}). "
            f"Grant it the permission (e.g. the Storage Blob Data Contributor role), or check "
            f"which credential is used (credential in {place.path}).")
    if code is None and isinstance(error, exceptions.ClientAuthenticationError):
        # azure-identity found no credential (or could not get a token with it).
        return AzureCredentialsError(
            f"No Azure credential could be used for {place.owner} while {action}: "
            f"{error.message.splitlines()[0] if error.message else type(error).__name__}. "
            f"Set credential in {place.path} (key, sas or connection_string, as "
            "{env: VARIABLE}), or sign in the way DefaultAzureCredential looks for "
            "(AZURE_CLIENT_ID and friends, a managed identity, az login).")
    return error


@contextlib.contextmanager
def azure_errors(action: str, place: ConfigPlace, container: str | None = None,
                 blob: str | None = None, container_setting: str = "the container setting",
                 missing_blob_hint: str = "", endpoint: str | None = None) -> Iterator[None]:
    """Raise the Headwater error for any Azure client error raised inside the block (the
    arguments are those of :func:`translate_azure_error`).

    Example:
        >>> with azure_errors(f"writing {blob}", place, container, blob):
        ...     client.get_blob_client(container, blob).upload_blob(data)
    """
    try:
        yield
    except Exception as error:
        translated = translate_azure_error(error, action, place, container, blob,
                                           container_setting, missing_blob_hint, endpoint)
        if translated is error:
            raise
        # A connection error's text holds the request's URL, a SAS token's signature
        # included: neither it nor a rejected credential's error is chained.
        hidden = isinstance(translated, (AzureCredentialsError, AzureEndpointUnreachableError))
        raise translated from (None if hidden else error)
