"""What the Spark tests start besides the session: a jar built with javac against the jars
pyspark ships, and a standalone master with workers started from pyspark's own scripts."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

JAR_SOURCE = Path(__file__).parent / "jar" / "HeadwaterCount.java"


def pyspark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_count_jar(folder: Path) -> Path:
    """Compile HeadwaterCount.java against pyspark's jars into ``folder/count.jar``."""
    for tool in ("javac", "jar"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not on PATH: the spark-submit tests build their jar with "
                        "the JDK (apt-get install -y openjdk-17-jdk-headless).")
    classes = folder / "classes"
    classes.mkdir()
    classpath = str(pyspark_home() / "jars" / "*")
    compiled = subprocess.run(["javac", "-cp", classpath, "-d", str(classes), str(JAR_SOURCE)],
                              capture_output=True, text=True)
    if compiled.returncode != 0:
        pytest.fail(f"javac could not compile {JAR_SOURCE.name}:\n{compiled.stderr}")
    jar = folder / "count.jar"
    subprocess.run(["jar", "cf", str(jar), "-C", str(classes), "."], check=True)
    return jar


class StandaloneCluster:
    """A Spark standalone master and workers, each a process of its own started with
    pyspark's ``bin/spark-class``, on 127.0.0.1 with free ports.

    Args:
        folder: Where the processes keep their logs and work folders.
        workers: How many workers (each with ``cores`` cores and 1 GB).
        env: The processes' environment (the executors' Python workers inherit it).
    """

    START_SECONDS = 120.0

    def __init__(self, folder: Path, workers: int, cores: int, env: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.processes: list[tuple[str, subprocess.Popen, Path]] = []
        port = free_port()
        self.master_url = f"spark://127.0.0.1:{port}"
        spark_class = str(pyspark_home() / "bin" / "spark-class")
        try:
            self._start("master", [spark_class, "org.apache.spark.deploy.master.Master",
                                   "--host", "127.0.0.1", "--port", str(port),
                                   "--webui-port", str(free_port())],
                        "I have been elected leader")
            for index in range(workers):
                work = folder / f"worker-{index}"
                work.mkdir()
                self._start(f"worker-{index}",
                            [spark_class, "org.apache.spark.deploy.worker.Worker",
                             "--host", "127.0.0.1", "--webui-port", str(free_port()),
                             "--cores", str(cores), "--memory", "1g",
                             "--work-dir", str(work), self.master_url],
                            "Successfully registered with master")
        except BaseException:
            self.stop()
            raise

    def _start(self, name: str, command: list[str], ready_line: str) -> None:
        log_path = self.folder / f"{name}.log"
        log = open(log_path, "w")  # noqa: SIM115 (the process writes it until stopped)
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   env=self.env, start_new_session=True)
        self.processes.append((name, process, log_path))
        deadline = time.monotonic() + self.START_SECONDS
        while time.monotonic() < deadline:
            text = log_path.read_text(errors="replace")
            if ready_line in text:
                return
            if process.poll() is not None:
                pytest.fail(f"The Spark {name} exited with {process.returncode} before it was "
                            f"ready:\n{text[-3000:]}")
            time.sleep(0.2)
        pytest.fail(f"The Spark {name} was not ready within {self.START_SECONDS:g}s "
                    f"(no {ready_line!r} in its log):\n"
                    f"{log_path.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        """Stop the workers, then the master (and what they started)."""
        for _, process, _ in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _, process, _ in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
