"""What the fixtures and the tests share about the stand-in: Azurite's Blob service."""

from __future__ import annotations

import os
import socket
from pathlib import Path

# Azurite's one account, and its well-known key (public: printed in Azurite's docs).
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
               "KBHBeksoGMGw==")
# The variable the tests' run config reads the key from, as a user's would.
KEY_ENV = "AZURE_STORAGE_KEY"

REPO = Path(__file__).resolve().parents[2]
# Where the nox session installs the azurite npm package (HEADWATER_AZURITE_DIR overrides).
AZURITE_DIR = Path(os.environ.get("HEADWATER_AZURITE_DIR", REPO / ".nox" / "azurite"))
AZURITE_BLOB = AZURITE_DIR / "node_modules" / "azurite" / "dist" / "src" / "blob" / "main.js"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connection_string(endpoint: str) -> str:
    """The connection string of Azurite's account at ``endpoint``."""
    return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={endpoint};")
