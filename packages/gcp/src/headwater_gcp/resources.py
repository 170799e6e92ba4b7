"""The Google Cloud resources: Cloud Storage and BigQuery clients, GCS files, Dataproc.

Every definition that makes a client takes the same client keys (``project``,
``gcp_credentials``, ``api_endpoint``, ``anonymous_credentials``, ``timeout_seconds``; see
:mod:`headwater_gcp.clients`). Bind them in a mode by object or by the name the plugin
registers::

    ModeDefinition(resource_defs={"gcs": gcs_resource})
    ModeDefinition(resource_defs={"gcs": "gcs_resource"})
"""

from __future__ import annotations

from headwater import Field, Permissive, StringSource, resource
from headwater_gcp.clients import (
    CLIENT_FIELDS,
    client_settings,
    make_bigquery_client,
    make_dataproc_clients,
    make_storage_client,
)
from headwater_gcp.dataproc import DataprocResource
from headwater_gcp.errors import ConfigPlace
from headwater_gcp.file_manager import GCSFileManager


def _place(name: str) -> ConfigPlace:
    # A resource is not told the key a mode binds it to: name the definition instead.
    return ConfigPlace(name, "resources.<key>.config")


@resource(config_schema=CLIENT_FIELDS,
          description="A google.cloud.storage.Client. Credentials not in the config come "
                      "from Google's usual chain; STORAGE_EMULATOR_HOST is honoured.")
def gcs_resource(init_context):
    """A ``google.cloud.storage.Client``, made from the resource's config."""
    return make_storage_client(_place("gcs_resource"),
                               **client_settings(init_context.resource_config))


@resource(
    config_schema={
        "gcs_bucket": Field(StringSource, description="The bucket new files go to."),
        "gcs_prefix": Field(StringSource, default_value="headwater",
                            description="The name prefix of new files."),
        **CLIENT_FIELDS,
    },
    description="Writes files to GCS and reads or deletes them by handle (a GCSFileManager).",
)
def gcs_file_manager(init_context):
    """A GCSFileManager writing under ``gs://<gcs_bucket>/<gcs_prefix>/``."""
    config = init_context.resource_config
    place = _place("gcs_file_manager")
    return GCSFileManager(make_storage_client(place, **client_settings(config)),
                          config["gcs_bucket"], config["gcs_prefix"], place)


@resource(
    config_schema={
        "location": Field(StringSource, is_required=False,
                          description="Where jobs run and datasets are made (e.g. US, EU, "
                                      "europe-west1)."),
        **CLIENT_FIELDS,
    },
    description="A google.cloud.bigquery.Client. Credentials not in the config come from "
                "Google's usual chain; BIGQUERY_EMULATOR_HOST is honoured.",
)
def bigquery_resource(init_context):
    """A ``google.cloud.bigquery.Client``, made from the resource's config."""
    return make_bigquery_client(_place("bigquery_resource"),
                                **client_settings(init_context.resource_config),
                                location=init_context.resource_config.get("location"))


@resource(
    config_schema={
        "projectId": Field(StringSource, description="The project clusters and jobs are in."),
        "region": Field(StringSource, description="The Dataproc region, e.g. europe-west1."),
        "clusterName": Field(StringSource, description="The cluster create_cluster makes "
                                                       "and jobs run on."),
        "cluster_config": Field(Permissive(), default_value={},
                                description="Dataproc's ClusterConfig, as in its REST API "
                                            "(camelCase or snake_case keys)."),
        "poll_interval_seconds": Field(float, default_value=10.0,
                                       description="Seconds between two polls of a job."),
        "job_timeout_seconds": Field(float, default_value=3600.0,
                                     description="Give up waiting for a job after this "
                                                 "long."),
        **{key: value for key, value in CLIENT_FIELDS.items() if key != "project"},
    },
    description="Creates, gets and deletes a Dataproc cluster, submits jobs and waits for "
                "them (a DataprocResource), over Dataproc's REST API.",
)
def dataproc_resource(init_context):
    """A DataprocResource for the configured project, region and cluster."""
    config = init_context.resource_config
    place = _place("dataproc_resource")
    settings = {key: value for key, value in client_settings(config).items()
                if key != "project"}
    clusters, jobs = make_dataproc_clients(place, config["region"], **settings)
    return DataprocResource(clusters, jobs, config["projectId"], config["region"],
                            config["clusterName"], config["cluster_config"], place,
                            poll_interval=config["poll_interval_seconds"],
                            job_timeout=config["job_timeout_seconds"], log=init_context.log)
