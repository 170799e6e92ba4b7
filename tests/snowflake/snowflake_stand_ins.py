"""What the fixtures and the tests share about the stand-ins."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_config(port: int, database: str, **more: object) -> dict:
    """Config of snowflake_resource for the fakesnow server on ``port``: the real
    connector, over HTTP on 127.0.0.1."""
    return {"account": "fakesnow", "user": "fake", "password": "snow", "host": "127.0.0.1",
            "port": port, "protocol": "http", "database": database, "schema": "analytics",
            "login_timeout": 10, "network_timeout": 30, **more}
