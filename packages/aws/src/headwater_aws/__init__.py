"""Headwater on AWS: S3, CloudWatch Logs, EMR and Redshift.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"s3_resource"`` or ``"s3_pickle_io_manager"`` without
importing anything. Importing it gives the definitions themselves::

    from headwater_aws import s3_pickle_io_manager, s3_resource

    ModeDefinition("aws", resource_defs={"io_manager": s3_pickle_io_manager,
                                         "s3": s3_resource})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.integration import lazy_names

# name -> module. The names load on first use: Headwater imports this package when it
# loads its plugins (every command line start), which must not import the modules
# behind them.
_LAZY = {
    "CLIENT_FIELDS": "headwater_aws.clients",
    "make_client": "headwater_aws.clients",
    "S3ComputeLogManager": "headwater_aws.compute_logs",
    "EMR_CLUSTER_DONE_STATES": "headwater_aws.emr",
    "EMR_CLUSTER_TERMINATED_STATES": "headwater_aws.emr",
    "EMR_STEP_FAILED_STATES": "headwater_aws.emr",
    "EmrClusterState": "headwater_aws.emr",
    "EmrJobRunner": "headwater_aws.emr",
    "EmrPySparkStepLauncher": "headwater_aws.emr",
    "EmrStepLogs": "headwater_aws.emr",
    "EmrStepResult": "headwater_aws.emr",
    "EmrStepState": "headwater_aws.emr",
    "AwsAccessDeniedError": "headwater_aws.errors",
    "AwsCredentialsError": "headwater_aws.errors",
    "AwsEndpointUnreachableError": "headwater_aws.errors",
    "AwsSettingsError": "headwater_aws.errors",
    "ConfigPlace": "headwater_aws.errors",
    "EmrError": "headwater_aws.errors",
    "HeadwaterAwsError": "headwater_aws.errors",
    "RedshiftError": "headwater_aws.errors",
    "S3BucketNotFoundError": "headwater_aws.errors",
    "S3ObjectNotFoundError": "headwater_aws.errors",
    "aws_errors": "headwater_aws.errors",
    "S3FileHandle": "headwater_aws.file_manager",
    "S3FileManager": "headwater_aws.file_manager",
    "PickledObjectS3IOManager": "headwater_aws.io_managers",
    "s3_pickle_io_manager": "headwater_aws.io_managers",
    "CloudWatchLogsHandler": "headwater_aws.loggers",
    "cloudwatch_logger": "headwater_aws.loggers",
    "RedshiftResource": "headwater_aws.redshift",
    "emr_job_runner": "headwater_aws.resources",
    "emr_pyspark_step_launcher": "headwater_aws.resources",
    "redshift_resource": "headwater_aws.resources",
    "s3_file_manager": "headwater_aws.resources",
    "s3_resource": "headwater_aws.resources",
    "get_s3_keys": "headwater_aws.sensors",
    "emr_pyspark_step_solid": "headwater_aws.solids",
}

__version__ = "0.1.0"

__all__ = [
    "CLIENT_FIELDS", "EMR_CLUSTER_DONE_STATES", "EMR_CLUSTER_TERMINATED_STATES",
    "EMR_STEP_FAILED_STATES", "AwsAccessDeniedError", "AwsCredentialsError",
    "AwsEndpointUnreachableError", "AwsSettingsError", "CloudWatchLogsHandler", "ConfigPlace",
    "EmrClusterState", "EmrError", "EmrJobRunner", "EmrPySparkStepLauncher", "EmrStepLogs",
    "EmrStepResult", "EmrStepState", "HeadwaterAwsError", "PickledObjectS3IOManager",
    "RedshiftError", "RedshiftResource", "S3BucketNotFoundError", "S3ComputeLogManager",
    "S3FileHandle", "S3FileManager", "S3ObjectNotFoundError", "aws_errors",
    "cloudwatch_logger", "emr_job_runner", "emr_pyspark_step_launcher",
    "emr_pyspark_step_solid", "get_s3_keys", "make_client", "redshift_resource",
    "s3_file_manager", "s3_pickle_io_manager", "s3_resource",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from headwater_aws.clients import CLIENT_FIELDS, make_client
    from headwater_aws.compute_logs import S3ComputeLogManager
    from headwater_aws.emr import (
        EMR_CLUSTER_DONE_STATES,
        EMR_CLUSTER_TERMINATED_STATES,
        EMR_STEP_FAILED_STATES,
        EmrClusterState,
        EmrJobRunner,
        EmrPySparkStepLauncher,
        EmrStepLogs,
        EmrStepResult,
        EmrStepState,
    )
    from headwater_aws.errors import (
        AwsAccessDeniedError,
        AwsCredentialsError,
        AwsEndpointUnreachableError,
        AwsSettingsError,
        ConfigPlace,
        EmrError,
        HeadwaterAwsError,
        RedshiftError,
        S3BucketNotFoundError,
        S3ObjectNotFoundError,
        aws_errors,
    )
    from headwater_aws.file_manager import S3FileHandle, S3FileManager
    from headwater_aws.io_managers import PickledObjectS3IOManager, s3_pickle_io_manager
    from headwater_aws.loggers import CloudWatchLogsHandler, cloudwatch_logger
    from headwater_aws.redshift import RedshiftResource
    from headwater_aws.resources import (
        emr_job_runner,
        emr_pyspark_step_launcher,
        redshift_resource,
        s3_file_manager,
        s3_resource,
    )
    from headwater_aws.sensors import get_s3_keys
    from headwater_aws.solids import emr_pyspark_step_solid
