"""The AWS resources: an S3 client, S3 files, EMR and Redshift.

Every definition that makes an AWS client takes the same client keys (``region_name``,
``endpoint_url``, ``profile_name``, ``use_unsigned_session``, ``max_attempts`` and the
credentials; see :mod:`headwater_aws.clients`). Bind them in a mode by object or by the name
the plugin registers::

    ModeDefinition(resource_defs={"s3": s3_resource})
    ModeDefinition(resource_defs={"s3": "s3_resource"})
"""

from __future__ import annotations

from headwater import Field, IntSource, Noneable, Permissive, StringSource, resource
from headwater_aws.clients import CLIENT_FIELDS, client_settings, make_client
from headwater_aws.emr import EmrJobRunner, EmrPySparkStepLauncher
from headwater_aws.errors import ConfigPlace
from headwater_aws.file_manager import S3FileManager
from headwater_aws.redshift import RedshiftResource


def _place(name: str) -> ConfigPlace:
    # A resource is not told the key a mode binds it to: name the definition instead.
    return ConfigPlace(name, "resources.<key>.config")


@resource(config_schema=CLIENT_FIELDS,
          description="A boto3 S3 client. Credentials not in the config come from boto3's "
                      "usual chain.")
def s3_resource(init_context):
    """A boto3 S3 client, made from the resource's config."""
    return make_client("s3", _place("s3_resource"), **client_settings(init_context.resource_config))


@resource(
    config_schema={
        "s3_bucket": Field(StringSource, description="The bucket new files go to."),
        "s3_prefix": Field(StringSource, default_value="headwater",
                           description="The key prefix of new files."),
        **CLIENT_FIELDS,
    },
    description="Writes files to S3 and reads or deletes them by handle (an S3FileManager).",
)
def s3_file_manager(init_context):
    """An S3FileManager writing under ``s3://<s3_bucket>/<s3_prefix>/``."""
    config = init_context.resource_config
    place = _place("s3_file_manager")
    return S3FileManager(make_client("s3", place, **client_settings(config)),
                         config["s3_bucket"], config["s3_prefix"], place)


_EMR_FIELDS = {
    "check_cluster_every": Field(float, default_value=30.0,
                                 description="Seconds between two polls of a step or "
                                             "cluster."),
    **CLIENT_FIELDS,
}


def _job_runner(init_context, name: str) -> EmrJobRunner:
    config = init_context.resource_config
    place = _place(name)
    settings = client_settings(config)
    return EmrJobRunner(make_client("emr", place, **settings),
                        make_client("s3", place, **settings), place,
                        check_cluster_every=config["check_cluster_every"],
                        log=init_context.log)


@resource(config_schema=_EMR_FIELDS,
          description="An EmrJobRunner: start clusters, add steps, wait for them, read their "
                      "logs.")
def emr_job_runner(init_context):
    """An EmrJobRunner with EMR and S3 clients made from the resource's config."""
    return _job_runner(init_context, "emr_job_runner")


@resource(
    config_schema={
        "cluster_id": Field(StringSource, description="The EMR cluster steps run on."),
        "staging_bucket": Field(StringSource,
                                description="Where local scripts are uploaded for the "
                                            "cluster to read."),
        "staging_prefix": Field(StringSource, default_value="emr_staging",
                                description="Their key prefix, followed by "
                                            "<run_id>/<step_key>/."),
        "action_on_failure": Field(str, default_value="CANCEL_AND_WAIT",
                                   description="EMR's ActionOnFailure for each step: "
                                               "CONTINUE, CANCEL_AND_WAIT or "
                                               "TERMINATE_CLUSTER."),
        "spark_config": Field(Permissive(), default_value={},
                              description="Spark properties, passed as --conf key=value."),
        "spark_submit_args": Field([str], default_value=["--deploy-mode", "cluster"],
                                   description="Other spark-submit arguments."),
        "timeout_seconds": Field(Noneable(float), default_value=None,
                                 description="Give up waiting for a step after this long "
                                             "(default: never)."),
        "wait_for_logs": Field(bool, default_value=False,
                               description="Wait for EMR to upload the step's stdout to the "
                                           "cluster's log bucket."),
        "log_wait_seconds": Field(float, default_value=600.0,
                                  description="How long to wait for it."),
        **_EMR_FIELDS,
    },
    description="Runs a solid's PySpark script as a step on an EMR cluster and waits for it "
                "(an EmrPySparkStepLauncher).",
)
def emr_pyspark_step_launcher(init_context):
    """An EmrPySparkStepLauncher for the configured cluster."""
    config = init_context.resource_config
    return EmrPySparkStepLauncher(
        _job_runner(init_context, "emr_pyspark_step_launcher"), config["cluster_id"],
        config["staging_bucket"], config["staging_prefix"], config["action_on_failure"],
        config["spark_config"], config["spark_submit_args"], config["timeout_seconds"],
        config["wait_for_logs"], config["log_wait_seconds"])


@resource(
    config_schema={
        "host": Field(StringSource, description="The cluster's endpoint host."),
        "port": Field(IntSource, default_value=5439, description="Its port."),
        "user": Field(StringSource, is_required=False, description="The database user."),
        "password": Field(StringSource, is_required=False,
                          description="Their password; give it as {env: VARIABLE}."),
        "database": Field(StringSource, is_required=False, description="The database."),
        "schema": Field(StringSource, is_required=False,
                        description="The schema unqualified names resolve in "
                                    "(search_path)."),
        "autocommit": Field(bool, default_value=False,
                            description="Commit each statement (else one transaction per "
                                        "call)."),
        "connect_timeout": Field(int, default_value=5,
                                 description="Seconds to wait for a connection."),
        "sslmode": Field(StringSource, default_value="require",
                         description="libpq's sslmode: disable, require, verify-ca, "
                                     "verify-full..."),
    },
    description="Runs SQL on Redshift (psycopg 3; install headwater-aws[redshift]).",
)
def redshift_resource(init_context):
    """A RedshiftResource with ``execute_query`` and ``execute_queries``."""
    return RedshiftResource(init_context.resource_config, log=init_context.log)
