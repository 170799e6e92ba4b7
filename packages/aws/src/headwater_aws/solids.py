"""Solids that run their work on AWS.

Headwater has no step-launcher seam in core: a solid cannot hand its whole step to another
machine. A solid runs remote work by calling a launcher resource from its body instead, and
:func:`emr_pyspark_step_solid` builds such a solid for the common case, one PySpark script
run as an EMR step.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater import SolidDefinition, solid
from headwater_aws.emr import EmrStepResult

LAUNCHER_KEY = "emr_step_launcher"


def emr_pyspark_step_solid(name: str, script: str, args: Sequence[str] = (),
                           launcher_key: str = LAUNCHER_KEY,
                           description: str | None = None) -> SolidDefinition:
    """A solid that runs ``script`` as an EMR step and outputs how the step ended.

    The solid requires the resource ``launcher_key``, an ``emr_pyspark_step_launcher``; the
    step's states and printed output go to the run's log, and a failed step fails the solid.

    Args:
        name: The solid's name.
        script: The PySpark script: a local path (uploaded to the launcher's staging
            bucket) or an ``s3://`` URI.
        args: The script's command-line arguments.
        launcher_key: The resource key of the launcher.
        description: The solid's description.

    Example:
        >>> daily_totals = emr_pyspark_step_solid("daily_totals", "jobs/daily_totals.py",
        ...                                       args=["--day", "2024-01-01"])
    """

    @solid(name=name, required_resource_keys={launcher_key},
           description=description or f"Runs {script} as an EMR step.")
    def _run_on_emr(context) -> EmrStepResult:
        launcher = getattr(context.resources, launcher_key)
        return launcher.run_pyspark_script(context, script, args)

    return _run_on_emr
