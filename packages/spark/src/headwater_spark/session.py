"""Starting (or joining) the process's Spark session, and checking its master first.

One JVM, and so one SparkContext, serves a Python process. The resource and the executor
both go through :func:`start_session`: it joins the context that is already running (and
says so when it was asked for another master), or starts one with the given master and
properties, and tells the caller whether it started it, so that only the starter stops it.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from headwater_spark.errors import SparkMasterUnreachableError

DEFAULT_MASTER = "local[*]"

# How long to wait for a standalone master to accept a connection before saying it is
# unreachable; Spark itself retries for minutes before giving up.
MASTER_CONNECT_SECONDS = 10.0


@dataclass
class StartedSession:
    """A Spark session, and whether this code started it (and so stops it).

    Attributes:
        spark_session: The ``pyspark.sql.SparkSession``.
        started_here: False when a session was already running in the process.
    """

    spark_session: Any
    started_here: bool

    @property
    def spark_context(self) -> Any:
        """The session's ``pyspark.SparkContext``."""
        return self.spark_session.sparkContext

    def stop(self) -> None:
        """Stop the session if it was started here; leave a session found running alone."""
        if self.started_here:
            self.spark_session.stop()


def running_spark_context() -> Any:
    """The SparkContext running in this process, or None."""
    from pyspark import SparkContext

    # pyspark has no public "is a context running" call (getActiveSession is per thread).
    return SparkContext._active_spark_context


def start_session(master: str | None, properties: Mapping[str, str], app_name: str,
                  config_path: str, log: Any = None) -> StartedSession:
    """The process's Spark session, started with ``master`` and ``properties`` if none runs.

    When a context already runs, it is used as it is: a master different from its own is
    reported on ``log`` (one process holds one SparkContext), and the SQL properties among
    ``properties`` are applied to the session.

    The Python of this process runs the session's Python workers unless ``properties``
    (``spark.pyspark.python``) or ``$PYSPARK_PYTHON`` name another: on a cluster whose
    machines have their Python elsewhere, set one of them.

    Args:
        master: The master URL (None: the running context's, else ``local[*]``).
        properties: Flat Spark properties.
        app_name: ``spark.app.name`` unless ``properties`` set it.
        config_path: Where the master is configured, for errors.
        log: Where to warn (a Headwater log manager or ``logging.Logger``), or None.

    Raises:
        SparkMasterUnreachableError: Nothing listens at a ``spark://`` master.
    """
    from pyspark.sql import SparkSession

    running = running_spark_context()
    if running is not None:
        if master is not None and running.master != master and log is not None:
            log.warning(f"A SparkContext with master {running.master} is already running in "
                        f"this process; using it instead of {master} ({config_path}). One "
                        "process holds one SparkContext.")
        builder = SparkSession.builder
        for key, value in properties.items():
            if key.startswith("spark.sql."):
                builder = builder.config(key, value)
        return StartedSession(builder.getOrCreate(), started_here=False)
    master = master or DEFAULT_MASTER
    check_master_reachable(master, config_path)
    # pyspark reads the Python of the workers from PYSPARK_PYTHON alone when the driver is
    # this process (spark-submit is what turns spark.pyspark.python into it).
    python = properties.get("spark.pyspark.python") or os.environ.get("PYSPARK_PYTHON") \
        or sys.executable
    os.environ["PYSPARK_PYTHON"] = python
    builder = SparkSession.builder.master(master).appName(app_name)
    builder = builder.config("spark.pyspark.python", python)
    for key, value in properties.items():
        builder = builder.config(key, value)
    return StartedSession(builder.getOrCreate(), started_here=True)


def check_master_reachable(master: str, config_path: str,
                           timeout: float = MASTER_CONNECT_SECONDS) -> None:
    """Fail fast when a standalone master (``spark://host:port[,host:port]``) does not
    accept connections, instead of Spark's minutes of retries.

    Other masters (``local[...]``, ``local-cluster[...]``, ``yarn``, ``k8s://``) are left to
    Spark.

    Raises:
        SparkMasterUnreachableError: No host of the URL accepted a connection within
            ``timeout`` seconds.
    """
    if not master.startswith("spark://"):
        return
    addresses = []
    for part in master[len("spark://"):].split(","):
        parsed = urlparse(f"spark://{part}")
        addresses.append((parsed.hostname or "", parsed.port or 7077))
    deadline = time.monotonic() + timeout
    errors = []
    for host, port in addresses:
        try:
            with socket.create_connection((host, port),
                                          timeout=max(0.5, deadline - time.monotonic())):
                return
        except OSError as error:
            errors.append(f"{host}:{port}: {error.strerror or error}")
    raise SparkMasterUnreachableError(
        f"Could not reach the Spark master {master} ({config_path}): "
        f"{'; '.join(errors)}. Is the master running (sbin/start-master.sh) and listening "
        "there? Check the host and port in the URL.", master)
