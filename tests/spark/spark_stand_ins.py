"""What the Spark tests start besides the session: a jar built with javac against the jars
pyspark ships, and a standalone master with workers started from pyspark's own scripts."""

from __future__ import annotations

import shutil
import socket
import subprocess
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
