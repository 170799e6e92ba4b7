"""A real PostgreSQL server for the tests, started on 127.0.0.1 with a free port.

The server binaries come from the operating system's ``postgresql`` package; without them
the tests fail (never skip) and say how to install them.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid

import psycopg
import pytest

INSTALL_HINT = "apt-get install -y postgresql"


def _server_bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    pytest.fail(f"The PostgreSQL server binaries (initdb, pg_ctl) are not installed, and the "
                f"postgres tests need a real server. Install them: {INSTALL_HINT} "
                "(the nox session 'postgres' does this when run as root).", pytrace=False)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """The base URL (no database) of a PostgreSQL server that lives for the test session."""
    bin_dir = _server_bin_dir()
    root = tempfile.mkdtemp(prefix="headwater-pg-")
    data = os.path.join(root, "data")
    # initdb refuses to run as root: the server runs as the "postgres" user, who owns it.
    as_user = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args):
        subprocess.run([*as_user, *args], check=True, capture_output=True)

    run(os.path.join(bin_dir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
        "-E", "UTF8")
    run(os.path.join(bin_dir, "pg_ctl"), "-D", data, "-w", "-l", os.path.join(root, "log"),
        "start", "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c max_connections=200")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        run(os.path.join(bin_dir, "pg_ctl"), "-D", data, "-w", "-m", "fast", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
