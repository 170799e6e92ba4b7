"""Every error headwater-spark raises.

Each names what was wrong, where it was configured (the config path) and what to do.
"""

from __future__ import annotations

from headwater import HeadwaterError


class HeadwaterSparkError(HeadwaterError):
    """Base class of the errors headwater-spark raises."""


class SparkConfError(HeadwaterSparkError):
    """A Spark property in the config is not one Spark knows, or is given twice.

    Attributes:
        key: The property (``spark.executr.memory``).
        config_path: Where it was configured.
    """

    def __init__(self, message: str, key: str, config_path: str) -> None:
        super().__init__(message)
        self.key = key
        self.config_path = config_path


class SparkMasterUnreachableError(HeadwaterSparkError):
    """Nothing answered at the master URL a session, context or executor was given.

    Attributes:
        master: The master URL.
    """

    def __init__(self, message: str, master: str) -> None:
        super().__init__(message)
        self.master = master


class SparkDataFrameError(HeadwaterSparkError):
    """A DataFrame could not be read or written as its config says (a path that does not
    exist, a schema that does not match)."""


class SparkSolidError(HeadwaterSparkError):
    """spark-submit could not be started, or its application jar is missing."""
