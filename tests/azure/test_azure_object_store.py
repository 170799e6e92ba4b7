"""ADLS2ObjectStore: the files of one file system through the Blob API (the only one
Azurite has), and read, tested for and deleted through the Data Lake client (whose path
API writes and listings Azurite cannot answer)."""

from __future__ import annotations

import pytest
from azure_stand_ins import ACCOUNT, ACCOUNT_KEY

from headwater_azure import ADLS2Resource, ConfigPlace


def resource(azurite: str, use_blob_api: bool) -> ADLS2Resource:
    return ADLS2Resource({"storage_account": ACCOUNT, "credential": {"key": ACCOUNT_KEY},
                          "endpoint": azurite}, ConfigPlace("test", "test"),
                         use_blob_api=use_blob_api)


@pytest.fixture
def blob_api_store(azurite, container):
    return resource(azurite, use_blob_api=True).object_store(container)


@pytest.fixture
def path_api_store(azurite, container):
    return resource(azurite, use_blob_api=False).object_store(container)


def test_a_file_written_through_the_blob_api_is_a_blob(blob_api_store, blob_service,
                                                       container):
    blob_api_store.write("a/b.bin", b"\x00\x01")
    assert blob_service.get_blob_client(container, "a/b.bin").download_blob().readall() == \
        b"\x00\x01"


def test_the_data_lake_client_reads_what_the_blob_api_wrote(blob_api_store, path_api_store):
    blob_api_store.write("a/b.bin", b"payload")
    assert path_api_store.read("a/b.bin") == b"payload"


def test_the_data_lake_client_tells_whether_a_file_exists(blob_api_store, path_api_store):
    blob_api_store.write("a/b.bin", b"payload")
    assert (path_api_store.exists("a/b.bin"), path_api_store.exists("a/c.bin")) == (True, False)


def test_the_data_lake_client_deletes_a_file(blob_api_store, path_api_store):
    blob_api_store.write("a/b.bin", b"payload")
    path_api_store.delete("a/b.bin")
    assert not blob_api_store.exists("a/b.bin")


def test_the_blob_api_tells_whether_a_file_exists(blob_api_store):
    blob_api_store.write("a/b.bin", b"payload")
    assert (blob_api_store.exists("a/b.bin"), blob_api_store.exists("a/c.bin")) == (True, False)


def test_the_blob_api_deletes_a_file(blob_api_store, path_api_store):
    blob_api_store.write("a/b.bin", b"payload")
    blob_api_store.delete("a/b.bin")
    assert not path_api_store.exists("a/b.bin")


@pytest.mark.parametrize("api", ["blob_api_store", "path_api_store"])
def test_deleting_a_file_that_is_gone_is_not_an_error(api, request):
    store = request.getfixturevalue(api)
    store.delete("never/written.bin")
    assert not store.exists("never/written.bin")


def test_writing_again_replaces_the_file(blob_api_store):
    blob_api_store.write("same.bin", b"first")
    blob_api_store.write("same.bin", b"second")
    assert blob_api_store.read("same.bin") == b"second"


def test_listing_through_the_blob_api_keeps_the_names_under_the_prefix(blob_api_store):
    for name in ("runs/1/a", "runs/1/b", "runs/10/a", "other/x"):
        blob_api_store.write(name, b"")
    assert sorted(f.name for f in blob_api_store.list("runs/1/")) == ["runs/1/a", "runs/1/b"]
