"""Starts bqemulator with its run-time DuckDB extension downloads switched off.

Without this, the emulator tries to download the spatial and format extensions when it
starts and exits when it cannot: tests reach nothing but loopback. GEOGRAPHY columns and
Avro/ORC loads are therefore unavailable in the tests.

    python bq_launcher.py start --rest-host 127.0.0.1 --rest-port P --grpc-host 127.0.0.1 \
        --grpc-port G --ephemeral
"""

import sys

from bqemulator.storage.engine import DuckDBEngine

DuckDBEngine._load_spatial = lambda self: None
DuckDBEngine._load_format_extensions = lambda self: None

from bqemulator.cli import main  # noqa: E402  (after the extensions are switched off)

if __name__ == "__main__":
    sys.exit(main())
