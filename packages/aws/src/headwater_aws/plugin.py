"""headwater-aws's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
The definitions import boto3 only when they make a client, so registering them is cheap.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """Resources by name: ``resource_defs={"s3": "s3_resource"}``."""
    from headwater_aws.resources import (
        emr_job_runner,
        emr_pyspark_step_launcher,
        redshift_resource,
        s3_file_manager,
        s3_resource,
    )

    return {"s3_resource": s3_resource, "s3_file_manager": s3_file_manager,
            "emr_job_runner": emr_job_runner,
            "emr_pyspark_step_launcher": emr_pyspark_step_launcher,
            "redshift_resource": redshift_resource}


@hookimpl
def headwater_io_managers() -> dict[str, Any]:
    """``resource_defs={"io_manager": "s3_pickle_io_manager", "s3": "s3_resource"}``."""
    from headwater_aws.io_managers import s3_pickle_io_manager

    return {"s3_pickle_io_manager": s3_pickle_io_manager}


@hookimpl
def headwater_loggers() -> dict[str, Any]:
    """``logger_defs={"cloudwatch": "cloudwatch_logger"}``."""
    from headwater_aws.loggers import cloudwatch_logger

    return {"cloudwatch_logger": cloudwatch_logger}


@hookimpl
def headwater_instance_components() -> dict[str, dict[str, Any]]:
    """Compute logs in S3, by the name ``s3`` in headwater.yaml's ``compute_logs``."""
    from headwater_aws.compute_logs import S3ComputeLogManager

    return {"compute_logs": {"s3": S3ComputeLogManager}}


@hookimpl
def headwater_solid_factories() -> dict[str, Any]:
    """``emr_pyspark_step_solid(name, script, args)``."""
    from headwater_aws.solids import emr_pyspark_step_solid

    return {"emr_pyspark_step_solid": emr_pyspark_step_solid}
