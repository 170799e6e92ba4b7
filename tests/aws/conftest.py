"""The stand-ins the AWS tests talk to, all on 127.0.0.1 with free ports.

* A moto server (S3, CloudWatch Logs, EMR) running in this process, emptied before each
  test. boto3 reaches it over HTTP like it reaches AWS.
* A second moto server, in its own process, that checks credentials (moto's IAM
  enforcement, on after the two requests that create a user and its key).
* A real PostgreSQL server for Redshift queries (Redshift speaks its protocol); see
  ``support.postgres_server``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from aws_stand_ins import REGION, free_port
from moto.server import ThreadedMotoServer

from support.postgres_server import new_database, running_server


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch, tmp_path):
    """Credentials and region for boto3 from the environment, as on a real machine, and
    nothing read from the user's ~/.aws or an instance role."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                 "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def moto_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def moto(moto_server):
    """The endpoint URL of the moto server, emptied of every bucket, log group and cluster."""
    request = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    return moto_server


@pytest.fixture
def s3(moto):
    """The test's own S3 client, to look at what the code under test stored."""
    return boto3.client("s3", endpoint_url=moto, region_name=REGION)


@pytest.fixture
def bucket(s3):
    """An empty bucket."""
    s3.create_bucket(Bucket="headwater-test")
    return "headwater-test"


@pytest.fixture
def s3_run_config(moto, bucket):
    """Run config for the S3 IO manager and client on the moto server."""
    return {"resources": {
        "io_manager": {"config": {"s3_bucket": bucket, "s3_prefix": "runs"}},
        "s3": {"config": {"endpoint_url": moto, "region_name": REGION}},
    }}


@pytest.fixture(scope="session")
def authenticating_moto_server():
    """``(endpoint_url, access_key_id)`` of a moto server that checks credentials; the key
    belongs to a user it knows (its secret is not given out: tests use wrong ones)."""
    port = free_port()
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "2"}
    process = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1",
         "-p", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process)
        endpoint = f"http://127.0.0.1:{port}"
        # The two requests moto answers before it starts checking credentials.
        iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                           aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        iam.create_user(UserName="pipeline")
        key = iam.create_access_key(UserName="pipeline")["AccessKey"]
        yield endpoint, key["AccessKeyId"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto_server exited with {process.returncode} before listening.")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"moto_server did not listen on port {port} within {timeout:g}s.")


# -- PostgreSQL, for Redshift queries -------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server():
    """``(host, port)`` of a PostgreSQL server that lives for the test session (user
    ``postgres``, trusted: any password is accepted)."""
    with running_server("the Redshift tests", nox_session="aws") as address:
        yield address


@pytest.fixture
def redshift_config(postgres_server):
    """Config for redshift_resource pointing at a new, empty database (dropped after)."""
    host, port = postgres_server
    with new_database(host, port, "warehouse") as name:
        yield {"host": host, "port": port, "user": "postgres", "password": "not-checked",
               "database": name, "sslmode": "disable"}
