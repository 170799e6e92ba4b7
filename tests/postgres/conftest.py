"""A real PostgreSQL server for the tests, started on 127.0.0.1 with a free port (see
``support.postgres_server``: without the server binaries the tests fail and say how to
install them)."""

import pytest

from support.postgres_server import new_database, running_server


@pytest.fixture(scope="session")
def postgres_server():
    """``(host, port)`` of a PostgreSQL server that lives for the test session."""
    with running_server("the postgres tests", nox_session="postgres") as address:
        yield address


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database, dropped after the test."""
    host, port = postgres_server
    with new_database(host, port, "test") as name:
        yield f"postgresql://postgres@{host}:{port}/{name}"
