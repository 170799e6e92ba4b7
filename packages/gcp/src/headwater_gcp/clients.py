"""Google Cloud clients made from Headwater config: one set of keys, one factory per client.

Every client this package makes (Cloud Storage, BigQuery, Dataproc) is made here, so that
project, endpoint, credentials and timeout mean the same for all of them. Credentials left
out of the config come from Google's usual chain (``GOOGLE_APPLICATION_CREDENTIALS``,
gcloud's application-default login, the metadata server); a key given in config is the
JSON text of a service-account key, read as ``{env: VARIABLE}``. Credentials are never
logged, and no error message shows them.

The clients retry failed requests for minutes by default (BigQuery's retries a refused
connection for ten). Each client made here carries a ``timeout_seconds`` that bounds every
request and its retries together; :func:`request_options` gives the ``retry`` and
``timeout`` arguments to pass with each call.

The Google libraries are imported when the first client is made, not when this module is
imported: loading the plugin stays cheap.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from headwater import Field, Noneable, StringSource
from headwater_gcp.errors import ConfigPlace, GcpCredentialsError

DEFAULT_TIMEOUT_SECONDS = 60.0
# The attribute of a client made here that holds its timeout (clients made elsewhere get
# the default).
_TIMEOUT_ATTRIBUTE = "headwater_timeout_seconds"
_ENDPOINT_ATTRIBUTE = "headwater_endpoint"
BIGQUERY_EMULATOR_ENV = "BIGQUERY_EMULATOR_HOST"
STORAGE_EMULATOR_ENV = "STORAGE_EMULATOR_HOST"

CLIENT_FIELDS = {
    "project": Field(Noneable(StringSource), is_required=False,
                     description="The Google Cloud project (default: the credentials' "
                                 "project, or GOOGLE_CLOUD_PROJECT)."),
    "gcp_credentials": Field(StringSource, is_required=False,
                             description="A service-account JSON key, as text: give it as "
                                         "{env: VARIABLE}. Default: Google's usual chain "
                                         "(GOOGLE_APPLICATION_CREDENTIALS, gcloud's "
                                         "application-default login, the metadata server)."),
    "api_endpoint": Field(StringSource, is_required=False,
                          description="Send requests here instead of Google (a private "
                                      "endpoint, a local emulator), e.g. "
                                      "http://127.0.0.1:9050."),
    "anonymous_credentials": Field(bool, default_value=False,
                                   description="Send requests without credentials (local "
                                               "emulators)."),
    "timeout_seconds": Field(float, default_value=DEFAULT_TIMEOUT_SECONDS,
                             description="The longest a request may take, retries "
                                         "included: an unreachable endpoint fails after "
                                         "this long."),
}


def client_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The client keys of a processed config (those of :data:`CLIENT_FIELDS`)."""
    return {name: config[name] for name in CLIENT_FIELDS if config.get(name) is not None}


def load_credentials(place: ConfigPlace, gcp_credentials: str | None = None,
                     anonymous_credentials: bool = False) -> Any:
    """The credentials the settings give: anonymous, a service-account key, or None for
    Google's usual chain.

    Raises:
        GcpCredentialsError: ``gcp_credentials`` is not a service-account JSON key. The
            message never shows the key.
    """
    if anonymous_credentials:
        from google.auth.credentials import AnonymousCredentials

        return AnonymousCredentials()
    if gcp_credentials is None:
        return None
    from google.oauth2 import service_account

    fix = (f"Set gcp_credentials in {place.path} ({place.owner}) to the whole text of a "
           "service-account JSON key (as {env: VARIABLE}), or leave it out to use "
           "GOOGLE_APPLICATION_CREDENTIALS.")
    try:
        info = json.loads(gcp_credentials)
    except ValueError:
        raise GcpCredentialsError(f"gcp_credentials is not JSON. {fix}") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise GcpCredentialsError(
            f'gcp_credentials is JSON but not a service-account key (no "type": '
            f'"service_account"). {fix}')
    try:
        return service_account.Credentials.from_service_account_info(info)
    except (ValueError, KeyError) as error:
        # The library's message can quote the key's fields; name only what is wrong.
        reason = f"missing field {error}" if isinstance(error, KeyError) else "unreadable"
        raise GcpCredentialsError(
            f"gcp_credentials is not a usable service-account key ({reason}). {fix}"
        ) from None


def _no_default_credentials(place: ConfigPlace, service: str) -> GcpCredentialsError:
    return GcpCredentialsError(
        f"No Google credentials were found for {place.owner} (the {service} client). Set "
        f"gcp_credentials in {place.path} to a service-account JSON key (as "
        "{env: VARIABLE}), point GOOGLE_APPLICATION_CREDENTIALS at a key file, run "
        "`gcloud auth application-default login`, or, for a local emulator, set "
        "anonymous_credentials: true.")


def _make(factory: Any, place: ConfigPlace, service: str) -> Any:
    from google.auth import exceptions as auth

    try:
        return factory()
    except auth.DefaultCredentialsError:
        raise _no_default_credentials(place, service) from None


def _mark(client: Any, timeout_seconds: float, endpoint: str | None) -> Any:
    setattr(client, _TIMEOUT_ATTRIBUTE, timeout_seconds)
    setattr(client, _ENDPOINT_ATTRIBUTE, endpoint)
    return client


def timeout_of(client: Any) -> float:
    """The ``timeout_seconds`` a client was made with (the default for other clients)."""
    return getattr(client, _TIMEOUT_ATTRIBUTE, DEFAULT_TIMEOUT_SECONDS)


def endpoint_of(client: Any) -> str | None:
    """Where a client made here sends requests (None: Google's own endpoint)."""
    return getattr(client, _ENDPOINT_ATTRIBUTE, None)


def request_options(client: Any, retry: Any) -> dict[str, Any]:
    """``retry`` and ``timeout`` keyword arguments bounding one call to ``timeout_of``.

    Args:
        client: A client made here (or any client: the default timeout applies).
        retry: The library's default retry (``google.cloud.storage.retry.DEFAULT_RETRY``,
            ``google.cloud.bigquery.DEFAULT_RETRY``), shortened to the timeout.
    """
    timeout = timeout_of(client)
    return {"retry": retry.with_timeout(timeout), "timeout": timeout}


def make_storage_client(place: ConfigPlace, *, project: str | None = None,
                        gcp_credentials: str | None = None, api_endpoint: str | None = None,
                        anonymous_credentials: bool = False,
                        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> Any:
    """A ``google.cloud.storage.Client`` made from Headwater settings.

    Without ``api_endpoint``, ``STORAGE_EMULATOR_HOST`` is honoured as the library does
    (requests go there, without credentials).
    """
    from google.api_core.client_options import ClientOptions
    from google.cloud import storage

    credentials = load_credentials(place, gcp_credentials, anonymous_credentials)
    options = ClientOptions(api_endpoint=api_endpoint) if api_endpoint else None
    endpoint = api_endpoint or os.environ.get(STORAGE_EMULATOR_ENV)
    if endpoint and not api_endpoint and project is None:
        project = "headwater"  # the emulator needs a project name, any will do
    client = _make(lambda: storage.Client(project=project, credentials=credentials,
                                          client_options=options), place, "Cloud Storage")
    return _mark(client, timeout_seconds, endpoint)


def bigquery_endpoint(api_endpoint: str | None) -> tuple[str | None, bool]:
    """``(endpoint, is_emulator)``: the configured endpoint, else that of
    ``BIGQUERY_EMULATOR_HOST`` (an emulator: no credentials are sent to it)."""
    if api_endpoint:
        return api_endpoint, False
    emulator = os.environ.get(BIGQUERY_EMULATOR_ENV)
    if emulator:
        return (emulator if "://" in emulator else f"http://{emulator}"), True
    return None, False


def make_bigquery_client(place: ConfigPlace, *, project: str | None = None,
                         location: str | None = None, gcp_credentials: str | None = None,
                         api_endpoint: str | None = None, anonymous_credentials: bool = False,
                         timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> Any:
    """A ``google.cloud.bigquery.Client`` made from Headwater settings.

    Without ``api_endpoint``, ``BIGQUERY_EMULATOR_HOST`` (``host:port``) sends requests to
    an emulator there, without credentials, as ``STORAGE_EMULATOR_HOST`` does for GCS.
    """
    from google.api_core.client_options import ClientOptions
    from google.cloud import bigquery

    endpoint, is_emulator = bigquery_endpoint(api_endpoint)
    credentials = load_credentials(place, gcp_credentials,
                                   anonymous_credentials or (is_emulator and not gcp_credentials))
    if is_emulator and project is None:
        project = os.environ.get("GOOGLE_CLOUD_PROJECT", "headwater")
    options = ClientOptions(api_endpoint=endpoint) if endpoint else None
    client = _make(lambda: bigquery.Client(project=project, location=location,
                                           credentials=credentials, client_options=options),
                   place, "BigQuery")
    return _mark(client, timeout_seconds, endpoint)


def make_dataproc_clients(place: ConfigPlace, region: str, *,
                          gcp_credentials: str | None = None, api_endpoint: str | None = None,
                          anonymous_credentials: bool = False,
                          timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> tuple[Any, Any]:
    """``(ClusterControllerClient, JobControllerClient)`` over Dataproc's REST API.

    The endpoint defaults to the region's (``<region>-dataproc.googleapis.com``), as
    Dataproc requires for any region but ``global``.
    """
    from google.api_core.client_options import ClientOptions
    from google.cloud import dataproc_v1

    credentials = load_credentials(place, gcp_credentials, anonymous_credentials)
    endpoint = api_endpoint or (f"{region}-dataproc.googleapis.com" if region != "global"
                                else "dataproc.googleapis.com")
    options = ClientOptions(api_endpoint=endpoint)
    clients = []
    for kind in (dataproc_v1.ClusterControllerClient, dataproc_v1.JobControllerClient):
        made = _make(lambda kind=kind: kind(credentials=credentials, client_options=options,
                                            transport="rest"), place, "Dataproc")
        clients.append(_mark(made, timeout_seconds, endpoint))
    return clients[0], clients[1]


__all__ = ["CLIENT_FIELDS", "client_settings", "endpoint_of", "load_credentials",
           "make_bigquery_client", "make_dataproc_clients", "make_storage_client",
           "request_options", "timeout_of"]
