"""spark-submit: the command for an application jar, run with its output streamed.

:class:`SparkResource` runs ``spark-submit`` as a child process and copies each line the
driver prints to this process's stdout or stderr as it comes, so that the step's compute
log (which captures the process's output) holds the driver's output live. When
spark-submit exits non-zero, the step fails with the driver's last lines.
"""

from __future__ import annotations

import collections
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any, TextIO
from urllib.parse import urlparse

from headwater import Enum, EnumValue, Failure, Field, StringSource
from headwater_spark.conf import flatten_spark_conf
from headwater_spark.errors import SparkSolidError

# How many of the driver's last lines a failure shows.
TAIL_LINES = 30

# Values of properties with these words in their names never reach a log or an error.
_SECRET = re.compile(r"secret|password|token|credential|(^|\.)key$", re.IGNORECASE)

SparkDeployMode = Enum("SparkDeployMode", [
    EnumValue("client", description="The driver runs in the spark-submit process."),
    EnumValue("cluster", description="The driver runs on a machine of the cluster."),
])


def define_spark_config() -> dict[str, Field]:
    """The config of a spark-submit solid (see :func:`create_spark_solid`)."""
    from headwater_spark.resources import SPARK_CONF_FIELD

    return {
        "master_url": Field(StringSource,
                            description="The cluster's master URL: spark://host:port, yarn, "
                                        "k8s://..., local[n]."),
        "deploy_mode": Field(SparkDeployMode, is_required=False,
                             description="Where the driver runs: client (here, the default) "
                                         "or cluster."),
        "application_jar": Field(StringSource,
                                 description="The jar of the application: a local path, or a "
                                             "URL the cluster can read (hdfs://, s3a://)."),
        "spark_conf": SPARK_CONF_FIELD,
        "spark_home": Field(StringSource, is_required=False,
                            description="Where Spark is installed (bin/spark-submit); "
                                        "default $SPARK_HOME, else the Spark that pyspark "
                                        "ships."),
        "application_arguments": Field(StringSource, is_required=False,
                                       description="The application's arguments, as one "
                                                   "shell-quoted string."),
    }


def spark_submit_path(spark_home: str | None) -> str:
    """``bin/spark-submit`` of ``spark_home``, else of $SPARK_HOME, else of pyspark's own
    Spark."""
    if not spark_home:
        spark_home = os.environ.get("SPARK_HOME")
    if not spark_home:
        import pyspark

        spark_home = os.path.dirname(pyspark.__file__)
    return os.path.join(spark_home, "bin", "spark-submit")


def construct_spark_shell_command(application_jar: str, main_class: str, master_url: str,
                                  spark_conf: Mapping[str, str] | None = None,
                                  deploy_mode: str | None = None,
                                  application_arguments: str | None = None,
                                  spark_home: str | None = None) -> list[str]:
    """The spark-submit command line.

    Args:
        application_jar: The jar.
        main_class: Its main class.
        master_url: ``--master``.
        spark_conf: Flat Spark properties, each passed as ``--conf key=value``.
        deploy_mode: ``--deploy-mode`` (client or cluster), if given.
        application_arguments: The application's arguments, shell-quoted.
        spark_home: Where Spark is installed (see :func:`spark_submit_path`).
    """
    command = [spark_submit_path(spark_home), "--class", main_class, "--master", master_url]
    if deploy_mode:
        command += ["--deploy-mode", deploy_mode]
    for key, value in (spark_conf or {}).items():
        command += ["--conf", f"{key}={value}"]
    command.append(application_jar)
    if application_arguments:
        command += shlex.split(application_arguments)
    return command


def redacted(command: Sequence[str]) -> str:
    """The command as text, with the values of secret-looking properties hidden."""
    shown = []
    for arg in command:
        key, sep, _ = arg.partition("=")
        shown.append(f"{key}=***" if sep and key.startswith("spark.") and _SECRET.search(key)
                     else arg)
    return shlex.join(shown)


class SparkResource:
    """Runs Spark applications with spark-submit.

    Args:
        log: Where to log what is run (the run's log manager), or None.
    """

    def __init__(self, log: Any = None) -> None:
        self.log = log

    def run_spark_job(self, config: Mapping[str, Any], main_class: str,
                      config_path: str = "the solid's config") -> None:
        """spark-submit the application ``config`` describes and wait for it.

        The driver's stdout and stderr are copied, line by line as they come, to this
        process's stdout and stderr (and so to the step's compute log).

        Args:
            config: A config of :func:`define_spark_config`'s shape.
            main_class: The application's main class.
            config_path: Where ``config`` is in the run config, for errors.

        Raises:
            SparkSolidError: The jar is a local file that does not exist, or spark-submit
                cannot be started.
            Failure: spark-submit exited non-zero; the description ends with the driver's
                last lines.
        """
        jar = config["application_jar"]
        _check_local_jar(jar, f"{config_path}.application_jar")
        properties = flatten_spark_conf(config.get("spark_conf"), f"{config_path}.spark_conf")
        command = construct_spark_shell_command(
            jar, main_class, config["master_url"], properties, config.get("deploy_mode"),
            config.get("application_arguments"), config.get("spark_home"))
        if not os.path.isfile(command[0]):
            raise SparkSolidError(
                f"There is no spark-submit at {command[0]}. Set spark_home in {config_path} "
                "(or $SPARK_HOME) to a Spark installation, or install pyspark, which ships "
                "one.")
        if self.log is not None:
            self.log.info(f"Running {redacted(command)}")
        returncode, tail = _run_streaming(command)
        if returncode != 0:
            raise Failure(
                f"spark-submit of {main_class} ({jar}) on {config['master_url']} exited with "
                f"code {returncode}. The driver's last lines:\n" + "".join(tail),
                metadata={"main_class": main_class, "application_jar": jar,
                          "exit_code": returncode})


def _check_local_jar(jar: str, config_path: str) -> None:
    parsed = urlparse(jar)
    if parsed.scheme not in ("", "file"):
        return  # hdfs://, s3a://, local:/ ...: for the cluster to find
    path = parsed.path if parsed.scheme == "file" else jar
    if not os.path.isfile(path):
        raise SparkSolidError(
            f"The application jar {jar} ({config_path}) does not exist. Build it first, or "
            "set application_jar to its path (or to a URL the cluster can read, e.g. "
            "hdfs://...).")


def _run_streaming(command: list[str]) -> tuple[int, list[str]]:
    """Run ``command``, copying its output to ours as it comes; ``(exit code, last lines)``."""
    tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
    lock = threading.Lock()

    def copy(source: TextIO, target: TextIO) -> None:
        for line in source:
            with lock:
                tail.append(line)
            target.write(line)
            target.flush()

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True, errors="replace")
    assert process.stdout is not None and process.stderr is not None
    copiers = [threading.Thread(target=copy, args=(process.stdout, sys.stdout), daemon=True),
               threading.Thread(target=copy, args=(process.stderr, sys.stderr), daemon=True)]
    for thread in copiers:
        thread.start()
    try:
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for thread in copiers:
            thread.join()
    return returncode, list(tail)
