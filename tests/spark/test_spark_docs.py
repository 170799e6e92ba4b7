"""Every snippet of docs/integrations/spark.md runs, in this process (so on the tests'
local[2] SparkSession, which pyspark_resource joins); the spark-submit snippet submits the
jar the tests build."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from spark_stand_ins import build_count_jar

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "spark"


@pytest.mark.parametrize("snippet", sorted(path.name for path in SNIPPETS.glob("*.py")))
def test_snippet_runs(snippet, spark_session, tmp_path, monkeypatch):
    if snippet == "submit.py":
        monkeypatch.setenv("SPARK_APP_JAR", str(build_count_jar(tmp_path)))
    runpy.run_path(str(SNIPPETS / snippet), run_name="__main__")
