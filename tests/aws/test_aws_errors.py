"""The mistakes people make with AWS settings fail with errors that say what to fix: a
bucket that does not exist, credentials AWS rejects, an endpoint where nothing listens."""

from __future__ import annotations

import pytest
from aws_pipelines import sum_pipeline
from aws_stand_ins import REGION, free_port

from headwater import execute_pipeline
from headwater_aws import (
    AwsCredentialsError,
    AwsEndpointUnreachableError,
    AwsSettingsError,
    S3BucketNotFoundError,
)

WRONG_SECRET = "wrong-secret-d0n7-5h0w-m3"


def run_with(s3_config: dict, bucket: str = "headwater-test"):
    return execute_pipeline(sum_pipeline, run_config={"resources": {
        "io_manager": {"config": {"s3_bucket": bucket, "s3_prefix": "runs"}},
        "s3": {"config": {"region_name": REGION, **s3_config}},
    }})


def test_a_missing_bucket_is_named_with_the_key_and_how_to_create_it(moto):
    with pytest.raises(S3BucketNotFoundError) as raised:
        run_with({"endpoint_url": moto}, bucket="no-such-bucket")
    message = str(raised.value)
    assert message.startswith('The S3 bucket "no-such-bucket" does not exist, so storing '
                              'output "result" of step "numbers" at s3://no-such-bucket/runs/'
                              "storage/")
    assert "/numbers/result" in raised.value.key
    assert message.endswith("Create the bucket (aws s3 mb s3://no-such-bucket), or set "
                            "s3_bucket in the config of s3_pickle_io_manager to a bucket "
                            "that exists.")


def test_an_unknown_access_key_names_the_resource_and_the_keys_to_check(
        authenticating_moto_server):
    endpoint, _ = authenticating_moto_server
    with pytest.raises(AwsCredentialsError) as raised:
        run_with({"endpoint_url": endpoint, "aws_access_key_id": "AKIAUNKNOWN",
                  "aws_secret_access_key": WRONG_SECRET})
    message = str(raised.value)
    assert message.startswith('AWS did not accept the credentials of the "s3" resource '
                              "(InvalidAccessKeyId) while storing output")
    assert "Check aws_access_key_id and aws_secret_access_key" in message
    assert "in resources.s3.config" in message
    assert WRONG_SECRET not in message


def test_a_wrong_secret_names_the_resource_and_never_shows_the_secret(
        authenticating_moto_server):
    endpoint, access_key_id = authenticating_moto_server
    with pytest.raises(AwsCredentialsError) as raised:
        run_with({"endpoint_url": endpoint, "aws_access_key_id": access_key_id,
                  "aws_secret_access_key": WRONG_SECRET})
    message = str(raised.value)
    assert "(SignatureDoesNotMatch)" in message
    assert "in resources.s3.config" in message
    assert WRONG_SECRET not in message


def test_an_endpoint_where_nothing_listens_is_named(moto):
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(AwsEndpointUnreachableError) as raised:
        run_with({"endpoint_url": nowhere, "max_attempts": 1})
    assert str(raised.value).startswith(f"Could not connect to {nowhere} while storing output")
    assert raised.value.endpoint_url == nowhere
    assert str(raised.value).endswith(
        ": nothing answered at that address. Check endpoint_url in resources.s3.config "
        '(the "s3" resource): is the service, or its local stand-in, running and listening '
        "there?")


def test_half_of_a_key_pair_is_refused_before_any_request(moto):
    with pytest.raises(AwsCredentialsError) as raised:
        run_with({"endpoint_url": moto, "aws_access_key_id": "AKIAONLYHALF"})
    assert str(raised.value) == (
        "s3_resource sets aws_access_key_id but not aws_secret_access_key (in "
        "resources.<key>.config). Set both, or neither to take credentials from the "
        "environment.")


def test_an_unknown_profile_is_named(moto):
    with pytest.raises(AwsSettingsError) as raised:
        run_with({"endpoint_url": moto, "profile_name": "nightly"})
    assert str(raised.value).startswith(
        'The AWS profile "nightly" (s3_resource, profile_name in resources.<key>.config) is '
        "not in ~/.aws/config or ~/.aws/credentials.")
