"""Which package provides the well-known plugin names, for errors that say what to install."""

from __future__ import annotations

# Names an integration package registers, and the extra that installs it.
KNOWN_PROVIDERS = {
    "dask": "dask",
    "s3_resource": "aws", "s3_pickle_io_manager": "aws", "s3_file_manager": "aws",
    "cloudwatch_logger": "aws", "redshift_resource": "aws", "emr_job_runner": "aws",
    "emr_pyspark_step_launcher": "aws", "s3_compute_logs": "aws",
    "postgres": "postgres",
    "snowflake": "snowflake",
    "bigquery": "gcp", "gcs": "gcp", "gcs_pickle_io_manager": "gcp", "dataproc": "gcp",
    "adls2": "azure", "adls2_pickle_io_manager": "azure",
    "pyspark": "spark", "spark": "spark",
    "datadog": "datadog",
    "pagerduty": "pagerduty",
    "notebook": "notebook",
    "airflow": "airflow",
}


def install_hint(name: str) -> str:
    """A sentence saying which package provides ``name``, when it is a known one."""
    extra = KNOWN_PROVIDERS.get(name)
    if extra is None:
        return "Install the package that provides it, or check the name with `headwater plugins list`."
    return (f"It is provided by headwater-{extra}: pip install 'headwater[{extra}]'.")
