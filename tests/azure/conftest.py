"""The stand-in the Azure tests talk to: Azurite's Blob service, started once per test
session by ``node`` on 127.0.0.1 with a free port, telemetry off, data in a temporary
folder. Each test gets containers of its own. The clients reach it over HTTP like they
reach Azure.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid

import pytest
from azure.storage.blob import BlobServiceClient
from azure_stand_ins import (
    ACCOUNT,
    ACCOUNT_KEY,
    AZURITE_BLOB,
    AZURITE_DIR,
    KEY_ENV,
    free_port,
)


@pytest.fixture(autouse=True)
def azure_environment(monkeypatch):
    """The account key in the environment, where run config reads it from; nothing of the
    machine's own Azure settings."""
    for name in ("AZURE_STORAGE_CONNECTION_STRING", "AZURE_CLIENT_ID", "AZURE_TENANT_ID",
                 "AZURE_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(KEY_ENV, ACCOUNT_KEY)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory):
    """The account URL of an Azurite Blob service (``http://127.0.0.1:PORT/devstoreaccount1``)
    that lives for the test session."""
    node = shutil.which("node")
    if node is None or not AZURITE_BLOB.exists():
        pytest.fail(f"Azurite is not installed in {AZURITE_DIR} (or node is missing). Run "
                    "the tests with nox -s azure, which installs it, or: npm install --prefix "
                    f"{AZURITE_DIR} azurite@3.35.0")
    port = free_port()
    data = tmp_path_factory.mktemp("azurite")
    log = data / "azurite.log"
    # node itself, not npx: stopping a wrapper would leave the server running.
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [node, str(AZURITE_BLOB), "--blobHost", "127.0.0.1", "--blobPort", str(port),
             "--location", str(data), "--skipApiVersionCheck", "--loose",
             "--disableTelemetry", "--silent"],
            stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}/{ACCOUNT}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen, log, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Azurite exited with {process.returncode} before listening:\n"
                        f"{log.read_text(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"Azurite did not listen on port {port} within {timeout:g}s.")


@pytest.fixture
def blob_service(azurite):
    """The test's own Blob client, to look at what the code under test stored."""
    return BlobServiceClient(azurite, credential={"account_name": ACCOUNT,
                                                  "account_key": ACCOUNT_KEY})


def _new_container(blob_service, stem: str) -> str:
    name = f"{stem}-{uuid.uuid4().hex[:12]}"
    blob_service.create_container(name)
    return name


@pytest.fixture
def container(blob_service):
    """An empty container of the test's own (an ADLS Gen2 file system)."""
    return _new_container(blob_service, "outputs")


@pytest.fixture
def other_container(blob_service):
    """A second empty container."""
    return _new_container(blob_service, "other")


@pytest.fixture
def adls2_config(azurite):
    """Config of adls2_resource for Azurite: the key from the environment, the Blob API
    for writes (Azurite has no path API)."""
    return {"storage_account": ACCOUNT, "credential": {"key": {"env": KEY_ENV}},
            "endpoint": azurite, "use_blob_api": True, "max_retries": 1,
            "retry_backoff_seconds": 0.1}


@pytest.fixture
def adls2_run_config(adls2_config, container):
    """Run config for the ADLS2 IO manager and resource on Azurite."""
    return {"resources": {
        "io_manager": {"config": {"adls2_file_system": container, "adls2_prefix": "runs"}},
        "adls2": {"config": adls2_config},
    }}
