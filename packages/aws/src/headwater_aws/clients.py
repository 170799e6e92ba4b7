"""boto3 clients made from Headwater config: one set of config keys, one factory.

Every AWS client this package makes (S3, CloudWatch Logs, EMR) is made here, so that
region, endpoint, profile, retries and credentials mean the same for all of them.
Credentials left out of the config come from boto3's usual chain: environment variables,
the shared credentials file and profiles, the instance or task role. They are never
logged, and no error message shows them.

boto3 is imported when the first client is made, not when this module is imported: loading
the plugin stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater import Field, StringSource
from headwater_aws.errors import AwsCredentialsError, AwsSettingsError, ConfigPlace

CONNECTION_FIELDS = {
    "region_name": Field(StringSource, is_required=False,
                         description="The AWS region, e.g. us-east-1 (default: boto3's "
                                     "chain: AWS_DEFAULT_REGION, the profile's region)."),
    "endpoint_url": Field(StringSource, is_required=False,
                          description="Send requests here instead of AWS (an S3-compatible "
                                      "store, a VPC endpoint, a local stand-in). Default: "
                                      "AWS_ENDPOINT_URL, else the service's own endpoint."),
    "profile_name": Field(StringSource, is_required=False,
                          description="The profile of ~/.aws/config and ~/.aws/credentials "
                                      "to use (default: AWS_PROFILE, else 'default')."),
    "use_unsigned_session": Field(bool, default_value=False,
                                  description="Send unsigned requests (public buckets)."),
    "max_attempts": Field(int, default_value=5,
                          description="How many times a request is tried in all, retries "
                                      "included (1: never retry)."),
}
CREDENTIAL_FIELDS = {
    "aws_access_key_id": Field(StringSource, is_required=False,
                               description="Give as {env: VARIABLE}. Default: boto3's chain."),
    "aws_secret_access_key": Field(StringSource, is_required=False,
                                   description="Give as {env: VARIABLE}. Default: boto3's "
                                               "chain."),
    "aws_session_token": Field(StringSource, is_required=False,
                               description="For temporary credentials; give as "
                                           "{env: VARIABLE}."),
}
# The config keys of any AWS client: what s3_resource takes, and what other definitions
# add to their own keys.
CLIENT_FIELDS = {**CONNECTION_FIELDS, **CREDENTIAL_FIELDS}


def client_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The client keys of a processed config (those of :data:`CLIENT_FIELDS`), for
    :func:`make_client`."""
    return {name: config[name] for name in CLIENT_FIELDS if config.get(name) is not None}


def make_client(service: str, place: ConfigPlace, *, region_name: str | None = None,
                endpoint_url: str | None = None, profile_name: str | None = None,
                use_unsigned_session: bool = False, max_attempts: int = 5,
                aws_access_key_id: str | None = None, aws_secret_access_key: str | None = None,
                aws_session_token: str | None = None, **client_kwargs: Any) -> Any:
    """A boto3 client for ``service`` ("s3", "logs", "emr") made from Headwater settings.

    Args:
        service: The boto3 service name.
        place: Whose settings these are, for error messages.
        region_name ... aws_session_token: As the keys of :data:`CLIENT_FIELDS`; None
            leaves each to boto3's usual chain.
        **client_kwargs: Passed to ``session.client`` (``verify``, ``use_ssl``).

    Raises:
        AwsCredentialsError: Only one of the key id and the secret is set.
        AwsSettingsError: The profile does not exist, or no region is set anywhere for a
            service that needs one.
    """
    if (aws_access_key_id is None) != (aws_secret_access_key is None):
        given, missing = (("aws_access_key_id", "aws_secret_access_key")
                          if aws_secret_access_key is None
                          else ("aws_secret_access_key", "aws_access_key_id"))
        raise AwsCredentialsError(
            f"{place.owner} sets {given} but not {missing} (in {place.path}). Set both, or "
            "neither to take credentials from the environment.")
    import boto3
    from botocore import UNSIGNED, exceptions
    from botocore.config import Config

    try:
        session = boto3.session.Session(
            aws_access_key_id=aws_access_key_id, aws_secret_access_key=aws_secret_access_key,
            aws_session_token=aws_session_token, region_name=region_name,
            profile_name=profile_name)
    except exceptions.ProfileNotFound:
        raise AwsSettingsError(
            f'The AWS profile "{profile_name}" ({place.owner}, profile_name in {place.path}) '
            "is not in ~/.aws/config or ~/.aws/credentials. Add it, or name one that "
            "exists.") from None
    config = Config(retries={"total_max_attempts": max_attempts, "mode": "standard"},
                    signature_version=UNSIGNED if use_unsigned_session else None)
    try:
        return session.client(service, endpoint_url=endpoint_url, config=config,
                              **client_kwargs)
    except exceptions.NoRegionError:
        raise AwsSettingsError(
            f"No AWS region is set for {place.owner}, and the {service} client needs one. "
            f"Set region_name in {place.path}, or AWS_DEFAULT_REGION.") from None
