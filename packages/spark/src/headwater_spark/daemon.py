"""The Python daemon of Spark executors that run Headwater steps.

Spark forks each Python worker from one daemon process per executor. This daemon imports
Headwater before it starts forking, so that a new worker begins with Headwater loaded
instead of importing it on its first step (Spark then keeps the worker for later tasks). The ``spark`` executor sets
``spark.python.daemon.module`` to this module on the SparkContexts it starts.
"""

from pyspark import daemon

import headwater.integration  # noqa: F401 (imported for the forked workers)
import headwater_spark.tasks  # noqa: F401
from headwater.integration import Worker  # noqa: F401

if __name__ == "__main__":
    daemon.manager()
