"""What the fixtures and the tests share about the stand-ins."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

PROJECT = "headwater-test"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str,
                  timeout: float = 60.0) -> None:
    """Return once something listens on ``port``; fail the test if ``process`` exits or the
    deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode} before listening on "
                        f"port {port}.")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"{name} did not listen on port {port} within {timeout:g}s.")


def rows(client, sql: str) -> list[dict]:
    """The rows of a query, as dicts."""
    return [dict(row) for row in client.query(sql).result()]
