"""Every snippet of docs/integrations/snowflake.md runs: against the fakesnow server
through the real connector, or, for what needs stage uploads (write_pandas, PUT), in
fakesnow's patch mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "snowflake"
# Snippets that upload files to a stage: only fakesnow's patch mode can run them.
PATCH_MODE = {"io_manager.py", "bulk.py"}
PATCHED = ("import runpy, sys, fakesnow\n"
           "with fakesnow.patch():\n"
           "    runpy.run_path(sys.argv[1], run_name='__main__')\n")


@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("[!_]*.py")))
def test_snippet_runs_and_exits_zero(snippet, snowflake_config, tmp_path):
    env = dict(os.environ, HEADWATER_HOME=str(tmp_path / "home"),
               PYTHONPATH=os.pathsep.join([str(SNIPPETS), os.environ.get("PYTHONPATH", "")]),
               SNOWFLAKE_ACCOUNT="fakesnow", SNOWFLAKE_USER="fake", SNOWFLAKE_PASSWORD="snow",
               SNOWFLAKE_DATABASE=snowflake_config["database"], SNOWFLAKE_SCHEMA="public")
    if snippet in PATCH_MODE:
        command = [sys.executable, "-c", PATCHED, str(SNIPPETS / snippet)]
    else:
        command = [sys.executable, str(SNIPPETS / snippet)]
        env.update(SNOWFLAKE_HOST="127.0.0.1", SNOWFLAKE_PORT=str(snowflake_config["port"]),
                   SNOWFLAKE_PROTOCOL="http")
    completed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0, completed.stderr[-4000:]
