"""The stand-ins the Snowflake tests talk to, all on 127.0.0.1.

* A fakesnow server (Snowflake's HTTP API over DuckDB) in its own process, started once
  per test session on a free port. The real connector logs in and runs statements over
  HTTP, as it does against Snowflake. Each test gets a database of its own.
* fakesnow's patch mode, for what the server cannot do: ``write_pandas`` uploads files
  to a stage (PUT), which only the in-process fake supports. In that mode
  ``snowflake.connector.connect`` and ``write_pandas`` are replaced by fakesnow's
  DuckDB-backed versions for the length of the test.
"""

from __future__ import annotations

import http.server
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time

import fakesnow
import pytest
from snowflake_stand_ins import free_port, server_config

_databases = itertools.count(1)


@pytest.fixture(autouse=True)
def no_cloud_probes(monkeypatch):
    """The connector looks for cloud metadata services (169.254.169.254) on login to
    report its platform; nothing outside loopback may be reached, so switch that off, for
    this process and the processes tests start."""
    monkeypatch.setenv("SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true")


@pytest.fixture(scope="session")
def fakesnow_port(tmp_path_factory):
    """The port of a fakesnow server that lives for the test session."""
    port = free_port()
    command = [os.path.join(os.path.dirname(sys.executable), "fakesnow"), "-s",
               "--host", "127.0.0.1", "-p", str(port)]
    log = tmp_path_factory.mktemp("fakesnow") / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen, log, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"fakesnow exited with {process.returncode} before listening:\n"
                        f"{log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"fakesnow did not listen on port {port} within {timeout:g}s.")


@pytest.fixture
def snowflake_config(fakesnow_port):
    """Config of snowflake_resource for the fakesnow server, with a database of the
    test's own (created on connecting)."""
    return server_config(fakesnow_port, f"test_{next(_databases)}")


@pytest.fixture
def patched_snowflake():
    """fakesnow's patch mode: connect() and write_pandas() run in-process on DuckDB.
    Returns config for snowflake_resource (the address settings are not used)."""
    with fakesnow.patch():
        yield {"account": "fakesnow", "user": "fake", "password": "snow",
               "database": "warehouse", "schema": "analytics"}


def pytest_collection_modifyitems(items):
    # fakesnow's DuckDB warns that it copies Arrow results: its cost, not a fault.
    for item in items:
        item.add_marker(pytest.mark.filterwarnings(
            "ignore:Arrow output on a DB-API result:UserWarning"))


class _RefusingLogin(http.server.BaseHTTPRequestHandler):
    """Answers every login the way Snowflake answers a wrong user or password."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"data": {"nextAction": "RETRY_LOGIN", "authnMethod": "USERNAME_PASSWORD"},
                           "code": "390100", "success": False, "headers": None,
                           "message": "Incorrect username or password was specified."}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_login_port():
    """The port of a loopback HTTP server that refuses every login with Snowflake's own
    answer (fakesnow accepts any credentials, so it cannot show a refusal)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RefusingLogin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
