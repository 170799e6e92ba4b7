"""Bad settings fail with errors naming the setting and the fix, never the secret, and an
unreachable endpoint fails within the configured timeout."""

from __future__ import annotations

import json
import time

import pytest
from gcp_stand_ins import free_port

from headwater import ModeDefinition, execute_pipeline, pipeline
from headwater_gcp import (
    ConfigPlace,
    GcpCredentialsError,
    GcpEndpointUnreachableError,
    bigquery_resource,
    bq_solid_for_queries,
    make_bigquery_client,
    make_storage_client,
)
from headwater_gcp.gcs_io_manager import PickledObjectGCSIOManager

PLACE = ConfigPlace('the "gcs" resource', "resources.gcs.config")


def test_a_key_that_is_not_json_is_refused_without_showing_it():
    with pytest.raises(GcpCredentialsError) as raised:
        make_storage_client(PLACE, gcp_credentials="s3cr3t-not-json")
    assert str(raised.value).startswith("gcp_credentials is not JSON. Set gcp_credentials in "
                                        'resources.gcs.config (the "gcs" resource)')
    assert "s3cr3t" not in str(raised.value)


def test_json_that_is_not_a_service_account_key_is_refused():
    with pytest.raises(GcpCredentialsError, match="not a service-account key"):
        make_storage_client(PLACE, gcp_credentials=json.dumps({"type": "authorized_user"}))


def test_a_service_account_key_with_a_broken_private_key_is_refused_without_showing_it():
    key = {"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com",
           "private_key": "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n",
           "token_uri": "https://oauth2.googleapis.com/token", "project_id": "p"}
    with pytest.raises(GcpCredentialsError) as raised:
        make_storage_client(PLACE, gcp_credentials=json.dumps(key))
    assert "not a usable service-account key" in str(raised.value)
    assert "c2VjcmV0" not in str(raised.value)


def test_no_credentials_anywhere_names_every_way_to_give_them():
    with pytest.raises(GcpCredentialsError) as raised:
        make_storage_client(PLACE, project="p")
    message = str(raised.value)
    assert message.startswith('No Google credentials were found for the "gcs" resource (the '
                              "Cloud Storage client). Set gcp_credentials in "
                              "resources.gcs.config")
    assert "GOOGLE_APPLICATION_CREDENTIALS" in message
    assert "anonymous_credentials: true" in message


def test_an_unreachable_gcs_endpoint_fails_within_the_timeout_naming_it():
    endpoint = f"http://127.0.0.1:{free_port()}"
    client = make_storage_client(PLACE, project="p", api_endpoint=endpoint,
                                 anonymous_credentials=True, timeout_seconds=1.0)
    manager = PickledObjectGCSIOManager(client, "bucket", "runs")
    from headwater import build_output_context

    started = time.monotonic()
    with pytest.raises(GcpEndpointUnreachableError) as raised:
        manager.handle_output(build_output_context(step_key="s", name="result", run_id="r"), 1)
    assert time.monotonic() - started < 60  # not the client's default minutes of retries
    assert str(raised.value).startswith(f"Could not connect to {endpoint} within 1s while "
                                        'storing output "result" of step "s"')
    assert "Check api_endpoint in resources.gcs.config" in str(raised.value)


@pipeline(mode_defs=[ModeDefinition(resource_defs={"bigquery": bigquery_resource})])
def query_pipeline():
    bq_solid_for_queries(["SELECT 1"], name="one")()


def test_an_unreachable_bigquery_endpoint_fails_the_step_within_the_timeout():
    endpoint = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = execute_pipeline(query_pipeline, raise_on_error=False, run_config={"resources": {
        "bigquery": {"config": {"project": "p", "api_endpoint": endpoint,
                                "anonymous_credentials": True, "timeout_seconds": 1.0}}}})
    assert time.monotonic() - started < 60  # not the client's default ten minutes
    assert not result.success
    message = result.result_for_solid("one").failure_data.error.message
    assert f"Could not connect to {endpoint} within 1s while running a BigQuery query" in message
    assert "Check api_endpoint in resources.bigquery.config" in message


def test_bigquery_without_credentials_names_the_fix():
    with pytest.raises(GcpCredentialsError, match=r"the BigQuery client\). Set gcp_credentials"):
        make_bigquery_client(ConfigPlace('the "bigquery" resource',
                                         "resources.bigquery.config"), project="p")
