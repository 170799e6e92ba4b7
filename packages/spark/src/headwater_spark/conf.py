"""Spark properties from config: the nested tree flattened, and checked against the names
Spark knows.

A ``spark_conf`` can be written as Spark's flat property names, as the nested tree they
form, or any mix of the two::

    spark_conf: {"spark.executor.memory": "2g"}
    spark_conf: {spark: {executor: {memory: 2g}, sql: {shuffle: {partitions: 4}}}}

Both give ``{"spark.executor.memory": "2g", ...}``. Spark itself accepts any property and
silently ignores one it does not know, so a typo (``spark.executr.memory``) would run with
the default. Every property's first part after ``spark.`` must be one of the namespaces of
Spark's configuration (:data:`SPARK_NAMESPACES`); an unknown one is an error that suggests
the closest known one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from headwater_spark.errors import SparkConfError

# The first part of every Spark property after "spark." (spark.<namespace>.…), as listed
# by Spark's configuration reference and the properties its jars define.
SPARK_NAMESPACES = frozenset({
    "acls", "admin", "api", "app", "appStateStore", "archives", "authenticate", "barrier",
    "blacklist", "block", "blockManager", "broadcast", "buffer", "checkpoint", "cleaner",
    "connect", "cores", "datasource", "decommission", "default", "deploy", "diskStore",
    "driver", "dynamicAllocation", "eventLog", "excludeOnFailure", "executor", "executorEnv",
    "extraListeners", "file", "files", "graphx", "hadoop", "hadoopRDD", "history", "io",
    "jars", "kerberos", "kryo", "kryoserializer", "kubernetes", "local", "locality", "log",
    "logConf", "master", "maxRemoteBlockSizeFetchToMem", "memory", "metrics", "modify",
    "network", "plugins", "port", "pyspark", "python", "r", "rdd", "redaction", "reducer",
    "remote", "repl", "resources", "rpc", "scheduler", "security", "serializer", "shuffle",
    "shutdown", "sparkr", "speculation", "sql", "ssl", "stage", "standalone", "storage",
    "streaming", "submit", "task", "ui", "unsafe", "user", "worker", "yarn",
})


def flatten_spark_conf(spark_conf: Mapping[str, Any] | None,
                       config_path: str = "spark_conf") -> dict[str, str]:
    """Spark properties by their flat names, from a flat, nested or mixed ``spark_conf``.

    Values become the strings Spark expects (``True`` → ``"true"``).

    Args:
        spark_conf: The config value.
        config_path: Where it is in the config, for error messages.

    Returns:
        ``{"spark.executor.memory": "2g", ...}``, sorted by name.

    Raises:
        SparkConfError: A property does not start with ``spark.``, its namespace is not one
            Spark has (with the closest one suggested), or it is given twice with different
            values.

    Example:
        >>> flatten_spark_conf({"spark": {"executor": {"memory": "2g"}}})
        {'spark.executor.memory': '2g'}
    """
    flat: dict[str, str] = {}
    for key, value in _leaves(spark_conf or {}, ()):
        name = ".".join(key)
        check_spark_property(name, config_path)
        text = _as_spark_value(value)
        if name in flat and flat[name] != text:
            raise SparkConfError(
                f'The Spark property "{name}" is given twice in {config_path}, as '
                f"{flat[name]!r} and as {text!r}. Keep one of them.", name, config_path)
        flat[name] = text
    return dict(sorted(flat.items()))


def check_spark_property(name: str, config_path: str = "spark_conf") -> None:
    """Raise :class:`SparkConfError` unless ``name`` is in a namespace Spark has."""
    parts = name.split(".")
    if parts[0] != "spark" or len(parts) < 2 or not parts[1]:
        raise SparkConfError(
            f'"{name}" in {config_path} is not a Spark property: Spark reads only properties '
            'named "spark.<...>" and ignores the others. Hadoop settings go under '
            f'"spark.hadoop.<key>", executor environment variables under '
            '"spark.executorEnv.<NAME>".', name, config_path)
    namespace = parts[1]
    if namespace in SPARK_NAMESPACES:
        return
    close = difflib.get_close_matches(namespace, sorted(SPARK_NAMESPACES), n=1, cutoff=0.6)
    if not close:
        # A case slip (spark.Executor) is not always close enough for difflib.
        close = [n for n in SPARK_NAMESPACES if n.lower() == namespace.lower()]
    if close:
        suggestion = ".".join(["spark", close[0], *parts[2:]])
        hint = f' Did you mean "{suggestion}"?'
    else:
        hint = " See the property names in Spark's configuration reference."
    raise SparkConfError(
        f'Unknown Spark property "{name}" in {config_path}: Spark has no properties under '
        f'"spark.{namespace}", so it would ignore this one.{hint}', name, config_path)


def _leaves(tree: Mapping[str, Any], prefix: tuple[str, ...]
            ) -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    for key, value in tree.items():
        path = (*prefix, *str(key).split("."))
        if isinstance(value, Mapping):
            found.extend(_leaves(value, path))
        else:
            found.append((path, value))
    return found


def _as_spark_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        # Spark's list-valued properties (spark.jars, spark.files) are comma-separated.
        return ",".join(str(item) for item in value)
    return str(value)
