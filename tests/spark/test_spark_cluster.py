"""The spark executor from the command line, chosen by run config alone: the example on a
Spark started in the run's process and on a standalone cluster (a master and two workers
started for the test session), and a master that cannot be reached."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE = EXAMPLES / "spark_wordcount.py"


def execute(config: Path, home: Path, timeout: float = 300):
    return subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f", str(EXAMPLE),
         "-c", str(config)],
        capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "HEADWATER_HOME": str(home)})


def cluster_config(folder: Path, master_url: str) -> Path:
    """examples/spark_config/cluster.yaml with the master URL of ``master_url``."""
    text = (EXAMPLES / "spark_config" / "cluster.yaml").read_text()
    assert '"spark://127.0.0.1:7077"' in text
    config = folder / "cluster.yaml"
    config.write_text(text.replace("spark://127.0.0.1:7077", master_url))
    return config


def test_the_example_runs_on_a_spark_started_in_the_runs_process(tmp_path):
    completed = execute(EXAMPLES / "spark_config" / "local.yaml", tmp_path)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "Running steps on Spark: master local[*]" in completed.stdout
    assert "distinct words; most frequent: " in completed.stdout


def test_the_example_runs_on_a_standalone_cluster_by_switching_the_run_config(
        tmp_path, standalone_cluster):
    completed = execute(cluster_config(tmp_path, standalone_cluster), tmp_path)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert f"Running steps on Spark: master {standalone_cluster}" in completed.stdout
    assert "distinct words; most frequent: " in completed.stdout
    assert completed.stdout.count("words counted in process") == 4


def test_a_master_that_cannot_be_reached_fails_the_run_within_seconds_naming_it(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"spark://127.0.0.1:{sock.getsockname()[1]}"
    started = time.monotonic()
    completed = execute(cluster_config(tmp_path, url), tmp_path, timeout=120)
    assert time.monotonic() - started < 60  # the check itself gives up after 10 s
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert f"Could not reach the Spark master {url} (execution.spark.config.master)" in output


PIPELINES = Path(__file__).resolve().parent / "spark_pipelines.py"


def test_a_step_asking_for_task_resources_runs_as_a_job_of_its_own_between_slot_steps(
        tmp_path, standalone_cluster):
    # The slots hold both cores of the cluster while the squares run; the step that asks
    # for a core of its own gets one only when they give theirs back.
    config = tmp_path / "reserved.yaml"
    config.write_text(
        "execution:\n  spark:\n    config:\n"
        f'      master: "{standalone_cluster}"\n'
        "      spark_conf: {spark: {ui: {enabled: false}}}\n")
    completed = subprocess.run(
        [sys.executable, "-m", "headwater", "pipeline", "execute", "-f", str(PIPELINES),
         "-p", "reserved_pipeline", "-c", str(config)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "HEADWATER_HOME": str(tmp_path)})
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "reserved step in process" in completed.stdout
    assert completed.stdout.count("squaring") == 4
