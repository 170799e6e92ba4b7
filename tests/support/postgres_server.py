"""A real PostgreSQL server for the tests, started on 127.0.0.1 with a free port, and empty
databases on it.

The server binaries come from the operating system's ``postgresql`` package; without them
the tests fail (never skip) and say how to install them. Only the standard library, pytest
and psycopg are needed, so that every suite with a PostgreSQL client can use it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

INSTALL_HINT = "apt-get install -y postgresql"


@contextmanager
def running_server(tests: str, nox_session: str) -> Iterator[tuple[str, int]]:
    """``(host, port)`` of a PostgreSQL server that runs until the block ends (user
    ``postgres``, trusted: any password is accepted).

    Args:
        tests: Which tests need the server, for the failure when it is not installed
            ("the postgres tests").
        nox_session: The nox session that installs it.
    """
    bin_dir = _server_bin_dir(tests, nox_session)
    root = tempfile.mkdtemp(prefix="headwater-pg-")
    data = os.path.join(root, "data")
    # initdb refuses to run as root: the server runs as the "postgres" user, who owns it.
    as_user = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True)

    run(os.path.join(bin_dir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
        "-E", "UTF8")
    run(os.path.join(bin_dir, "pg_ctl"), "-D", data, "-w", "-l", os.path.join(root, "log"),
        "start", "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c max_connections=200")
    try:
        yield "127.0.0.1", port
    finally:
        run(os.path.join(bin_dir, "pg_ctl"), "-D", data, "-w", "-m", "fast", "stop")
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def new_database(host: str, port: int, prefix: str) -> Iterator[str]:
    """The name of a new, empty database (``prefix`` and a random suffix), dropped when the
    block ends."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = f"postgresql://postgres@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _server_bin_dir(tests: str, nox_session: str) -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    pytest.fail(f"The PostgreSQL server binaries (initdb, pg_ctl) are not installed, and "
                f"{tests} need a real server. Install them: {INSTALL_HINT} (the nox session "
                f"'{nox_session}' does this when run as root).", pytrace=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
