"""The stand-ins the GCP tests talk to, all on 127.0.0.1 with free ports, started once per
test session.

* gcp-storage-emulator (GCS), storing objects on disk under a session folder, emptied
  before each test. The storage client finds it through STORAGE_EMULATOR_HOST.
* bqemulator (BigQuery), started through ``bq_launcher.py`` (no extension downloads), which
  reads ``gs://`` URIs from the GCS emulator's folder: a load from GCS is a real round
  trip through both. Each test gets datasets of its own.
* A loopback stand-in of Dataproc's REST API (``dataproc_stand_in.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from dataproc_stand_in import DataprocStandIn, serve
from gcp_stand_ins import PROJECT, free_port, wait_for_port

HERE = Path(__file__).resolve().parent

# google-auth reads this once, when it is imported: without it, looking for credentials
# asks the metadata server at 169.254.169.254 (which only loopback-guarded tests refuse).
os.environ["NO_GCE_CHECK"] = "true"


@pytest.fixture(scope="session")
def gcs_folder(tmp_path_factory) -> Path:
    """Where the GCS emulator keeps objects (``<folder>/.cloudstorage/<bucket>/<name>``)."""
    return tmp_path_factory.mktemp("gcs")


@pytest.fixture(scope="session")
def gcs_server(gcs_folder):
    """The endpoint URL of a gcp-storage-emulator for the test session."""
    port = free_port()
    executable = os.path.join(os.path.dirname(sys.executable), "gcp-storage-emulator")
    process = subprocess.Popen([executable, "start", "--host", "127.0.0.1", "--port", str(port),
                                "--quiet"], env={**os.environ, "STORAGE_BASE": str(gcs_folder)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, "gcp-storage-emulator")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def bigquery_server(gcs_folder, tmp_path_factory):
    """The REST endpoint URL of a bqemulator for the test session."""
    rest, grpc = free_port(), free_port()
    log = tmp_path_factory.mktemp("bq") / "bqemulator.log"
    env = {**os.environ, "BQEMU_GCS_LOCAL_ROOT": str(gcs_folder / ".cloudstorage")}
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "bq_launcher.py"), "start", "--rest-host", "127.0.0.1",
             "--rest-port", str(rest), "--grpc-host", "127.0.0.1", "--grpc-port", str(grpc),
             "--ephemeral", "--project", PROJECT, "--log-level", "warning"],
            env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for_port(rest, process, f"bqemulator (log: {log})")
        yield f"http://127.0.0.1:{rest}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def dataproc_stand_in():
    """``(stand-in state, endpoint URL)`` of the Dataproc REST stand-in."""
    stand_in = DataprocStandIn()
    server, endpoint = serve(stand_in)
    yield stand_in, endpoint
    server.shutdown()


@pytest.fixture
def dataproc(dataproc_stand_in):
    stand_in, endpoint = dataproc_stand_in
    stand_in.reset()
    return stand_in, endpoint


@pytest.fixture(autouse=True)
def gcp_environment(monkeypatch, tmp_path):
    """Nothing read from the user's gcloud settings or a metadata server."""
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT",
                 "STORAGE_EMULATOR_HOST", "BIGQUERY_EMULATOR_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "no-gcloud"))


@pytest.fixture
def gcs(gcs_server, monkeypatch):
    """The GCS emulator's endpoint, emptied, found by clients through STORAGE_EMULATOR_HOST."""
    with urllib.request.urlopen(f"{gcs_server}/wipe") as response:
        assert response.status == 200
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_server)
    return gcs_server


@pytest.fixture
def storage_client(gcs):
    """The test's own storage client, to look at what the code under test stored."""
    from google.cloud import storage

    return storage.Client(project=PROJECT)


@pytest.fixture
def bucket(storage_client):
    """An empty bucket."""
    storage_client.create_bucket("headwater-test")
    return "headwater-test"


@pytest.fixture
def gcs_run_config(gcs, bucket):
    """Run config for the GCS IO manager and client on the emulator."""
    return {"resources": {
        "io_manager": {"config": {"gcs_bucket": bucket, "gcs_prefix": "runs"}},
        "gcs": {"config": {"timeout_seconds": 15.0}},
    }}


@pytest.fixture
def bq(bigquery_server, monkeypatch):
    """The BigQuery emulator's endpoint, found by clients through BIGQUERY_EMULATOR_HOST."""
    monkeypatch.setenv("BIGQUERY_EMULATOR_HOST", bigquery_server.removeprefix("http://"))
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    return bigquery_server


@pytest.fixture
def bq_client(bq):
    """The test's own BigQuery client."""
    from headwater_gcp import ConfigPlace, make_bigquery_client

    return make_bigquery_client(ConfigPlace("the tests", "tests"), timeout_seconds=15.0)


@pytest.fixture
def dataset(bq_client):
    """A new, empty dataset of the test's own (deleted after)."""
    name = f"{PROJECT}.test_{uuid.uuid4().hex[:10]}"
    bq_client.create_dataset(name)
    yield name
    bq_client.delete_dataset(name, delete_contents=True, not_found_ok=True)
