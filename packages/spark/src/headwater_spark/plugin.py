"""headwater-spark's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
The definitions import pyspark only when they run, so registering them is cheap.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """``resource_defs={"pyspark": "pyspark_resource", "spark": "spark_resource"}``."""
    from headwater_spark.resources import pyspark_resource, spark_resource

    return {"pyspark_resource": pyspark_resource, "spark_resource": spark_resource}
