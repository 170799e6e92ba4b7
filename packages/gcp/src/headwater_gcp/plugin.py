"""headwater-gcp's hook implementations: what it registers with Headwater.

Headwater imports this module when plugins are first needed (not on ``import headwater``).
The definitions import the Google libraries only when they make a client, so registering
them is cheap.
"""

from __future__ import annotations

from typing import Any

from headwater.integration import hookimpl


@hookimpl
def headwater_resources() -> dict[str, Any]:
    """Resources by name: ``resource_defs={"gcs": "gcs_resource"}``."""
    from headwater_gcp.resources import (
        bigquery_resource,
        dataproc_resource,
        gcs_file_manager,
        gcs_resource,
    )

    return {"gcs_resource": gcs_resource, "gcs_file_manager": gcs_file_manager,
            "bigquery_resource": bigquery_resource, "dataproc_resource": dataproc_resource}


@hookimpl
def headwater_io_managers() -> dict[str, Any]:
    """``resource_defs={"io_manager": "gcs_pickle_io_manager", "gcs": "gcs_resource"}``."""
    from headwater_gcp.bigquery_io_manager import bigquery_pandas_io_manager
    from headwater_gcp.gcs_io_manager import gcs_pickle_io_manager

    return {"gcs_pickle_io_manager": gcs_pickle_io_manager,
            "bigquery_pandas_io_manager": bigquery_pandas_io_manager}


@hookimpl
def headwater_instance_components() -> dict[str, dict[str, Any]]:
    """Compute logs in GCS, by the name ``gcs`` in headwater.yaml's ``compute_logs``."""
    from headwater_gcp.compute_logs import GCSComputeLogManager

    return {"compute_logs": {"gcs": GCSComputeLogManager}}


@hookimpl
def headwater_solid_factories() -> dict[str, Any]:
    """``bq_solid_for_queries(sql_queries)``."""
    from headwater_gcp.solids import bq_solid_for_queries

    return {"bq_solid_for_queries": bq_solid_for_queries}
