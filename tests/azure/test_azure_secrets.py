"""Secrets given through StringSource never reach a log line, an event or an error: the
run records where a secret comes from, not the secret."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

import pytest
from azure.storage.blob import ContainerSasPermissions, generate_container_sas
from azure_pipelines import sum_pipeline
from azure_stand_ins import ACCOUNT, ACCOUNT_KEY, free_port

from headwater import execute_pipeline
from headwater.instance import instance_for_test
from headwater.integration import serialize

SAS_ENV = "AZURE_STORAGE_SAS"


@pytest.fixture
def sas(container, monkeypatch):
    """A container SAS token, in the environment where the run config reads it from."""
    token = generate_container_sas(ACCOUNT, container, account_key=ACCOUNT_KEY,
                                   permission=ContainerSasPermissions(read=True, write=True),
                                   expiry=datetime.now(UTC) + timedelta(hours=1))
    monkeypatch.setenv(SAS_ENV, token)
    return token


def signatures(token: str) -> set[str]:
    """The secret part of a SAS token (its other fields are not secret): as the token
    carries it, decoded, and fully URL-encoded."""
    signature = next(part[len("sig="):] for part in token.split("&")
                     if part.startswith("sig="))
    return {signature, unquote(signature), quote(unquote(signature), safe="")}


def run_config(container: str, endpoint: str) -> dict:
    return {"resources": {
        "io_manager": {"config": {"adls2_file_system": container}},
        "adls2": {"config": {"storage_account": ACCOUNT, "credential": {"sas": {"env": SAS_ENV}},
                             "endpoint": endpoint, "use_blob_api": True, "max_retries": 0}},
    }}


def everything_recorded(instance, run_id: str, caplog) -> str:
    """The run's stored record and events (errors with their causes), and every log line
    of the process, as text."""
    record = instance.get_run_by_id(run_id)
    events = [serialize(record.entry) for record in instance.get_event_records(run_id)]
    lines = [record.getMessage() for record in caplog.records]
    return "\n".join([json.dumps(record.run_config), *events, *lines])


def test_a_run_signed_with_a_sas_token_records_no_part_of_it(azurite, container, sas, caplog):
    with caplog.at_level(logging.DEBUG), instance_for_test() as instance:
        result = execute_pipeline(sum_pipeline, run_config=run_config(container, azurite),
                                  instance=instance)
        recorded = everything_recorded(instance, result.run_id, caplog)
    assert result.success
    assert "AZURE_STORAGE_SAS" in recorded  # the run config names the variable...
    assert not any(sig in recorded for sig in signatures(sas))  # ...and nothing its value


def test_a_run_that_cannot_reach_the_endpoint_records_no_part_of_the_sas_token(
        container, sas, caplog):
    nowhere = f"http://127.0.0.1:{free_port()}/{ACCOUNT}"
    with caplog.at_level(logging.DEBUG), instance_for_test() as instance:
        result = execute_pipeline(sum_pipeline, run_config=run_config(container, nowhere),
                                  instance=instance, raise_on_error=False)
        recorded = everything_recorded(instance, result.run_id, caplog)
    assert not result.success
    assert "Could not connect to" in recorded
    assert not any(sig in recorded for sig in signatures(sas))
