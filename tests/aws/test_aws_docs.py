"""Every snippet of docs/integrations/aws.md runs, against the moto server (and PostgreSQL
for Redshift): boto3 finds the endpoint in AWS_ENDPOINT_URL, as it would find AWS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "aws"


@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("*.py")))
def test_snippet_runs_and_exits_zero(snippet, moto, tmp_path, request):
    env = dict(os.environ, AWS_ENDPOINT_URL=moto, HEADWATER_HOME=str(tmp_path / "home"))
    if snippet == "redshift.py":
        config = request.getfixturevalue("redshift_config")
        env.update(REDSHIFT_HOST=config["host"], REDSHIFT_PORT=str(config["port"]),
                   REDSHIFT_DATABASE=config["database"], REDSHIFT_USER=config["user"],
                   REDSHIFT_PASSWORD=config["password"], REDSHIFT_SSLMODE="disable")
    completed = subprocess.run([sys.executable, str(SNIPPETS / snippet)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-4000:]
