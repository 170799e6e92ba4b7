"""get_blob_keys: the blobs a sensor has not handled yet, oldest first."""

from __future__ import annotations

import time

import pytest
from azure_stand_ins import connection_string

from headwater_azure import AzureContainerNotFoundError, AzureSettingsError, get_blob_keys


@pytest.fixture
def landing(blob_service, container):
    """A container holding three orders files and one other file."""
    client = blob_service.get_container_client(container)
    for name in ("orders/2024-01-01.csv", "orders/2024-01-02.csv", "orders/2024-01-03.csv",
                 "refunds/2024-01-01.csv"):
        client.upload_blob(name, b"")
    return container


def test_every_blob_under_the_prefix_is_listed_without_a_cursor(landing, blob_service):
    assert get_blob_keys(landing, prefix="orders/", blob_client=blob_service) == [
        "orders/2024-01-01.csv", "orders/2024-01-02.csv", "orders/2024-01-03.csv"]


def test_only_the_blobs_after_the_cursor_are_listed(landing, blob_service):
    assert get_blob_keys(landing, prefix="orders/", since_key="orders/2024-01-02.csv",
                         blob_client=blob_service) == ["orders/2024-01-03.csv"]


def test_a_cursor_that_is_no_longer_listed_gives_every_blob(landing, blob_service):
    assert len(get_blob_keys(landing, prefix="orders/", since_key="orders/deleted.csv",
                             blob_client=blob_service)) == 3


def write_in_a_later_second(blob_service, container: str, name: str) -> None:
    """Write ``name`` until its time (kept to the second) is after every other blob's."""
    latest = max(blob.last_modified
                 for blob in blob_service.get_container_client(container).list_blobs())
    blob = blob_service.get_blob_client(container, name)
    deadline = time.monotonic() + 30
    while blob.upload_blob(b"", overwrite=True)["last_modified"] <= latest:
        assert time.monotonic() < deadline, "the stand-in's clock did not move on"
        time.sleep(0.1)


def test_a_later_write_comes_after_the_earlier_ones(landing, blob_service):
    # Written last, though first by name: order is by time written, then by name.
    write_in_a_later_second(blob_service, landing, "orders/2023-12-31.csv")
    keys = get_blob_keys(landing, prefix="orders/", blob_client=blob_service)
    assert keys[-1] == "orders/2023-12-31.csv"


def test_without_a_client_the_connection_string_in_the_environment_is_used(
        landing, azurite, monkeypatch):
    monkeypatch.setenv("AZURE_STORAGE_CONNECTION_STRING", connection_string(azurite))
    assert get_blob_keys(landing, prefix="refunds/") == ["refunds/2024-01-01.csv"]


def test_without_a_client_or_a_connection_string_it_says_what_to_give():
    with pytest.raises(AzureSettingsError) as raised:
        get_blob_keys("landing")
    assert "Pass blob_client=context.resources.adls2.blob_client" in str(raised.value)


def test_a_missing_container_is_named(blob_service):
    with pytest.raises(AzureContainerNotFoundError) as raised:
        get_blob_keys("no-such-container", blob_client=blob_service)
    assert str(raised.value).startswith('The container "no-such-container" does not exist, '
                                        'so listing blobs under "" in container')
