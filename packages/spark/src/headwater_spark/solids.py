"""Solids that submit Spark applications.

:func:`create_spark_solid` builds a solid that runs one application jar with spark-submit
through the ``spark`` resource (a :class:`~headwater_spark.submit.SparkResource`), its
master, deploy mode, properties and arguments all from the solid's config.
"""

from __future__ import annotations

from collections.abc import Iterable

from headwater import InputDefinition, Nothing, OutputDefinition, SolidDefinition, solid
from headwater_spark.submit import define_spark_config

SPARK_RESOURCE_KEY = "spark"


def create_spark_solid(name: str, main_class: str, description: str | None = None,
                       required_resource_keys: Iterable[str] = frozenset([SPARK_RESOURCE_KEY])
                       ) -> SolidDefinition:
    """A solid that spark-submits the application jar of its config, running ``main_class``.

    The solid takes a ``start`` input of type Nothing (to order it after other solids) and
    outputs Nothing. What the driver prints goes to the step's compute log as it comes; a
    non-zero exit fails the step with the driver's last lines.

    Args:
        name: The solid's name.
        main_class: The application's main class.
        description: The solid's description.
        required_resource_keys: The resources it needs; the first is the SparkResource
            (default ``{"spark"}``).

    Example:
        >>> count_events = create_spark_solid("count_events", "com.example.CountEvents")

        with the config::

            solids:
              count_events:
                config:
                  master_url: spark://spark-master:7077
                  application_jar: jobs/count-events.jar
                  application_arguments: --day 2024-01-01
    """
    keys = sorted(required_resource_keys)
    spark_key = SPARK_RESOURCE_KEY if SPARK_RESOURCE_KEY in keys else keys[0]

    @solid(name=name, description=description or f"Runs {main_class} with spark-submit.",
           config_schema=define_spark_config(),
           input_defs=[InputDefinition("start", Nothing)],
           output_defs=[OutputDefinition(Nothing)],
           required_resource_keys=set(keys),
           tags={"kind": "spark", "main_class": main_class})
    def _spark_solid(context):
        getattr(context.resources, spark_key).run_spark_job(
            context.solid_config, main_class, f"solids.{context.solid_handle}.config")

    return _spark_solid
