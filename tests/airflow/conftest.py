"""A real Airflow 3 for the tests: its home in a temporary folder (see airflow_support),
its metadata database migrated once per test session, examples and telemetry off."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airflow_support import AIRFLOW_HOME, airflow_command


@pytest.fixture(scope="session")
def airflow_db() -> Iterator[Path]:
    """The migrated metadata database (``airflow db migrate``, once), and a copy of it as
    a template for tests that need an Airflow home of their own."""
    started = time.perf_counter()
    result = airflow_command("db", "migrate")
    if result.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed:\n{result.stdout}\n{result.stderr}")
    print(f"airflow db migrate: {time.perf_counter() - started:.1f}s")
    template = AIRFLOW_HOME.parent / f"{AIRFLOW_HOME.name}-template.db"
    shutil.copyfile(AIRFLOW_HOME / "airflow.db", template)
    yield template
    template.unlink(missing_ok=True)


@pytest.fixture
def headwater_home(tmp_path, monkeypatch) -> Path:
    """A Headwater instance of the test's own, as $HEADWATER_HOME for the tasks."""
    home = tmp_path / "headwater"
    home.mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    return home


@pytest.fixture
def calls(tmp_path, monkeypatch) -> Any:
    """Which solids ran, in order: read from the file the test pipelines append to."""
    path = tmp_path / "calls.txt"
    monkeypatch.setenv("HEADWATER_AIRFLOW_TEST_CALLS", str(path))

    def read() -> list[str]:
        return path.read_text().split() if path.exists() else []

    return read


@pytest.fixture
def dag_id() -> str:
    return f"t_{uuid.uuid4().hex[:10]}"


