"""Headwater on AWS: S3, CloudWatch Logs, EMR and Redshift.

Installing this package registers its definitions with Headwater by name (see
``plugin.py``): a mode can bind ``"s3_resource"`` or ``"s3_pickle_io_manager"`` without
importing anything. Importing it gives the definitions themselves::

    from headwater_aws import s3_pickle_io_manager, s3_resource

    ModeDefinition("aws", resource_defs={"io_manager": s3_pickle_io_manager,
                                         "s3": s3_resource})
"""

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
