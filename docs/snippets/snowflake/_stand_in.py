"""Where the docs' snippets find Snowflake: the settings a test gives them in
SNOWFLAKE_HOST, SNOWFLAKE_PORT and SNOWFLAKE_PROTOCOL (a local stand-in), else none."""

import os

STAND_IN = {key: os.environ[f"SNOWFLAKE_{key.upper()}"] for key in ("host", "protocol")
            if f"SNOWFLAKE_{key.upper()}" in os.environ}
if "SNOWFLAKE_PORT" in os.environ:
    STAND_IN["port"] = int(os.environ["SNOWFLAKE_PORT"])
